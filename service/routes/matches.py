"""Candidate matches: a record's matches, the review queue, one match, and ad-hoc search."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from matching.records import RecordKind
from matching.scoring import DEFAULT_MODEL
from service import linkage, match_views, schemas, store
from service.auth import RECORD_READERS, Role
from service.deps import CipherDep, SessionDep, SettingsDep, allow
from service.problems import NotFound, Problem
from service.store import decisions as decision_store
from service.store import matches as match_store
from service.store.core import person_from_details

router = APIRouter(prefix="/api/v1", tags=["matches"])

Reader = Annotated[store.RequestContext, Depends(allow(*RECORD_READERS))]
Reviewer = Annotated[store.RequestContext, Depends(allow(Role.REVIEWER))]
Searcher = Annotated[store.RequestContext, Depends(allow(Role.OFFICER, Role.REVIEWER))]

KIND_PATHS = {"tracing-requests": RecordKind.TRACING_REQUEST, "enquiries": RecordKind.ENQUIRY}


def _add_record_matches_route(path: str, kind: RecordKind) -> None:
    @router.get(
        f"/{path}/{{id}}/matches",
        response_model=schemas.RecordMatches,
        summary="The record's candidate matches, best first",
        description="Officers (their own records) and reviewers get scores, bands and "
        "explanations; a partner gets only each match's id and status.",
        name=f"matches_of_{kind.value}",
    )
    def record_matches(id: str, context: Reader, session: SessionDep) -> schemas.RecordMatches:
        record = store.visible_record(session, actor=context, kind=kind, record_id=id)
        store.refuse_erased(record)
        assert record.pk is not None
        return schemas.RecordMatches(
            items=match_views.record_matches(session, actor=context, record_pk=record.pk)
        )


for _path, _kind in KIND_PATHS.items():
    _add_record_matches_route(_path, _kind)


@router.get("/matches", response_model=schemas.MatchPage, summary="The review queue (reviewers)")
def review_queue(
    context: Reviewer,
    session: SessionDep,
    settings: SettingsDep,
    status: schemas.MatchStatus | None = None,
    band: schemas.MatchBand | None = None,
    type: schemas.MatchType | None = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> schemas.MatchPage:
    """Likely matches first, then by score, then the longest waiting."""
    size = min(limit or settings.default_page_size, settings.max_page_size)
    rows = match_store.review_queue(
        session,
        after=store.decode_position_cursor(cursor, 3),
        limit=size,
        status=status.value if status else None,
        band=band.value if band else None,
        type_=type.value if type else None,
        organisation_id=organisation_id,
    )
    next_cursor = (
        store.encode_cursor(match_store.queue_position(rows[size - 1]))
        if len(rows) > size
        else None
    )
    items = match_views.summaries(session, rows[:size])
    store.audit_now(
        session, actor=context, action="match.queue", outcome="ok", details={"count": len(items)}
    )
    return schemas.MatchPage(items=items, next_cursor=next_cursor)


def _etag(version: int) -> str:
    return f'"v{version}"'


def _expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names; None when absent or `*` (422 when garbled)."""
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not (tag.startswith("v") and tag[1:].isdigit()):
        raise Problem(
            422,
            "Invalid request",
            'If-Match: must be an ETag this service gave out, such as "v3"',
            errors=[{"field": "header.if-match", "message": "is not an ETag of this match"}],
        )
    return int(tag[1:])


@router.get(
    "/matches/{id}",
    response_model=schemas.MatchDetail,
    summary="One match: both records side by side with the explanation (reviewers)",
)
def read_match(
    id: str,
    context: Reviewer,
    session: SessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
    response: Response,
) -> schemas.MatchDetail:
    match = match_store.match_by_id(session, id)
    if match is None:
        raise NotFound("match")
    response.headers["ETag"] = _etag(match.version)
    return match_views.match_detail(
        session,
        actor=context,
        match=match,
        cipher=cipher,
        confirmations_required=settings.confirmations_required,
    )


@router.post(
    "/matches/{id}/decisions",
    response_model=schemas.MatchDetail,
    summary="Confirm, reject, reopen or disclose a match (reviewers)",
    description="`reason` is required to reject, reopen and disclose. Send `If-Match` with the "
    "ETag of the match you read to be refused (412) if it changed meanwhile.",
)
def decide(
    id: str,
    body: schemas.DecisionIn,
    context: Reviewer,
    session: SessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=100)] = None,
) -> schemas.MatchDetail:
    outcome = decision_store.decide(
        session,
        actor=context,
        match_id=id,
        decision=body.decision.value,
        reason=body.reason,
        expected_version=_expected_version(if_match),
        confirmations_required=settings.confirmations_required,
    )
    response.headers["ETag"] = _etag(outcome.match.version)
    return match_views.match_detail(
        session,
        actor=context,
        match=outcome.match,
        cipher=cipher,
        confirmations_required=settings.confirmations_required,
    )


@router.post(
    "/search",
    response_model=schemas.SearchResults,
    summary="Ad-hoc search for a person in any script; stores nothing but an audit event",
)
def search(
    body: schemas.SearchRequest, context: Searcher, session: SessionDep
) -> schemas.SearchResults:
    person = person_from_details(
        body.person.model_dump(mode="json", exclude_none=True), registered_on=None
    )
    kinds = [body.kind.value] if body.kind else list(linkage.ALL_KINDS)
    min_score = body.min_score if body.min_score is not None else DEFAULT_MODEL.possible
    results = linkage.search(session, person=person, kinds=kinds, min_score=min_score)
    return match_views.search_results(
        session, actor=context, results=results, min_score=min_score, limit=body.limit
    )
