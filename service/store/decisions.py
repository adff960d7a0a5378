"""Reviewers' decisions on matches, the family groups confirmed links form, and their
contradictions.

A match is a hypothesis; a person decides. With four-eyes review, a match needs
confirmations from that many distinct key holders (distinct people) before it counts as
confirmed. Every decision is kept in the match's history and the audit log; disclosure to the
submitting partner is a separate, deliberate step on a confirmed match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.problems import Conflict, NotFound, Problem
from service.store.common import RequestContext, audit
from service.store.webhooks import enqueue_for_records
from service.tables import Match, MatchDecision, Record, utcnow

DECISIONS = ("confirm", "reject", "reopen", "disclose")
NEEDS_REASON = frozenset({"reject", "reopen", "disclose"})

Node = tuple[int, int]  # (record pk, child index)


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    match: Match
    decision: MatchDecision
    contradictions: list[str]


def history(session: Session, match_pk: int) -> list[MatchDecision]:
    return list(
        session.exec(
            select(MatchDecision)
            .where(MatchDecision.match_pk == match_pk)
            .order_by(col(MatchDecision.pk))
        ).all()
    )


def confirmations_since_reopen(decisions: Iterable[MatchDecision]) -> set[int]:
    """The distinct keys that confirmed the match since it was last reopened."""
    keys: set[int] = set()
    for decision in decisions:
        if decision.decision == "reopen":
            keys.clear()
        elif decision.decision == "confirm":
            keys.add(decision.key_pk)
    return keys


def decide(
    session: Session,
    *,
    actor: RequestContext,
    match_id: str,
    decision: str,
    reason: str | None,
    expected_version: int | None,
    confirmations_required: int,
) -> DecisionOutcome:
    """Apply one reviewer's decision, or refuse it with the reason (404, 409, 412, 422)."""
    match = session.exec(select(Match).where(Match.id == match_id).with_for_update()).first()
    if match is None:
        raise NotFound("match")
    assert match.pk is not None
    if expected_version is not None and expected_version != match.version:
        raise Problem(
            412,
            "Precondition failed",
            "The match changed since you read it (someone else decided, or it was re-scored). "
            "Read it again before deciding.",
        )
    if decision in NEEDS_REASON and not reason:
        raise Problem(
            422,
            "Invalid request",
            f"reason: a reason is required to {decision}",
            errors=[{"field": "reason", "message": f"is required to {decision}"}],
        )
    before = match.status
    past = history(session, match.pk)
    now = utcnow()
    principal = actor.principal
    if decision == "confirm":
        if match.status != "pending":
            raise Conflict(f"This match is {match.status}; reopen it before confirming.")
        confirmed_by = confirmations_since_reopen(past)
        if principal.key_pk in confirmed_by:
            raise Conflict(
                "You have already confirmed this match; another reviewer must confirm it too."
            )
        if len(confirmed_by) + 1 >= confirmations_required:
            match.status = "confirmed"
            match.decided_at = now
    elif decision == "reject":
        if match.status != "pending":
            raise Conflict(f"This match is {match.status}; reopen it before rejecting.")
        match.status = "rejected"
        match.decided_at = now
    elif decision == "reopen":
        if match.status == "pending":
            raise Conflict("This match is already pending.")
        match.status = "pending"
        match.decided_at = None
        match.disclosed_at = None
    elif decision == "disclose":
        if match.status != "confirmed" or match.type != "match":
            raise Conflict("Only a confirmed match (not a duplicate) can be disclosed.")
        if match.disclosed_at is not None:
            raise Conflict("This match has already been disclosed.")
        match.disclosed_at = now
    match.version += 1
    match.updated_at = now
    session.add(match)
    entry = MatchDecision(
        match_pk=match.pk,
        decision=decision,
        reason=reason,
        key_pk=principal.key_pk,
        holder=principal.holder,
        status_after=match.status,
        decided_at=now,
    )
    session.add(entry)
    if decision == "disclose":
        enqueue_for_records(
            session,
            event="match.disclosed",
            match_id=match.id,
            record_pks=(match.left_record_pk, match.right_record_pk),
            status="disclosed",
        )
    if before != match.status and match.type == "match":
        session.flush()
        for record_pk in (match.left_record_pk, match.right_record_pk):
            _refresh_record_status(session, record_pk)
    audit(
        session,
        actor=actor,
        action=f"match.{decision}",
        target=("match", match.id),
        details={"status": match.status},
    )
    session.flush()
    contradictions = contradictions_of(session, match)
    session.commit()
    return DecisionOutcome(match=match, decision=entry, contradictions=contradictions)


def _refresh_record_status(session: Session, record_pk: int) -> None:
    """A record with a confirmed match is `matched`; back to `open` when it has none."""
    record = session.exec(select(Record).where(Record.pk == record_pk)).one()
    if record.status == "closed" or record.erased_at is not None:
        return
    confirmed = session.exec(
        select(sa.func.count())
        .select_from(Match)
        .where(
            Match.type == "match",
            Match.status == "confirmed",
            sa.or_(col(Match.left_record_pk) == record_pk, col(Match.right_record_pk) == record_pk),
        )
    ).one()
    record.status = "matched" if confirmed else "open"
    session.add(record)


def family_group(session: Session, start: Iterable[Node]) -> set[Node]:
    """Every child linked to these by confirmed matches or duplicates, directly or not."""
    group = set(start)
    frontier = set(group)
    while frontier:
        record_pks = {pk for pk, _ in frontier}
        links = session.exec(
            select(Match).where(
                Match.status == "confirmed",
                sa.or_(
                    col(Match.left_record_pk).in_(record_pks),
                    col(Match.right_record_pk).in_(record_pks),
                ),
            )
        ).all()
        found: set[Node] = set()
        for link in links:
            left = (link.left_record_pk, link.left_index)
            right = (link.right_record_pk, link.right_index)
            if left in group or right in group:
                found |= {left, right}
        frontier = found - group
        group |= found
    return group


def contradictions_of(session: Session, match: Match) -> list[str]:
    """Rejected matches inside this match's family group: A = B and B = C, yet A ≠ C.

    They are flagged for a reviewer, never resolved silently.
    """
    group = family_group(
        session,
        [(match.left_record_pk, match.left_index), (match.right_record_pk, match.right_index)],
    )
    if len(group) <= 2 and match.status != "confirmed":
        return []
    record_pks = {pk for pk, _ in group}
    rejected = session.exec(
        select(Match).where(
            Match.status == "rejected",
            col(Match.left_record_pk).in_(record_pks),
            col(Match.right_record_pk).in_(record_pks),
        )
    ).all()
    return sorted(
        m.id
        for m in rejected
        if (m.left_record_pk, m.left_index) in group and (m.right_record_pk, m.right_index) in group
    )


def has_confirmed_link(session: Session, record_pks: Iterable[int]) -> set[int]:
    """Of these records, those with at least one confirmed match."""
    pks = list(record_pks)
    if not pks:
        return set()
    rows = session.execute(
        sa.select(col(Match.left_record_pk), col(Match.right_record_pk)).where(
            col(Match.status) == "confirmed",
            sa.or_(col(Match.left_record_pk).in_(pks), col(Match.right_record_pk).in_(pks)),
        )
    ).all()
    linked = {pk for row in rows for pk in row}
    return linked & set(pks)


def forget_decision_reasons(session: Session, *, record_pk: int) -> None:
    """Blank the free-text reasons of decisions on a record's matches (erasure): a reviewer
    may have written what they saw there. Who decided what, and when, stays."""
    match_pks = select(Match.pk).where(
        sa.or_(col(Match.left_record_pk) == record_pk, col(Match.right_record_pk) == record_pk)
    )
    session.execute(
        sa.update(MatchDecision)
        .where(col(MatchDecision.match_pk).in_(match_pks))
        .values(reason=None)
    )
