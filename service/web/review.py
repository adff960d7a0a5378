"""Reviewers' pages: the queue, the side-by-side comparison, and the decision form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from matching.explanation import Step
from service import match_views, schemas, store
from service.auth import Role
from service.deps import CipherDep, SessionDep, SettingsDep
from service.problems import NotFound, Problem
from service.schemas import today
from service.store import decisions as decision_store
from service.store import matches as match_store
from service.tables import Match
from service.web import people, sessions
from service.web.forms import FormBody, errors_by_input
from service.web.records import record_url
from service.web.rendering import render, router

Reviewer = Annotated[sessions.WebUser, Depends(sessions.require(Role.REVIEWER))]

QUEUE_PAGE = 30
STATUSES = ("pending", "confirmed", "rejected")
BANDS = ("likely", "possible")
TYPES = ("match", "duplicate")


def _choice(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return value if value in allowed else None


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: str
    type: str
    band: str
    score: float
    status: str
    left: list[people.Text]
    right: list[people.Text]
    held_by: tuple[str, str]  # kind of record and organisation, in words
    waiting_since: str


def _queue_rows(session: Session, matches: list[Match]) -> list[QueueRow]:
    loaded = match_store.load_records(
        session, {m.left_record_pk for m in matches} | {m.right_record_pk for m in matches}
    )

    def child(record_pk: int, index: int) -> list[people.Text]:
        record = loaded[record_pk]
        if record.row.erased_at is not None:
            return [people.Text("(record erased)")]
        details = record.children_details
        return people.child_name(details[index] if index < len(details) else None)

    def held_by(record_pk: int) -> str:
        record = loaded[record_pk]
        return f"{people.KINDS[record.row.kind].lower()} · {record.organisation.name}"

    return [
        QueueRow(
            id=m.id,
            type=m.type,
            band=m.band,
            score=m.score,
            status=m.status,
            left=child(m.left_record_pk, m.left_index),
            right=child(m.right_record_pk, m.right_index),
            held_by=(held_by(m.left_record_pk), held_by(m.right_record_pk)),
            waiting_since=m.created_at.date().isoformat(),
        )
        for m in matches
    ]


@router.get("/review")
def review_queue(
    request: Request,
    user: Reviewer,
    session: SessionDep,
    status: str | None = "pending",
    band: str | None = None,
    type: str | None = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    filters = {
        "status": _choice(status, STATUSES),
        "band": _choice(band, BANDS),
        "type": _choice(type, TYPES),
        "organisation_id": organisation_id if organisation_id else None,
    }
    rows = match_store.review_queue(
        session,
        after=store.decode_position_cursor(cursor, 3),
        limit=QUEUE_PAGE,
        status=filters["status"],
        band=filters["band"],
        type_=filters["type"],
        organisation_id=filters["organisation_id"],
    )
    next_url = None
    if len(rows) > QUEUE_PAGE:
        next_cursor = store.encode_cursor(match_store.queue_position(rows[QUEUE_PAGE - 1]))
        query = {k: v or "" for k, v in filters.items()} | {"cursor": next_cursor}
        next_url = "/ui/review?" + urlencode(query)
    shown = _queue_rows(session, rows[:QUEUE_PAGE])
    store.audit_now(
        session,
        actor=user.context,
        action="match.queue",
        outcome="ok",
        details={"count": len(shown), "via": "ui"},
    )
    return render(
        request,
        "review.html",
        title="Review queue",
        rows=shown,
        filters=filters,
        organisations=store.list_organisations(session),
        statuses=STATUSES,
        bands=BANDS,
        types=TYPES,
        next_url=next_url,
        first_page=cursor is None,
    )


@dataclass(frozen=True, slots=True)
class WaterfallRow:
    title: str
    sentence: str
    bits: float
    left: str | None
    right: str | None
    width: int  # 0–10, the bar's length


def _waterfall(steps: list[schemas.ExplanationStep]) -> list[WaterfallRow]:
    """The clues that moved the score, in model order, each as the core words it."""
    moved = [s for s in steps if s.clue == "prior" or s.bits != 0.0]
    largest = max((abs(s.bits) for s in moved), default=1.0) or 1.0
    return [
        WaterfallRow(
            title="starting point" if s.clue == "prior" else s.title,
            sentence=Step(s.clue, s.title, s.level, s.label, s.bits).sentence(),
            bits=s.bits,
            left=s.left,
            right=s.right,
            width=max(1, round(10 * abs(s.bits) / largest)),
        )
        for s in moved
    ]


@dataclass(frozen=True, slots=True)
class CompareRow:
    label: str
    left: list[people.Text]
    right: list[people.Text]


def _side(record: schemas.RecordOut | None, index: int) -> dict[str, Any] | None:
    if record is None:
        return None
    view = people.record_view(record, today=today())
    child = view.children[index] if index < len(view.children) else None
    others = [c for i, c in enumerate(view.children) if i != index]
    return {"record": view, "child": child, "others": others}


def _compare_rows(left: dict[str, Any] | None, right: dict[str, Any] | None) -> list[CompareRow]:
    sides = [left, right]
    labels: list[str] = []
    for side in sides:
        if side and side["child"]:
            labels.extend(label for label in side["child"].rows if label not in labels)

    def cell(side: dict[str, Any] | None, label: str) -> list[people.Text]:
        if not side or not side["child"]:
            return []
        values: list[people.Text] = side["child"].rows.get(label, [])
        return values

    rows = [CompareRow(label, cell(left, label), cell(right, label)) for label in labels]
    rows = [row for row in rows if row.left or row.right or row.label == "Names"]
    extra = (
        (
            "Other children sought",
            lambda s: [people.Text(c.full_name, name=True) for c in s["others"]],
        ),
        ("Family named", lambda s: s["record"].family),
        ("Separation", lambda s: s["record"].separation),
    )
    for label, pick in extra:
        values = [pick(side) if side else [] for side in sides]
        if any(values):
            rows.append(CompareRow(label, values[0], values[1]))
    return rows


def _compare_page(
    request: Request,
    session: Session,
    user: sessions.WebUser,
    settings: SettingsDep,
    cipher: CipherDep,
    match: Match,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    done: str | None = None,
) -> HTMLResponse:
    detail = match_views.match_detail(
        session,
        actor=user.context,
        match=match,
        cipher=cipher,
        confirmations_required=settings.confirmations_required,
    )
    left = _side(detail.records[0], detail.child_indexes[0])
    right = _side(detail.records[1], detail.child_indexes[1])
    steps = detail.current_explanation or detail.explanation
    actions = []
    if detail.status == schemas.MatchStatus.PENDING:
        actions = ["confirm", "reject"]
    else:
        actions = ["reopen"]
        if (
            detail.status == schemas.MatchStatus.CONFIRMED
            and detail.type == schemas.MatchType.MATCH
            and not detail.disclosed
        ):
            actions.append("disclose")
    return render(
        request,
        "compare.html",
        status=status,
        title="Compare a candidate match",
        match=detail,
        version=match.version,
        left=left,
        right=right,
        rows=_compare_rows(left, right),
        waterfall=_waterfall(steps),
        has_values=detail.current_explanation is not None,
        total=sum(s.bits for s in steps),
        actions=actions,
        errors=errors or {},
        values=values or {},
        done=done if done in decision_store.DECISIONS else None,
        record_url=record_url,
    )


def _match(session: Session, match_id: str) -> Match:
    match = match_store.match_by_id(session, match_id)
    if match is None:
        raise NotFound("match")
    return match


@router.get("/matches/{id}")
def compare(
    id: str,
    request: Request,
    user: Reviewer,
    session: SessionDep,
    settings: SettingsDep,
    cipher: CipherDep,
    done: str | None = None,
) -> HTMLResponse:
    return _compare_page(request, session, user, settings, cipher, _match(session, id), done=done)


@router.post("/matches/{id}/decisions")
def decide(
    id: str,
    request: Request,
    user: Reviewer,
    form: sessions.CheckedForm,
    session: SessionDep,
    settings: SettingsDep,
    cipher: CipherDep,
) -> Response:
    match = _match(session, id)
    values = {"reason": form.get("reason", "")}
    try:
        body = schemas.DecisionIn.model_validate(
            {"decision": form.get("decision", ""), "reason": form.get("reason", "").strip() or None}
        )
    except ValidationError as error:
        errors = errors_by_input(error, FormBody(body={}))
        return _compare_page(
            request,
            session,
            user,
            settings,
            cipher,
            match,
            status=422,
            errors=errors,
            values=values,
        )
    version = form.get("version", "")
    try:
        decision_store.decide(
            session,
            actor=user.context,
            match_id=id,
            decision=body.decision.value,
            reason=body.reason,
            expected_version=int(version) if version.isdigit() else None,
            confirmations_required=settings.confirmations_required,
        )
    except Problem as problem:
        if problem.status == 404:
            raise
        session.rollback()
        field = "reason" if problem.errors else "decision"
        message = problem.detail or problem.title
        if problem.errors:
            message = f"A reason {problem.errors[0]['message']}."
        return _compare_page(
            request,
            session,
            user,
            settings,
            cipher,
            _match(session, id),
            status=problem.status,
            errors={field: message},
            values=values,
        )
    return RedirectResponse(f"/ui/matches/{id}?done={body.decision.value}", status_code=303)
