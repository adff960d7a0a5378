"""Files in and out: CSV, JSON Lines and PFIF imports; PFIF and CSV exports; round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from api_tests.conftest import Api, enquiry, tracing_request

URL = "/api/v1/imports"
PFIF_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfif"

CSV = (
    "\ufeffkind,external_id,consent.tracing,consent.given_by,subject.full_name,"
    "subject.sex,subject.age,relatives.0.relationship,relatives.0.full_name\n"
    "tracing_request,C-1,true,child,Amina Noor,female,9,mother,Hawa Noor\n"
    "tracing_request,C-2,true,child,Abdi Hassan,male,8-10,,\n"
    "tracing_request,C-3,true,child,Liban Ali,boy,7,,\n"
).encode()


def _upload(
    api: Api, content: bytes, content_type: str, headers: dict[str, str], **params: str
) -> Any:
    return api.client.post(
        URL, content=content, params=params, headers={**headers, "Content-Type": content_type}
    )


def _job(api: Api, response: Any, headers: dict[str, str]) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    job: dict[str, Any] = api.client.get(response.headers["location"], headers=headers).json()
    return job


def test_a_csv_file_with_a_bom_imports_with_a_reason_for_the_bad_row(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    job = _job(api, _upload(api, CSV, "text/csv", partner), partner)
    assert job["status"] == "done"
    assert [r["outcome"] for r in job["rows"]] == ["created", "created", "failed"]
    assert job["errors"][0]["external_id"] == "C-3"
    assert job["errors"][0]["reason"].startswith("row 4: ")
    assert "subject.sex" in job["errors"][0]["reason"]
    record = api.client.get(
        f"/api/v1/tracing-requests/{job['rows'][0]['record_id']}", headers=partner
    ).json()
    assert record["relatives"][0]["full_name"] == "Hawa Noor"
    assert record["subject"]["age"] == 9


def test_json_lines_import_one_record_per_line(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    lines = "\n".join(
        json.dumps({"kind": k, **b})
        for k, b in (("tracing_request", tracing_request("J-1")), ("enquiry", enquiry("J-2")))
    )
    job = _job(
        api,
        _upload(api, (lines + "\n{broken\n").encode(), "application/x-ndjson", partner),
        partner,
    )
    assert [r["outcome"] for r in job["rows"]] == ["created", "created", "failed"]
    assert job["errors"][0]["reason"].startswith("row 3: ")


def test_rows_without_consent_are_stored_without_tracing_consent(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    content = b"kind,external_id,subject.full_name\ntracing_request,N-1,Amina Noor\n"
    job = _job(api, _upload(api, content, "text/csv", partner), partner)
    record = api.client.get(
        f"/api/v1/tracing-requests/{job['rows'][0]['record_id']}", headers=partner
    ).json()
    assert record["consent"]["tracing"] is False


def test_consent_for_the_whole_file_comes_from_query_parameters(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    content = b"kind,external_id,subject.full_name\ntracing_request,F-1,Amina Noor\n"
    job = _job(
        api,
        _upload(
            api, content, "text/csv", partner, consent_tracing="true", consent_given_by="agency"
        ),
        partner,
    )
    record = api.client.get(
        f"/api/v1/tracing-requests/{job['rows'][0]['record_id']}", headers=partner
    ).json()
    assert record["consent"]["tracing"] is True
    assert record["consent"]["given_by"] == "agency"


def test_file_consent_without_who_gave_it_is_422(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    response = _upload(api, b"kind,external_id\n", "text/csv", partner, consent_tracing="true")
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("content", "content_type", "status", "words"),
    [
        (
            "kind,external_id,subject.full_name\ntracing_request,L-1,Jos\xe9\n".encode("latin-1"),
            "text/csv",
            422,
            "Latin-1",
        ),
        (b"kind,external_id,subject.nickname\n", "text/csv", 422, "subject.nickname"),
        (b"", "text/csv", 422, "empty"),
        (
            b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
            b"<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;'>]><pfif>&lol2;</pfif>",
            "application/xml",
            422,
            "",
        ),
        (b"<pfif><person>", "application/xml", 422, ""),
        (b"name\nAmina\n", "application/vnd.ms-excel", 415, ""),
    ],
    ids=[
        "latin-1 as utf-8",
        "unknown column",
        "empty",
        "entity expansion",
        "broken xml",
        "spreadsheet",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(
    api: Api, content: bytes, content_type: str, status: int, words: str
) -> None:
    partner = api.headers("partner", org="NGO")
    response = _upload(api, content, content_type, partner)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert api.rows("SELECT count(*) FROM import_job")[0][0] == 0


@pytest.mark.skipif(not PFIF_SAMPLES.is_dir(), reason="the shared PFIF samples are not here")
@pytest.mark.parametrize(
    "sample", sorted(p.name for p in PFIF_SAMPLES.glob("*.xml")) if PFIF_SAMPLES.is_dir() else []
)
def test_every_person_finder_sample_imports_with_bad_records_reported_one_by_one(
    api: Api, sample: str
) -> None:
    partner = api.headers("partner", org="NGO")
    content = (PFIF_SAMPLES / sample).read_bytes()
    job = _job(
        api,
        _upload(
            api,
            content,
            "application/xml",
            partner,
            consent_tracing="true",
            consent_given_by="agency",
        ),
        partner,
    )
    assert job["status"] == "done"
    assert job["counts"]["created"] + job["counts"]["failed"] == job["total"]
    for error in job["errors"]:
        assert error["reason"]
    again = _job(
        api,
        _upload(
            api,
            content,
            "application/xml",
            partner,
            consent_tracing="true",
            consent_given_by="agency",
        ),
        partner,
    )
    assert again["counts"]["created"] == 0


def _seed(api: Api, headers: dict[str, str]) -> None:
    api.client.post("/api/v1/tracing-requests", json=tracing_request("T-1"), headers=headers)
    api.client.post("/api/v1/enquiries", json=enquiry("E-1"), headers=headers)


def test_a_csv_export_imports_back_unchanged(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    _seed(api, partner)
    exported = api.client.get("/api/v1/exports/csv", headers=partner)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "example.org" not in exported.text  # no enquirer contact details
    job = _job(api, _upload(api, exported.content, "text/csv", partner), partner)
    assert job["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "failed": 0}
    listed = api.client.get("/api/v1/enquiries", headers=partner).json()["items"]
    assert listed[0]["enquirer"]["contact"]["email"] == "fatima.demo@example.org"


def test_a_pfif_export_imports_back_unchanged(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    _seed(api, partner)
    exported = api.client.get("/api/v1/exports/pfif", headers=partner)
    assert exported.status_code == 200
    assert "http://zesty.ca/pfif/1.4" in exported.text
    assert "محمد" in exported.text  # names in their own script
    assert "0101" not in exported.text
    job = _job(api, _upload(api, exported.content, "application/xml", partner), partner)
    assert job["counts"]["unchanged"] == 2, job


def test_an_export_holds_only_the_callers_organisation(api: Api) -> None:
    _seed(api, api.headers("partner", org="NGO"))
    other = api.headers("partner", org="Other NGO")
    assert "T-1" not in api.client.get("/api/v1/exports/csv", headers=other).text
    assert "T-1" not in api.client.get("/api/v1/exports/pfif", headers=other).text
