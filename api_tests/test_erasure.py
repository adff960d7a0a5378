"""Erasure leaves no trace: not in any table, not in the SQLite files, not in decision reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import SQLModel

from api_tests.conftest import Api
from api_tests.test_matching import child_request, mother_enquiry
from service import tables  # noqa: F401  (registers every table)

NAME = "Zorbathuel Quintavessa"


def tables_holding(api: Api, text: str) -> list[str]:
    """The tables with a row holding `text` in any column, in any case (search keys keep
    name parts in lower case), or any of its words: the whole schema, not a list to forget
    a new table in."""
    words = [word.lower() for word in text.split()]
    found = []
    for table in SQLModel.metadata.sorted_tables:
        dump = str(api.rows(f'SELECT * FROM "{table.name}"')).lower()
        if any(word in dump for word in words):
            found.append(table.name)
    return found


def _register_and_erase(api: Api) -> None:
    """Register a child named NAME (also in capitals among other names), then erase it."""
    officer = api.headers("officer", org="Agency")
    record = api.client.post(
        "/api/v1/tracing-requests",
        json=child_request("TR-Z", full_name=NAME, other_names=[NAME.upper()]),
        headers=officer,
    ).json()
    # Found before the erasure: the checks after it look where the name really was.
    assert set(tables_holding(api, NAME)) == {"person", "record_key"}
    api.client.delete(f"/api/v1/tracing-requests/{record['id']}", headers=officer)


def test_erasure_leaves_the_name_in_no_table(api: Api) -> None:
    _register_and_erase(api)
    assert tables_holding(api, NAME) == []


def test_erasure_leaves_the_name_nowhere_in_the_database_files(api: Api) -> None:
    if api.engine.dialect.name != "sqlite":
        pytest.skip("inspects the SQLite files themselves")
    _register_and_erase(api)
    path = Path(str(api.engine.url.database))
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            content = file.read_bytes()
            assert NAME.encode() not in content, file.name
            assert NAME.upper().encode() not in content, file.name


def test_erasure_blanks_the_reasons_reviewers_wrote_about_its_matches(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    enquiry = api.client.post("/api/v1/enquiries", json=mother_enquiry(), headers=partner).json()
    record = api.client.post(
        "/api/v1/tracing-requests", json=child_request(), headers=api.headers("officer", "Agency")
    ).json()
    match_id = record["candidates"][0]["id"]
    api.client.post(
        f"/api/v1/matches/{match_id}/decisions",
        json={"decision": "reject", "reason": "Youssef's mother named another village"},
        headers=api.headers("reviewer", org="Agency"),
    )
    api.client.delete(f"/api/v1/enquiries/{enquiry['id']}", headers=partner)
    rows = api.rows("SELECT decision, reason, holder FROM match_decision")
    assert rows == [("reject", None, rows[0][2])]
