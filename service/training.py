"""`ftr model train`: learn the registry's chance agreements and re-score pending matches.

Without labels, u — how often two different children agree on a clue by chance — can be
measured on random pairs of the registry's own records, which are almost all different
children (as Splink does). m stays as set from tracing practice: expectation–maximisation
on tracing data, where candidates are found by name and a family's clues move together,
was measured to hurt precision (see bench/tracing). Decided matches keep the version they
were decided under; pending ones are re-scored.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matching.comparisons import default_name_matcher
from matching.scoring import DEFAULT_MODEL, estimate_u
from service import linkage
from service.store import matches as match_store
from service.store import models as model_store
from service.tables import Record, utcnow

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
                    session.delete(match)
                    withdrawn += 1
                else:
                    match_store.apply_score(session, match, score, now=utcnow())
                    rescored += 1
            session.commit()
    return rescored, withdrawn
