"""Duplicates the source itself named: a PFIF note's `linked_person_record_id`.

Such a pair is stored as what any probable duplicate is, a match of type `duplicate` with
status `pending` for a reviewer to confirm or reject; never a merge. It carries the honest
score of its comparison and one more explanation step, `SOURCE_LINK_STEP`, that moves the
score by nothing: the source's word is why a reviewer should look, not evidence the model
weighed. Its band is the comparison's, or `possible` when the score reaches no band, so that
the pair is in the queue at all; `linked_by_source` keeps it there when the records are
matched again (see `save_matches`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from matching.scoring import PairScore
from service.store.common import RequestContext, audit
from service.store.matches import SOURCE_LINK_STEP, propose_match
from service.tables import Match, Record, utcnow


def live_record(session: Session, *, organisation_pk: int, external_id: str) -> Record | None:
    """The organisation's record of this external_id, unless there is none or it is erased."""
    return session.exec(
        select(Record).where(
            Record.organisation_pk == organisation_pk,
            Record.external_id == external_id,
            col(Record.erased_at).is_(None),
        )
    ).first()


def pair_match(session: Session, *, left_pk: int, right_pk: int) -> Match | None:
    """The stored duplicate match of the pair's first children (the PFIF person), if any."""
    return session.exec(
        select(Match).where(
            Match.left_record_pk == left_pk,
            Match.left_index == 0,
            Match.right_record_pk == right_pk,
            Match.right_index == 0,
        )
    ).first()


def note_source_link(
    session: Session, *, match: Match, actor: RequestContext | None, import_id: str
) -> bool:
    """Record the source's word on a stored match; False if it already carries it.

    The match keeps its status and score: a reviewer who already decided has weighed the
    pair, and the source's word is on the match for whoever reopens it.
    """
    if match.linked_by_source:
        return False
    match.linked_by_source = True
    match.explanation = [*match.explanation, SOURCE_LINK_STEP]
    match.version += 1
    match.updated_at = utcnow()
    session.add(match)
    audit(
        session,
        actor=actor,
        action="match.source_link",
        target=("match", match.id),
        details={"import": import_id, "status": match.status},
    )
    return True


def propose_source_duplicate(
    session: Session,
    *,
    left_pk: int,
    right_pk: int,
    score: PairScore,
    actor: RequestContext | None,
    import_id: str,
    now: datetime | None = None,
) -> Match:
    """Store a new pending duplicate of the pair (left the older record), in the caller's
    transaction; the caller made sure none is stored."""
    now = now or utcnow()
    return propose_match(
        session,
        pair_type="duplicate",
        left_pk=left_pk,
        right_pk=right_pk,
        score=score,
        explanation=[*score.explanation.to_list(with_values=False), SOURCE_LINK_STEP],
        actor=actor,
        now=now,
        linked_by_source=True,
        audit_details={"source_link": True, "import": import_id},
    )
