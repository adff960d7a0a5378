"""Learning the registry's chance agreements (`ftr model train`, and on its own as the
registry grows) and re-scoring pending matches.

Without labels, u — how often two different children agree on a clue by chance — can be
measured on random pairs of the registry's own records, which are almost all different
children (as Splink does). m stays as set from tracing practice: expectation–maximisation
on tracing data, where candidates are found by name and a family's clues move together,
was measured to hurt precision (see bench/tracing). Decided matches keep the version they
were decided under; pending ones are re-scored.

The defaults' u were set for a registry of children from many places. A real caseload is
not: most children of one operation may come from a handful of towns, where two different
children sharing a town of origin is common, and the default weight of that agreement
(about 6 bits) would put hundreds of unrelated pairs before reviewers. So the background
worker trains by itself (`train_if_grown`): once the registry holds enough records of each
kind, and again whenever it has doubled since the model it is using was trained.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matching.comparisons import default_name_matcher
from matching.scoring import DEFAULT_MODEL, estimate_u
from service import linkage
from service.store import matches as match_store
from service.store import models as model_store
from service.tables import Record, RegistrySetting, utcnow

log = logging.getLogger("ftr.training")


MIN_RECORDS = 200


class TrainingRefused(Exception):  # noqa: N818  (a refusal with its reason, for the CLI)
    """The registry is too small to learn from: random pairs would mostly be the same few."""


@dataclass(frozen=True, slots=True)
class TrainingReport:
    version: str
    tracing_requests: int
    enquiries: int
    pairs: int
    rescored: int
    withdrawn: int


def _sample(session: Session, kind: str, size: int, rng: random.Random) -> list[int]:
    pks = [
        pk
        for pk in session.exec(
            select(Record.pk).where(
                Record.kind == kind,
                col(Record.erased_at).is_(None),
                col(Record.consent_tracing).is_(True),
            )
        ).all()
        if pk is not None
    ]
    return rng.sample(pks, min(size, len(pks)))


def train_model(
    engine: Engine,
    *,
    pairs: int = 20_000,
    sample: int = 20_000,
    seed: int = 0,
    min_records: int = MIN_RECORDS,
) -> TrainingReport:
    """Estimate u from random pairs of the registry, store the model, re-score pending matches.

    Refuses (TrainingRefused) with fewer than `min_records` matchable records of each kind:
    in a small registry the same few records recur in every random pair and the estimates
    would describe them, not chance.
    """
    names = default_name_matcher()
    rng = random.Random(seed)  # noqa: S311  (sampling, not security)
    with Session(engine, expire_on_commit=False) as session:
        tracing = match_store.load_records(
            session, _sample(session, "tracing_request", sample, rng)
        )
        enquiries = match_store.load_records(session, _sample(session, "enquiry", sample, rng))
        if min(len(tracing), len(enquiries)) < min_records:
            raise TrainingRefused(
                f"the registry holds {len(tracing)} tracing requests and {len(enquiries)} "
                f"enquiries with tracing consent; at least {min_records} of each are needed"
            )
        left = [s for r in tracing.values() for s in linkage.prepared_sides(r.core, names)]
        right = [s for r in enquiries.values() for s in linkage.prepared_sides(r.core, names)]
        model = estimate_u(DEFAULT_MODEL, left, right or None, names=names, pairs=pairs, seed=seed)
        model_store.save_active_model(
            session,
            model=model,
            trained_on={
                "tracing_requests": len(tracing),
                "enquiries": len(enquiries),
                "pairs": pairs,
                # What the registry held: `train_if_grown` trains again once it doubles.
                "registry": registry_size(session),
            },
        )
        session.commit()
    model_store.forget_active_model(engine)
    rescored, withdrawn = rescore_pending(engine)
    return TrainingReport(model.version, len(tracing), len(enquiries), pairs, rescored, withdrawn)


def rescore_pending(engine: Engine) -> tuple[int, int]:
    """Re-score every pending match with the active model; withdraw those below every band."""
    rescored = withdrawn = 0
    after = 0
    with Session(engine, expire_on_commit=False) as session:
        while batch := match_store.pending_matches(session, after=after, limit=200):
            for match in batch:
                assert match.pk is not None
                after = match.pk
                score = linkage.rescore_match(session, match)
                if score is None or score.band is None:
                    match_store.withdraw_match(
                        session,
                        match,
                        actor=None,
                        reason="below every band under the retrained model",
                    )
                    withdrawn += 1
                else:
                    match_store.apply_score(session, match, score, now=utcnow())
                    rescored += 1
            session.commit()
    return rescored, withdrawn


#: The registry is trained again once it holds this many times the records of a kind it
#: held when the active model was trained (as `MatchModel.for_registry` moves the prior).
RETRAIN_GROWTH = 2
TRAINING_SETTING = "training_claimed_until"
#: How long one worker may train before another may take over (training a large registry
#: and re-scoring its pending matches takes minutes, not hours).
TRAINING_LEASE = timedelta(hours=1)


def registry_size(session: Session) -> dict[str, int]:
    """Records that may be matched (tracing consent, not erased), by kind."""
    rows = session.execute(
        sa.select(col(Record.kind), sa.func.count())
        .where(col(Record.erased_at).is_(None), col(Record.consent_tracing).is_(True))
        .group_by(col(Record.kind))
    ).all()
    counts = {"tracing_request": 0, "enquiry": 0}
    counts.update({str(kind): int(count) for kind, count in rows})
    return counts


def outgrown(size: dict[str, int], trained_on: dict[str, Any] | None, min_records: int) -> bool:
    """Whether a registry of `size` should be trained: it has enough of each kind, and
    no model was trained or every kind has grown `RETRAIN_GROWTH` times since."""
    if min(size.values()) < min_records:
        return False
    if trained_on is None:
        return True
    # A model trained before registry sizes were kept counts by its sample sizes.
    before = trained_on.get("registry") or {
        "tracing_request": int(trained_on.get("tracing_requests", 0)),
        "enquiry": int(trained_on.get("enquiries", 0)),
    }
    return all(size[kind] >= RETRAIN_GROWTH * int(before.get(kind, 0)) for kind in size)


def _claim_training(session: Session, now: datetime) -> bool:
    """Claim the registry's training for `TRAINING_LEASE`: only one worker trains at once."""
    until = (now + TRAINING_LEASE).isoformat()
    claimed = session.execute(
        sa.update(RegistrySetting)
        .where(
            col(RegistrySetting.name) == TRAINING_SETTING,
            col(RegistrySetting.value) < now.isoformat(),
        )
        .values(value=until)
    )
    if claimed.rowcount == 1:  # type: ignore[attr-defined]
        session.commit()
        return True
    if session.get(RegistrySetting, TRAINING_SETTING) is not None:
        session.rollback()
        return False
    session.add(RegistrySetting(name=TRAINING_SETTING, value=until))
    try:
        session.commit()
    except IntegrityError:  # another worker claimed it first
        session.rollback()
        return False
    return True


def _release_training(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(
            sa.update(RegistrySetting)
            .where(col(RegistrySetting.name) == TRAINING_SETTING)
            .values(value="")
        )
        session.commit()


def train_if_grown(engine: Engine, *, min_records: int | None = None) -> TrainingReport | None:
    """Train (`train_model`) when the registry has outgrown its model (`outgrown`) and no
    other worker is training; None when there was nothing to do."""
    min_records = MIN_RECORDS if min_records is None else min_records
    with Session(engine, expire_on_commit=False) as session:
        if not outgrown(
            registry_size(session), model_store.active_trained_on(session), min_records
        ):
            return None
        if not _claim_training(session, utcnow()):
            return None
    try:
        report = train_model(engine, min_records=min_records)
    except TrainingRefused:  # records erased or withdrawn since the count
        return None
    finally:
        _release_training(engine)
    log.info(
        "model %s trained as the registry grew: %d tracing requests, %d enquiries; "
        "%d pending matches re-scored, %d withdrawn",
        report.version,
        report.tracing_requests,
        report.enquiries,
        report.rescored,
        report.withdrawn,
    )
    return report
