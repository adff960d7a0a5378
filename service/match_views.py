"""What each role sees of a match: the need-to-know rules of PRODUCT.md in one place.

- A partner system learns only that a match of its own record is under review (or, once a
  reviewer has disclosed it, that it is confirmed), never the other record and never that a
  rejected candidate existed.
- An officer sees, for each candidate of their own records, the score, band, the clue-by-clue
  explanation and which organisation holds the other record; the other child's details and
  the compared values only where that record is their own organisation's or its consent
  allows sharing with partners.
- A reviewer sees everything the review requires.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from matching.explanation import Explanation
from matching.records import RecordKind
from matching.scoring import PairScore
from service import schemas
from service.auth import Principal, Role
from service.crypto import ContactCipher
from service.linkage import rescore_match, stored_explanation
from service.store import decisions as decision_store
from service.store import matches as match_store
from service.store.common import RequestContext, audit
from service.store.records import read_record_for_review
from service.tables import Match

PARTNER_VISIBLE = frozenset({"pending", "confirmed"})


def may_see_details(viewer: Principal, record: match_store.LoadedRecord) -> bool:
    """Whether the viewer may see a record's people (in candidates and explanations)."""
    if viewer.role is Role.REVIEWER:
        return True
    if record.row.organisation_pk == viewer.organisation_pk:
        return True
    return viewer.role is Role.OFFICER and record.row.consent_share_with_partners


def steps(explanation: Explanation, *, with_values: bool) -> list[schemas.ExplanationStep]:
    return [
        schemas.ExplanationStep.model_validate(step)
        for step in explanation.to_list(with_values=with_values)
    ]


def _person(details: dict[str, Any]) -> schemas.Person:
    return schemas.Person.model_validate({k: v for k, v in details.items() if k != "relationship"})


def record_matches(
    session: Session, *, actor: RequestContext, record_pk: int, limit: int | None = None
) -> list[schemas.RecordMatch] | list[schemas.PartnerMatch]:
    """The matches of one record as the caller may see them, best first."""
    viewer = actor.principal
    matches = sorted(match_store.matches_of_record(session, record_pk), key=lambda m: -m.score)
    if viewer.role is Role.PARTNER:
        return [partner_view(m) for m in matches if m.status in PARTNER_VISIBLE][:limit]
    if limit is not None:
        matches = matches[:limit]
    others = match_store.load_records(
        session,
        {m.right_record_pk if m.left_record_pk == record_pk else m.left_record_pk for m in matches},
    )
    linked = decision_store.has_confirmed_link(session, {record_pk, *others})
    views: list[schemas.RecordMatch] = []
    for match in matches:
        own_is_left = match.left_record_pk == record_pk
        other = others[match.right_record_pk if own_is_left else match.left_record_pk]
        other_index = match.right_index if own_is_left else match.left_index
        shown = may_see_details(viewer, other)
        explanation = stored_explanation(match)
        if shown:
            rescored = rescore_match(session, match)
            if rescored is not None:
                explanation = _oriented_explanation(rescored.explanation, own_is_left)
        person = None
        if shown and other_index < len(other.children_details):
            person = _person(other.children_details[other_index])
        views.append(
            schemas.RecordMatch(
                id=match.id,
                confirmed_link_exists=bool(linked & {record_pk, other.pk}),
                type=schemas.MatchType(match.type),
                status=schemas.MatchStatus(match.status),
                score=round(match.score, 6),
                band=schemas.MatchBand(match.band),
                child_index=match.left_index if own_is_left else match.right_index,
                candidate=schemas.CandidateRef(
                    record_id=other.row.id,
                    kind=other.core.kind,
                    organisation=schemas.OrganisationRef(
                        id=other.organisation.id, name=other.organisation.name
                    ),
                    child_index=other_index,
                    person=person,
                ),
                summary=stored_explanation(match).sentences(),
                explanation=steps(explanation, with_values=shown),
                model_version=match.model_version,
                created_at=match.created_at,
                updated_at=match.updated_at,
            )
        )
    if views:
        audit(
            session,
            actor=actor,
            action="match.list",
            details={
                "record_pk_matches": len(views),
                "shown_details": sum(1 for v in views if v.candidate.person),
            },
        )
        session.commit()
    return views


def partner_view(match: Match) -> schemas.PartnerMatch:
    """Under review until a reviewer discloses the confirmed match; nothing more."""
    disclosed = match.status == "confirmed" and match.disclosed_at is not None
    return schemas.PartnerMatch(
        id=match.id,
        status=(
            schemas.PartnerMatchStatus.DISCLOSED
            if disclosed
            else schemas.PartnerMatchStatus.UNDER_REVIEW
        ),
    )


def _oriented_explanation(explanation: Explanation, own_is_left: bool) -> Explanation:
    """Values as (yours, theirs): swap left and right when your record is the right one."""
    if own_is_left:
        return explanation
    from dataclasses import replace

    return Explanation(tuple(replace(s, left=s.right, right=s.left) for s in explanation.steps))


def summaries(session: Session, matches: list[Match]) -> list[schemas.MatchSummary]:
    ids = match_store.record_ids(
        session, {m.left_record_pk for m in matches} | {m.right_record_pk for m in matches}
    )
    return [_summary(m, ids) for m in matches]


def _summary(match: Match, ids: dict[int, tuple[str, str]]) -> schemas.MatchSummary:
    left_id, left_kind = ids[match.left_record_pk]
    right_id, right_kind = ids[match.right_record_pk]
    sought_index = None
    if match.type == "match":
        sought_index = match.right_index
    return schemas.MatchSummary(
        id=match.id,
        type=schemas.MatchType(match.type),
        record_ids=(left_id, right_id),
        kinds=(RecordKind(left_kind), RecordKind(right_kind)),
        child_indexes=(match.left_index, match.right_index),
        sought_index=sought_index,
        score=round(match.score, 6),
        band=schemas.MatchBand(match.band),
        status=schemas.MatchStatus(match.status),
        linked_by_source=match.linked_by_source,
        model_version=match.model_version,
        created_at=match.created_at,
        updated_at=match.updated_at,
    )


def match_detail(
    session: Session,
    *,
    actor: RequestContext,
    match: Match,
    cipher: ContactCipher,
    confirmations_required: int,
) -> schemas.MatchDetail:
    """Both records side by side, for a reviewer, with the explanation, values and history."""
    ids = match_store.record_ids(session, {match.left_record_pk, match.right_record_pk})
    summary = _summary(match, ids)
    left = read_record_for_review(session, record_pk=match.left_record_pk, cipher=cipher)
    right = read_record_for_review(session, record_pk=match.right_record_pk, cipher=cipher)
    rescored: PairScore | None = rescore_match(session, match)
    assert match.pk is not None
    past = decision_store.history(session, match.pk)
    contradictions = decision_store.contradictions_of(session, match)
    audit(session, actor=actor, action="match.read", target=("match", match.id))
    session.commit()
    return schemas.MatchDetail(
        **summary.model_dump(),
        history=[
            schemas.DecisionOut(
                decision=schemas.DecisionKind(d.decision),
                reason=d.reason,
                decided_by=d.holder,
                status_after=schemas.MatchStatus(d.status_after),
                decided_at=d.decided_at,
            )
            for d in past
        ],
        confirmations=len(decision_store.confirmations_since_reopen(past)),
        confirmations_required=confirmations_required,
        disclosed=match.disclosed_at is not None,
        contradictions=contradictions,
        records=(left, right),
        summary=stored_explanation(match).sentences(),
        explanation=steps(stored_explanation(match), with_values=False),
        current_explanation=(
            steps(rescored.explanation, with_values=True) if rescored is not None else None
        ),
        current_score=round(rescored.score, 6) if rescored is not None else None,
    )


def search_results(
    session: Session,
    *,
    actor: RequestContext,
    results: list[tuple[match_store.LoadedRecord, PairScore]],
    min_score: float,
    limit: int,
) -> schemas.SearchResults:
    viewer = actor.principal
    candidates = []
    for record, score in results:
        if score.score < min_score:
            continue
        shown = may_see_details(viewer, record)
        person = None
        if shown and score.right_index < len(record.children_details):
            person = _person(record.children_details[score.right_index])
        candidates.append(
            schemas.SearchCandidate(
                record_id=record.row.id,
                kind=record.core.kind,
                organisation=schemas.OrganisationRef(
                    id=record.organisation.id, name=record.organisation.name
                ),
                child_index=score.right_index,
                score=round(score.score, 6),
                band=schemas.MatchBand(score.band) if score.band else None,
                summary=score.explanation.sentences(),
                explanation=steps(score.explanation, with_values=shown),
                person=person,
            )
        )
        if len(candidates) >= limit:
            break
    audit(session, actor=actor, action="search", details={"returned": len(candidates)})
    session.commit()
    return schemas.SearchResults(candidates=candidates)
