"""A distinctive name sent through every kind of request never reaches the logs or the audit log."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from api_tests.conftest import Api
from api_tests.test_matching import child_request, mother_enquiry
from service.observability import JsonFormatter

NAME = "Qzwerty Xanthoulis"
NATIVE = "قزورتي زانثوليس"
PHONE = "+000 555 7777"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("ftr")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_a_distinctive_name_never_reaches_logs_or_the_audit_log(
    api: Api, captured_logs: io.StringIO
) -> None:
    officer = api.headers("officer", org="Agency")
    partner = api.headers("partner", org="NGO")
    reviewer = api.headers("reviewer", org="Agency")
    admin = api.headers("admin", org="Agency")
    child = child_request("TR-PII", full_name=NAME, native_name=NATIVE)
    enquiry = mother_enquiry("EN-PII")
    enquiry["sought"][1]["full_name"] = NAME
    enquiry["enquirer"]["contact"]["phone"] = PHONE
    record = api.client.post("/api/v1/tracing-requests", json=child, headers=officer).json()
    created = api.client.post("/api/v1/enquiries", json=enquiry, headers=partner).json()
    api.client.get(f"/api/v1/tracing-requests/{record['id']}", headers=officer)
    api.client.get(f"/api/v1/tracing-requests/{record['id']}/matches", headers=officer)
    api.client.get(f"/api/v1/enquiries/{created['id']}/matches", headers=partner)
    api.client.post("/api/v1/search", json={"person": {"full_name": NAME}}, headers=officer)
    api.client.post("/api/v1/names/compare", json={"a": NAME, "b": NATIVE}, headers=officer)
    bad = child_request("TR-BAD", full_name=NAME, sex=NAME)
    api.client.post("/api/v1/tracing-requests", json=bad, headers=officer)
    csv = f"kind,external_id,subject.full_name,subject.sex\ntracing_request,C-1,{NAME},{NAME}\n"
    api.client.post(
        "/api/v1/imports", content=csv.encode(), headers={**officer, "Content-Type": "text/csv"}
    )
    api.client.get("/api/v1/exports/csv", headers=officer)
    queue = api.client.get("/api/v1/matches", headers=reviewer).json()["items"]
    for match in queue:
        api.client.get(f"/api/v1/matches/{match['id']}", headers=reviewer)
        api.client.post(
            f"/api/v1/matches/{match['id']}/decisions",
            json={"decision": "reject", "reason": "checked"},
            headers=reviewer,
        )
    api.client.delete(f"/api/v1/tracing-requests/{record['id']}", headers=officer)
    audit = api.client.get("/api/v1/audit", params={"limit": 1000}, headers=admin).json()

    logs = captured_logs.getvalue()
    assert "request" in logs  # the access log did run
    audit_text = json.dumps(audit, ensure_ascii=False)
    for secret in (NAME, "Qzwerty", "Xanthoulis", NATIVE, PHONE):
        assert secret not in logs
        assert secret not in audit_text
