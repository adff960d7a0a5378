"""`ftr retention run`: closed records are erased a set number of days after closing, through
the same erasure as DELETE, and nothing else is touched. All people are synthetic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import Result
from rich.console import Console
from sqlmodel import col
from typer.testing import CliRunner

from api_tests.conftest import ENCRYPTION_KEY, Api
from api_tests.test_erasure import tables_holding
from api_tests.test_matching import child_request, mother_enquiry
from service.cli import app
from service.settings import get_settings
from service.tables import Record, utcnow

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"
NAME = "Quillomara Vestranidze"
RETENTION_DAYS = 30

RunRetention = Callable[..., Result]


@pytest.fixture
def run_retention(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[RunRetention]:
    """`ftr retention run` on the test's own database, as an operator would run it."""
    monkeypatch.setenv("FTR_DATABASE_URL", api.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("FTR_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("FTR_ENCRYPTION_KEYS", ENCRYPTION_KEY)
    monkeypatch.setenv("FTR_RETENTION_CLOSED_DAYS", str(RETENTION_DAYS))
    monkeypatch.delenv("FTR_ENV", raising=False)
    # Wide enough that no record id is wrapped inside the table.
    monkeypatch.setattr("service.cli.console", Console(width=250))

    def run(*args: str) -> Result:
        get_settings.cache_clear()
        return CliRunner().invoke(app, ["retention", "run", *args])

    yield run
    get_settings.cache_clear()


def _closed(api: Api, path: str, body: dict[str, Any], *, days_ago: int) -> str:
    """Register a record, close it, and date its closing `days_ago` days back."""
    officer = api.headers("officer", org="Agency")
    record_id = str(api.client.post(path, json=body, headers=officer).json()["id"])
    closing = api.client.put(
        f"{path}/{record_id}", json=body | {"status": "closed"}, headers=officer
    )
    assert closing.status_code == 200, closing.text
    _date_back(api, record_id, closed_at=utcnow() - timedelta(days=days_ago))
    return record_id


def _date_back(api: Api, record_id: str, **columns: datetime) -> None:
    with api.engine.begin() as connection:
        connection.execute(sa.update(Record).where(col(Record.id) == record_id).values(**columns))


def _erased(api: Api) -> set[str]:
    return {id for (id,) in api.rows("SELECT id FROM record WHERE erased_at IS NOT NULL")}


def test_only_records_closed_longer_than_the_retention_period_are_erased(
    api: Api, run_retention: RunRetention
) -> None:
    officer = api.headers("officer", org="Agency")
    api.client.post(EN, json=mother_enquiry("EN-M"), headers=api.headers("partner", org="NGO"))
    matched = api.client.post(TR, json=child_request("TR-M"), headers=officer).json()
    confirmed = api.client.post(
        f"/api/v1/matches/{matched['candidates'][0]['id']}/decisions",
        json={"decision": "confirm"},
        headers=api.headers("reviewer", org="Agency"),
    )
    assert confirmed.status_code == 200, confirmed.text
    still_open = api.client.post(TR, json=child_request("TR-OPEN"), headers=officer).json()
    long_ago = utcnow() - timedelta(days=10 * RETENTION_DAYS)
    # Old but not closed: only the closing counts, not the age of the record or its last change.
    for record_id in (matched["id"], still_open["id"]):
        _date_back(api, record_id, created_at=long_ago, updated_at=long_ago)
    old_request = _closed(api, TR, child_request("TR-OLD"), days_ago=RETENTION_DAYS + 1)
    old_enquiry = _closed(api, EN, mother_enquiry("EN-OLD"), days_ago=10 * RETENTION_DAYS)
    _closed(api, TR, child_request("TR-RECENT"), days_ago=RETENTION_DAYS - 1)

    result = run_retention()

    assert result.exit_code == 0, result.output
    assert _erased(api) == {old_request, old_enquiry}
    assert old_request in result.output
    assert old_enquiry in result.output
    assert "2 records closed more than 30 days ago erased" in result.output
    statuses = dict(api.rows("SELECT external_id, status FROM record WHERE erased_at IS NULL"))
    assert statuses == {
        "EN-M": "matched",
        "TR-M": "matched",
        "TR-OPEN": "open",
        "TR-RECENT": "closed",
    }


def test_a_dry_run_lists_what_would_go_by_kind_and_erases_nothing(
    api: Api, run_retention: RunRetention
) -> None:
    old_enquiry = _closed(api, EN, mother_enquiry("EN-OLD"), days_ago=RETENTION_DAYS + 5)
    people = api.rows("SELECT count(*) FROM person")[0][0]

    result = run_retention("--dry-run")

    assert result.exit_code == 0, result.output
    assert "enquiry" in result.output
    assert old_enquiry in result.output
    assert "1 record closed more than 30 days ago would be erased (dry run)" in result.output
    assert _erased(api) == set()
    assert api.rows("SELECT count(*) FROM person")[0][0] == people


def test_retention_erases_as_delete_does_leaving_a_tombstone_and_an_audit_event(
    api: Api, run_retention: RunRetention
) -> None:
    body = child_request("TR-Q", full_name=NAME)
    record_id = _closed(api, TR, body, days_ago=RETENTION_DAYS + 1)

    assert run_retention().exit_code == 0

    officer = api.headers("officer", org="Agency")
    assert api.client.get(f"{TR}/{record_id}", headers=officer).status_code == 410
    # The tombstone keeps the external_id: a retried submission cannot bring the child back.
    assert api.client.post(TR, json=body, headers=officer).status_code == 409
    events = api.client.get(
        "/api/v1/audit",
        params={"action": "record.erase", "target_id": record_id},
        headers=api.headers("admin", org="Agency"),
    ).json()["items"]
    assert [(e["outcome"], e["details"]) for e in events] == [
        ("ok", {"reason": "retention", "closed_days": RETENTION_DAYS})
    ]
    assert tables_holding(api, NAME) == []  # nor in the audit log


def test_changing_a_closed_record_does_not_postpone_its_erasure(
    api: Api, run_retention: RunRetention
) -> None:
    record_id = _closed(api, TR, child_request("TR-OLD"), days_ago=RETENTION_DAYS + 1)
    changed = child_request("TR-OLD", age=10) | {"status": "closed"}
    officer = api.headers("officer", org="Agency")
    assert api.client.put(f"{TR}/{record_id}", json=changed, headers=officer).status_code == 200

    run_retention()

    assert _erased(api) == {record_id}


def test_a_reopened_record_is_kept(api: Api, run_retention: RunRetention) -> None:
    record_id = _closed(api, TR, child_request("TR-OLD"), days_ago=RETENTION_DAYS + 1)
    reopened = child_request("TR-OLD") | {"status": "open"}
    officer = api.headers("officer", org="Agency")
    assert api.client.put(f"{TR}/{record_id}", json=reopened, headers=officer).status_code == 200

    run_retention()

    assert _erased(api) == set()


def test_without_the_setting_retention_is_off_says_so_and_exits_2(
    api: Api, run_retention: RunRetention, monkeypatch: pytest.MonkeyPatch
) -> None:
    _closed(api, TR, child_request("TR-OLD"), days_ago=10 * RETENTION_DAYS)
    monkeypatch.delenv("FTR_RETENTION_CLOSED_DAYS")

    result = run_retention()

    assert result.exit_code == 2
    assert "Retention is off" in result.output
    assert _erased(api) == set()
