"""The Python client: typed methods against the app in-process, retries against fakes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from service import schemas
from service.client import (
    ConflictError,
    ForbiddenError,
    FtrApiError,
    FtrClient,
    FtrUnreachableError,
    GoneError,
    InvalidRequestError,
    NotFoundError,
    UnauthorizedError,
    retry_after_seconds,
)
from tests.service.conftest import RemoteApi, enquiry, tracing_request

# -- against the app ----------------------------------------------------------------------


def test_an_officer_registers_a_tracing_request_and_gets_its_candidates(
    remote_api: RemoteApi,
) -> None:
    with remote_api.client("officer") as ftr:
        record = ftr.register_tracing_request(tracing_request())
    assert isinstance(record, schemas.TracingRequestRegistered)
    assert record.external_id == "TR-1"
    assert record.subject.native_name == "هودن عبدي حسن"


def test_a_partner_gets_the_record_without_candidates(remote_api: RemoteApi) -> None:
    record = remote_api.client("partner").register_enquiry(enquiry())
    assert type(record) is schemas.EnquiryOut


def test_registering_the_same_body_again_returns_the_stored_record(
    remote_api: RemoteApi,
) -> None:
    ftr = remote_api.client("partner")
    first = ftr.register_tracing_request(tracing_request())
    again = ftr.register_tracing_request(tracing_request())
    assert again.id == first.id


def test_a_different_body_under_the_same_external_id_is_a_conflict(
    remote_api: RemoteApi,
) -> None:
    ftr = remote_api.client("partner")
    ftr.register_tracing_request(tracing_request())
    changed = tracing_request()
    changed["subject"]["age"] = 10
    with pytest.raises(ConflictError) as refused:
        ftr.register_tracing_request(changed)
    assert refused.value.status == 409


def test_an_invalid_body_raises_with_the_problem_documents_fields(
    remote_api: RemoteApi,
) -> None:
    body = tracing_request()
    body["subject"]["date_of_brith"] = "2015"
    with pytest.raises(InvalidRequestError) as refused:
        remote_api.client("partner").register_tracing_request(body)
    assert refused.value.status == 422
    assert refused.value.title
    assert any("date_of_brith" in error["field"] for error in refused.value.errors)


def test_an_unknown_key_is_unauthorized(remote_api: RemoteApi) -> None:
    ftr = FtrClient(api_key="ftr_not-a-key", http=remote_api.http)
    with pytest.raises(UnauthorizedError):
        ftr.list_records("tracing_request")


def test_a_partner_may_not_search(remote_api: RemoteApi) -> None:
    with pytest.raises(ForbiddenError):
        remote_api.client("partner").search({"full_name": "Hodan Abdi"})


def test_another_organisations_record_is_not_found(remote_api: RemoteApi) -> None:
    record = remote_api.client("partner", "Org A").register_tracing_request(tracing_request())
    with pytest.raises(NotFoundError):
        remote_api.client("partner", "Org B").get_record("tracing_request", record.id)


def test_read_replace_and_erase_a_record(remote_api: RemoteApi) -> None:
    ftr = remote_api.client("partner")
    record = ftr.register_tracing_request(tracing_request())
    assert ftr.get_record("tracing_request", record.id).external_id == "TR-1"
    changed = tracing_request(status="closed")
    replaced = ftr.replace_record("tracing_request", record.id, changed)
    assert replaced.status == "closed"
    found = ftr.find_by_external_id("tracing_request", "TR-1")
    assert found is not None
    assert found.id == record.id
    ftr.erase_record("tracing_request", record.id)
    ftr.erase_record("tracing_request", record.id)  # erased already: done, not an error
    with pytest.raises(GoneError):
        ftr.get_record("tracing_request", record.id)


def test_iter_records_follows_the_cursor_across_pages(remote_api: RemoteApi) -> None:
    ftr = remote_api.client("partner")
    for number in range(5):
        ftr.register_tracing_request(tracing_request(f"TR-{number}"))
    external_ids = [record.external_id for record in ftr.iter_records("tracing_request", limit=2)]
    assert sorted(external_ids) == [f"TR-{number}" for number in range(5)]
    assert ftr.list_records("tracing_request", limit=2).next_cursor is not None


def test_search_ranks_the_matching_record(remote_api: RemoteApi) -> None:
    remote_api.client("partner").register_enquiry(enquiry())
    results = remote_api.client("officer").search(
        {"full_name": "Hodan Abdi Hassan", "sex": "female", "age": 9},
        kind="enquiry",
        limit=5,
        min_score=0.0,
    )
    assert [c.kind for c in results.candidates] == ["enquiry"]
    assert results.candidates[0].explanation


def test_record_matches_review_queue_and_a_decision(remote_api: RemoteApi) -> None:
    officer = remote_api.client("officer")
    record = officer.register_tracing_request(tracing_request())
    officer.register_enquiry(enquiry())
    assert officer.record_matches("tracing_request", record.id).items
    reviewer = remote_api.client("reviewer")
    queue = list(reviewer.iter_review_queue(status="pending", limit=1))
    assert queue
    match, etag = reviewer.get_match_and_etag(queue[0].id)
    assert etag is not None
    decided = reviewer.decide(match.id, "reject", "different child", if_match=etag)
    assert decided.status == "rejected"
    with pytest.raises(FtrApiError) as stale:
        reviewer.decide(match.id, "reopen", "second look", if_match=etag)
    assert stale.value.status == 412


def test_names_are_compared_singly_and_in_pairs(remote_api: RemoteApi) -> None:
    ftr = remote_api.client("partner")
    verdict = ftr.compare_names("محمد عبدالله", "Mohamed Abdalla")
    assert verdict.match
    assert 0.0 <= verdict.score <= 1.0
    verdicts = ftr.compare_name_pairs([("Anna", "Anna"), ("Anna", "Boris")])
    assert [v.match for v in verdicts] == [True, False]


def test_a_csv_file_is_imported_from_its_path_and_waited_for(
    remote_api: RemoteApi, tmp_path: Path
) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        "kind,external_id,subject.full_name,subject.sex\n"
        "tracing_request,CSV-1,Hodan Abdi,female\n"
        "tracing_request,CSV-2,,female\n",
        encoding="utf-8",
    )
    ftr = remote_api.client("partner")
    job = ftr.import_file(path, "csv", consent={"tracing": True, "given_by": "agency"})
    seen: list[int] = []
    done = ftr.wait_for_import(job.id, poll=0, on_progress=lambda job: seen.append(job.processed))
    assert done.status == "done"
    assert (done.counts.created, done.counts.failed) == (1, 1)
    assert done.errors[0].external_id == "CSV-2"
    # Polls ask for counts only; the finished job comes with every row's outcome.
    assert [row.outcome for row in done.rows] == ["created", "failed"]
    assert seen[-1] == 2


def test_a_stream_given_as_a_function_is_uploaded(remote_api: RemoteApi) -> None:
    lines = [json.dumps(tracing_request(f"JL-{n}")).encode() + b"\n" for n in range(3)]
    ftr = remote_api.client("partner")
    job = ftr.import_file(lambda: iter(lines), "application/x-ndjson", kind="tracing_request")
    assert ftr.wait_for_import(job.id, poll=0).counts.created == 3


def test_records_are_imported_as_json(remote_api: RemoteApi) -> None:
    ftr = remote_api.client("partner")
    job = ftr.import_records(
        [
            {"kind": "tracing_request", **tracing_request()},
            {"kind": "enquiry", **enquiry()},
        ]
    )
    assert ftr.wait_for_import(job.id, poll=0).counts.created == 2


def test_exports_stream_into_a_file(remote_api: RemoteApi) -> None:
    ftr = remote_api.client("partner")
    ftr.register_tracing_request(tracing_request())
    csv_out, pfif_out = io.BytesIO(), io.BytesIO()
    assert ftr.export_csv(csv_out) == len(csv_out.getvalue()) > 0
    assert "Hodan Cabdi Xasan" in csv_out.getvalue().decode("utf-8-sig")
    ftr.export_pfif(pfif_out)
    assert pfif_out.getvalue().lstrip().startswith(b"<?xml")


def test_an_administrator_reads_the_audit_log(remote_api: RemoteApi) -> None:
    remote_api.client("partner").register_tracing_request(tracing_request())
    actions = {event.action for event in remote_api.client("admin").iter_audit(limit=50)}
    assert actions


def test_health_and_readiness(remote_api: RemoteApi) -> None:
    ftr = remote_api.client("partner")
    assert ftr.health() == {"status": "ok"}
    assert ftr.ready() is True


# -- retries, against fake transports -----------------------------------------------------


def _fake(
    handler: Callable[[httpx.Request], httpx.Response], **options: object
) -> tuple[FtrClient, list[float]]:
    slept: list[float] = []
    http = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://ftr.test")
    client = FtrClient("http://ftr.test", api_key="ftr_x", http=http, sleep=slept.append, **options)  # type: ignore[arg-type]
    return client, slept


def _answers(*responses: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        return queue.pop(0)

    return handler


def test_a_503_with_retry_after_is_retried_after_the_seconds_asked() -> None:
    client, slept = _fake(
        _answers(
            httpx.Response(503, headers={"Retry-After": "7"}, json={"title": "Unavailable"}),
            httpx.Response(200, json={"status": "ok"}),
        )
    )
    assert client.health() == {"status": "ok"}
    assert slept == [7.0]


def test_a_429_with_an_http_date_waits_until_then_capped() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    client, slept = _fake(
        _answers(
            httpx.Response(429, headers={"Retry-After": later}, json={"title": "Too many"}),
            httpx.Response(200, json={"status": "ok"}),
        ),
        max_backoff=10.0,
    )
    client.health()
    assert slept == [10.0]


def test_without_retry_after_the_backoff_grows_with_jitter_below_the_cap() -> None:
    client, slept = _fake(
        _answers(*[httpx.Response(502) for _ in range(3)], httpx.Response(200, json={})),
        backoff=1.0,
        max_backoff=3.0,
    )
    client.health()
    assert len(slept) == 3
    assert all(0 <= wait <= cap for wait, cap in zip(slept, [1.0, 2.0, 3.0], strict=True))


def test_retries_stop_after_max_retries_with_the_last_answer() -> None:
    client, slept = _fake(
        _answers(*[httpx.Response(503, json={"title": "Unavailable"}) for _ in range(3)]),
        max_retries=2,
    )
    with pytest.raises(FtrApiError) as failed:
        client.health()
    assert failed.value.status == 503
    assert len(slept) == 2


def test_a_server_that_cannot_be_reached_raises_after_the_retries() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client, slept = _fake(refuse, max_retries=3)
    with pytest.raises(FtrUnreachableError):
        client.health()
    assert len(slept) == 3


def test_a_problem_document_becomes_the_exception_for_its_status() -> None:
    problem = {"title": "Invalid request", "detail": "x: bad", "errors": [{"field": "x"}]}
    client, _ = _fake(_answers(httpx.Response(422, json=problem)))
    with pytest.raises(InvalidRequestError) as refused:
        client.health()
    assert (refused.value.title, refused.value.detail) == ("Invalid request", "x: bad")
    assert refused.value.errors == [{"field": "x"}]


def test_a_registration_whose_answer_was_lost_is_retried_safely(remote_api: RemoteApi) -> None:
    """The server stored the record but the answer never arrived: the retry gets it back."""
    inner = remote_api.http._transport
    lost = [True]

    class LosingTheFirstAnswer(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = inner.handle_request(request)
            if lost[0] and request.method == "POST":
                lost[0] = False
                response.read()
                return httpx.Response(503, headers={"Retry-After": "1"})
            return response

    slept: list[float] = []
    http = httpx.Client(transport=LosingTheFirstAnswer(), base_url="http://testserver")
    ftr = FtrClient(api_key=remote_api.key("partner"), http=http, sleep=slept.append)
    record = ftr.register_tracing_request(tracing_request())
    assert slept == [1.0]
    assert [r.id for r in ftr.iter_records("tracing_request")] == [record.id]


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("5") == 5.0
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Wed, 31 Dec 2025 00:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_the_client_imports_neither_fastapi_nor_the_database_layer() -> None:
    code = (
        "import sys, service.client; "
        "print([m for m in ('fastapi', 'starlette', 'sqlmodel', 'sqlalchemy') "
        "if m in sys.modules])"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"
