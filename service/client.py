"""A Python client for the FTR matching API, for partners' scripts and the `ftr` command.

```python
from service.client import FtrClient

with FtrClient("https://ftr.example.org", api_key="ftr_...") as ftr:
    record = ftr.register_tracing_request({...})
    for enquiry in ftr.iter_records("enquiry", status="open"):
        ...
```

Every method returns the API's own response models (`service.schemas`), so a script is
type-checked against the contract. Failures raise `FtrApiError` (a subclass per common status)
carrying the RFC 9457 problem document; a server that cannot be reached after the retries
raises `FtrUnreachableError`.

Retries: 429, 502, 503 and 504 answers and connection errors are retried with exponential
backoff and jitter, waiting what `Retry-After` asks for when the server says (capped). Retrying
a POST of a record is safe because registration is idempotent by `external_id`: the same body
again answers 200 with the stored record instead of registering it twice. Retrying an import
is safe for the same reason (rows are upserted by `external_id`; a repeated row is reported
`unchanged`).

This module needs httpx and pydantic only: it imports neither FastAPI nor the database layer.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, TypeVar

import httpx
from pydantic import BaseModel

from matching.records import RecordKind
from service import schemas
from service.schemas import NameVerdict, NameVerdicts

__all__ = [
    "DEFAULT_URL",
    "ConflictError",
    "ForbiddenError",
    "FtrApiError",
    "FtrClient",
    "FtrUnreachableError",
    "GoneError",
    "InvalidRequestError",
    "NameVerdict",
    "NotFoundError",
    "UnauthorizedError",
]

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
RETRY_STATUSES = frozenset({429, 502, 503, 504})
API = "/api/v1"

KIND_PATHS = {
    RecordKind.TRACING_REQUEST: "tracing-requests",
    RecordKind.ENQUIRY: "enquiries",
}
MEDIA_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "pfif": "application/xml",
    "json": "application/json",
}

Model = TypeVar("Model", bound=BaseModel)
Kind = RecordKind | Literal["tracing_request", "enquiry"]
RecordOut = schemas.TracingRequestOut | schemas.EnquiryOut
Registered = schemas.TracingRequestRegistered | schemas.EnquiryRegistered
Body = Mapping[str, Any] | BaseModel
#: An import file: a path, an open binary file (rewound on a retry when it can seek), or a
#: function giving the body afresh for each attempt (an iterator of bytes, streamed).
ImportSource = str | os.PathLike[str] | IO[bytes] | Callable[[], Iterable[bytes]]


# -- errors -------------------------------------------------------------------------------


class FtrApiError(Exception):
    """The API refused a request; `problem` is its RFC 9457 problem document."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        self.status = status
        self.problem: dict[str, Any] = dict(problem)
        self.title: str = str(problem.get("title") or f"HTTP {status}")
        self.detail: str | None = (
            str(problem["detail"]) if problem.get("detail") is not None else None
        )
        raw_errors = problem.get("errors")
        self.errors: list[dict[str, Any]] = (
            [error for error in raw_errors if isinstance(error, dict)]
            if isinstance(raw_errors, list)
            else []
        )
        super().__init__(f"{status} {self.title}" + (f": {self.detail}" if self.detail else ""))


class UnauthorizedError(FtrApiError):
    """401: no key, or a key that is unknown or revoked."""


class ForbiddenError(FtrApiError):
    """403: the key's role may not do this."""


class NotFoundError(FtrApiError):
    """404: no such thing, or one the key's organisation may not know exists."""


class ConflictError(FtrApiError):
    """409: e.g. another body under an external_id already registered (use replace_record)."""


class GoneError(FtrApiError):
    """410: the record was erased; its personal data no longer exists."""


class InvalidRequestError(FtrApiError):
    """422: the request names bad fields; see `errors`."""


class FtrUnreachableError(Exception):
    """The server could not be reached (or kept failing) after every retry."""


_ERROR_OF_STATUS: dict[int, type[FtrApiError]] = {
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    422: InvalidRequestError,
}


def _api_error(response: httpx.Response) -> FtrApiError:
    try:
        problem = response.json()
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        problem = {"title": response.reason_phrase or f"HTTP {response.status_code}"}
    return _ERROR_OF_STATUS.get(response.status_code, FtrApiError)(response.status_code, problem)


# -- responses the schemas module does not hold -------------------------------------------


class _MatchSummaryPage(BaseModel):
    items: list[schemas.MatchSummary]
    next_cursor: str | None


# -- the client ---------------------------------------------------------------------------


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """The wait a `Retry-After` header asks for: seconds, or an HTTP date; None if absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class FtrClient:
    """A synchronous client for the whole API (also a context manager that closes it).

    `http` lets a caller bring their own `httpx.Client` (tests pass FastAPI's TestClient);
    the client then uses its base URL and does not close it. `sleep` is how retries wait.

    Retries (up to `max_retries` after the first attempt) cover 429, 502, 503, 504 and
    connection errors, waiting `backoff * 2**attempt` seconds with full jitter, or what
    `Retry-After` asks for, never more than `max_backoff`. POSTs are retried too: a
    registration is idempotent by external_id (the same body again answers 200 with the
    stored record), and an import upserts by external_id.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        api_key: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = "ftr-client/1",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._owns_http = http is None
        self._http = http or httpx.Client(base_url=self.base_url, timeout=timeout)
        self._headers = {"User-Agent": user_agent, "Accept": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"

    def __enter__(self) -> FtrClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # -- transport ------------------------------------------------------------------------

    def _wait(self, attempt: int, response: httpx.Response | None) -> float:
        asked = retry_after_seconds(response.headers.get("Retry-After")) if response else None
        if asked is not None:
            return min(asked, self.max_backoff)
        return random.uniform(0, min(self.max_backoff, self.backoff * 2**attempt))  # noqa: S311

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: Callable[[], bytes | Iterable[bytes]] | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
        stream: bool = False,
        ok: Iterable[int] = (),
    ) -> httpx.Response:
        """One request with retries; raises FtrApiError for a 4xx/5xx not in `ok`.

        `content` is a function that gives the body afresh for each attempt.
        """
        merged = {**self._headers, **(headers or {})}
        query = _query(params) if params else None
        attempts = 1 + (self.max_retries if retry else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                request = self._http.build_request(
                    method,
                    path,
                    params=query,
                    json=json,
                    content=content() if content is not None else None,
                    headers=merged,
                )
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as error:
                if last:
                    raise FtrUnreachableError(
                        f"cannot reach {self.base_url}: {error.__class__.__name__}: {error}"
                    ) from error
                self._sleep(self._wait(attempt, None))
                continue
            if response.status_code in RETRY_STATUSES and not last:
                response.close()
                self._sleep(self._wait(attempt, response))
                continue
            if response.status_code >= 400 and response.status_code not in ok:
                if stream:
                    response.read()
                    response.close()
                raise _api_error(response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, path: str, model: type[Model], **params: Any) -> Model:
        return model.model_validate(self._send("GET", path, params=params).json())

    def _pages(self, path: str, model: type[Model], params: Mapping[str, Any]) -> Iterator[Model]:
        """Every item of a cursor-paginated list, page after page."""
        query = dict(params)
        while True:
            page = self._send("GET", path, params=query).json()
            for item in page["items"]:
                yield model.model_validate(item)
            if not page.get("next_cursor"):
                return
            query["cursor"] = page["next_cursor"]

    # -- operations -----------------------------------------------------------------------

    def health(self) -> dict[str, str]:
        """`GET /healthz`: the process answers."""
        result: dict[str, str] = self._send("GET", "/healthz").json()
        return result

    def ready(self) -> bool:
        """`GET /readyz`: whether the service and its database are ready (no retries)."""
        return self._send("GET", "/readyz", retry=False, ok=(503,)).status_code == 200

    # -- records --------------------------------------------------------------------------

    def register(self, kind: Kind, body: Body) -> RecordOut | Registered:
        """Register a record of either kind; the same body again returns the stored record.

        Officers get the record with its best `candidates`; other roles the record alone.
        """
        response = self._send("POST", _records_path(kind), json=_plain(body))
        return _record_of(RecordKind(kind), response.json())

    def register_tracing_request(
        self, body: schemas.TracingRequestIn | Mapping[str, Any]
    ) -> schemas.TracingRequestOut | schemas.TracingRequestRegistered:
        """`POST /api/v1/tracing-requests` (201 new, 200 the same submission again)."""
        record = self.register(RecordKind.TRACING_REQUEST, body)
        assert isinstance(record, schemas.TracingRequestOut)
        return record

    def register_enquiry(
        self, body: schemas.EnquiryIn | Mapping[str, Any]
    ) -> schemas.EnquiryOut | schemas.EnquiryRegistered:
        """`POST /api/v1/enquiries` (201 new, 200 the same submission again)."""
        record = self.register(RecordKind.ENQUIRY, body)
        assert isinstance(record, schemas.EnquiryOut)
        return record

    def get_record(self, kind: Kind, id: str) -> RecordOut:
        """Read one record of your organisation (reviewers: any)."""
        response = self._send("GET", f"{_records_path(kind)}/{id}")
        return _record_of(RecordKind(kind), response.json(), registered=False)

    def replace_record(self, kind: Kind, id: str, body: Body) -> RecordOut | Registered:
        """Replace a record; a changed record is matched again before the answer."""
        response = self._send("PUT", f"{_records_path(kind)}/{id}", json=_plain(body))
        return _record_of(RecordKind(kind), response.json())

    def erase_record(self, kind: Kind, id: str) -> None:
        """Erase a record's personal data (a tombstone and the audit trail remain).

        A record erased already (410, as after a retry whose first answer was lost) is done.
        """
        self._send("DELETE", f"{_records_path(kind)}/{id}", ok=(410,))

    def list_records(self, kind: Kind, **filters: Any) -> schemas.RecordPage:
        """One page of records: filters status, external_id, updated_since, organisation_id,
        cursor, limit (≤ 1000)."""
        return self._get(_records_path(kind), schemas.RecordPage, **filters)

    def iter_records(self, kind: Kind, **filters: Any) -> Iterator[RecordOut]:
        """Every record matching the filters, following `next_cursor` page after page."""
        model = _out_model(RecordKind(kind))
        yield from self._pages(_records_path(kind), model, filters)

    def find_by_external_id(self, kind: Kind, external_id: str) -> RecordOut | None:
        """Your record with this external id, or None."""
        page = self.list_records(kind, external_id=external_id, limit=1)
        return page.items[0] if page.items else None

    # -- matches --------------------------------------------------------------------------

    def record_matches(self, kind: Kind, id: str) -> schemas.RecordMatches:
        """A record's candidate matches, best first (a partner: ids and statuses only)."""
        return self._get(f"{_records_path(kind)}/{id}/matches", schemas.RecordMatches)

    def iter_review_queue(self, **filters: Any) -> Iterator[schemas.MatchSummary]:
        """The review queue (reviewers): filters status, band, type, organisation_id, limit."""
        yield from self._pages(f"{API}/matches", schemas.MatchSummary, filters)

    def get_match(self, id: str) -> schemas.MatchDetail:
        """One match with both records side by side (reviewers)."""
        return self.get_match_and_etag(id)[0]

    def get_match_and_etag(self, id: str) -> tuple[schemas.MatchDetail, str | None]:
        """One match and its ETag, to pass to `decide(..., if_match=...)`."""
        response = self._send("GET", f"{API}/matches/{id}")
        return schemas.MatchDetail.model_validate(response.json()), response.headers.get("ETag")

    def decide(
        self,
        id: str,
        decision: schemas.DecisionKind | str,
        reason: str | None = None,
        *,
        if_match: str | None = None,
    ) -> schemas.MatchDetail:
        """Confirm, reject, reopen or disclose a match; with `if_match`, 412 if it changed.

        Not retried: a decision is not idempotent (a second confirm is a second event).
        """
        response = self._send(
            "POST",
            f"{API}/matches/{id}/decisions",
            json={"decision": str(schemas.DecisionKind(decision)), "reason": reason},
            headers={"If-Match": if_match} if if_match else None,
            retry=False,
        )
        return schemas.MatchDetail.model_validate(response.json())

    def search(
        self,
        person: schemas.Person | Mapping[str, Any],
        *,
        kind: Kind | None = None,
        limit: int | None = None,
        min_score: float | None = None,
    ) -> schemas.SearchResults:
        """Ad-hoc search for a person in any script, best first (officers, reviewers)."""
        body: dict[str, Any] = {"person": _plain(person)}
        if kind is not None:
            body["kind"] = str(RecordKind(kind))
        if limit is not None:
            body["limit"] = limit
        if min_score is not None:
            body["min_score"] = min_score
        response = self._send("POST", f"{API}/search", json=body)
        return schemas.SearchResults.model_validate(response.json())

    def compare_names(self, a: str, b: str) -> NameVerdict:
        """The service's name matcher on two names, with its explanation."""
        response = self._send("POST", f"{API}/names/compare", json={"a": a, "b": b})
        return NameVerdict.model_validate(response.json())

    def compare_name_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[NameVerdict]:
        """The matcher's verdicts on up to 1,000 pairs at once, in order."""
        body = {"pairs": [{"a": a, "b": b} for a, b in pairs]}
        response = self._send("POST", f"{API}/names/compare", json=body)
        return NameVerdicts.model_validate(response.json()).results

    # -- imports and exports --------------------------------------------------------------

    def import_records(
        self, records: Sequence[Mapping[str, Any] | BaseModel]
    ) -> schemas.ImportJobOut:
        """Bulk registration of up to 10,000 records, each with its `kind`; returns the job."""
        body = {"records": [_plain(record) for record in records]}
        response = self._send("POST", f"{API}/imports", json=body)
        return schemas.ImportJobOut.model_validate(response.json())

    def import_file(
        self,
        source: ImportSource,
        content_type: str,
        *,
        kind: Kind | None = None,
        consent: schemas.Consent | Mapping[str, Any] | None = None,
    ) -> schemas.ImportJobOut:
        """Upload an import file, streamed (never read into memory); returns the queued job.

        `content_type` is a media type or a format name (csv, jsonl, pfif, json). `kind` is
        the kind of rows that do not say theirs; `consent` applies to rows stating none.
        A path or a seekable file is sent again on a retry; a one-shot stream is not retried.
        """
        media_type = MEDIA_TYPES.get(content_type, content_type)
        params: dict[str, Any] = {}
        if kind is not None:
            params["kind"] = str(RecordKind(kind))
        if consent is not None:
            given = _plain(consent)
            for name in ("tracing", "share_with_partners", "given_by", "date"):
                if given.get(name) is not None:
                    params[f"consent_{name}"] = given[name]
        body, retry, cleanup = _body_of(source)
        try:
            response = self._send(
                "POST",
                f"{API}/imports",
                params=params,
                content=body,
                headers={"Content-Type": media_type},
                retry=retry,
            )
        finally:
            cleanup()
        return schemas.ImportJobOut.model_validate(response.json())

    def get_import(
        self, id: str, *, rows: Literal["all", "failed", "none"] = "all"
    ) -> schemas.ImportJobOut:
        """An import's progress and each row's outcome (`rows`: all of them, only the failed
        ones, or none: counts only)."""
        return self._get(f"{API}/imports/{id}", schemas.ImportJobOut, rows=rows)

    def wait_for_import(
        self,
        id: str,
        *,
        poll: float = 1.0,
        timeout: float | None = None,
        on_progress: Callable[[schemas.ImportJobOut], None] | None = None,
    ) -> schemas.ImportJobOut:
        """Poll an import until it is done or failed; `on_progress` sees every poll.

        Polls ask for the counts only, and the finished job is read once with every row's
        outcome: listing a large job's rows on every poll cost the server more than storing
        them. `TimeoutError` after `timeout` seconds (None: wait as long as it takes).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = self.get_import(id, rows="none")
            if job.status in ("done", "failed"):
                job = self.get_import(id)
            if on_progress is not None:
                on_progress(job)
            if job.status in ("done", "failed"):
                return job
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"import {id} is still {job.status} after {timeout} s")
            self._sleep(poll)

    def export_pfif(self, to_stream: IO[bytes]) -> int:
        """Stream your organisation's records as PFIF 1.4 XML into `to_stream`; bytes written."""
        return self._export(f"{API}/exports/pfif", to_stream)

    def export_csv(self, to_stream: IO[bytes]) -> int:
        """Stream your organisation's records as CSV (the import's columns); bytes written."""
        return self._export(f"{API}/exports/csv", to_stream)

    def _export(self, path: str, to_stream: IO[bytes]) -> int:
        response = self._send("GET", path, stream=True, headers={"Accept": "*/*"})
        written = 0
        try:
            for chunk in response.iter_bytes():
                to_stream.write(chunk)
                written += len(chunk)
        finally:
            response.close()
        return written

    # -- audit ----------------------------------------------------------------------------

    def iter_audit(self, **filters: Any) -> Iterator[schemas.AuditEventOut]:
        """The audit log, newest first (admins): filters action, actor_key_id,
        organisation_id, target_id, since, until, limit."""
        yield from self._pages(f"{API}/audit", schemas.AuditEventOut, filters)


# -- helpers ------------------------------------------------------------------------------


def _records_path(kind: Kind) -> str:
    return f"{API}/{KIND_PATHS[RecordKind(kind)]}"


def _out_model(kind: RecordKind) -> type[schemas.TracingRequestOut] | type[schemas.EnquiryOut]:
    return schemas.TracingRequestOut if kind is RecordKind.TRACING_REQUEST else schemas.EnquiryOut


def _record_of(
    kind: RecordKind, raw: dict[str, Any], *, registered: bool = True
) -> RecordOut | Registered:
    if registered and "candidates" in raw:
        if kind is RecordKind.TRACING_REQUEST:
            return schemas.TracingRequestRegistered.model_validate(raw)
        return schemas.EnquiryRegistered.model_validate(raw)
    return _out_model(kind).model_validate(raw)


def _plain(value: Body) -> dict[str, Any]:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    return dict(value)


def _query(params: Mapping[str, Any]) -> dict[str, str]:
    query: dict[str, str] = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            query[name] = "true" if value else "false"
        elif isinstance(value, datetime):
            query[name] = value.isoformat()
        else:
            query[name] = str(value)
    return query


def _body_of(
    source: ImportSource,
) -> tuple[Callable[[], bytes | Iterable[bytes]], bool, Callable[[], None]]:
    """A function giving the body for each attempt, whether to retry, and a cleanup."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        opened: list[IO[bytes]] = []

        def reopen() -> IO[bytes]:
            for handle in opened:
                handle.close()
            opened.clear()
            opened.append(path.open("rb"))
            return opened[0]

        def close_all() -> None:
            for handle in opened:
                handle.close()

        return reopen, True, close_all
    if callable(source):
        return source, True, lambda: None
    stream = source
    if stream.seekable():
        start = stream.tell()

        def rewind() -> IO[bytes]:
            stream.seek(start)
            return stream

        return rewind, True, lambda: None
    return lambda: stream, False, lambda: None
