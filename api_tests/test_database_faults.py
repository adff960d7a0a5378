"""A database that is down, full or read-only: problem documents (never a 500), nothing lost.

The SQLite cases run on a copy of the migrated template with a pragma that makes the file
behave as full (`max_page_count`) or read-only (`query_only`); bench.faults does the same on
a real full filesystem, a real read-only file and a PostgreSQL server cut off mid-load.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from api_tests.conftest import Api, enquiry, tracing_request
from service.db import create_db_engine
from service.main import create_app
from service.settings import Settings
from service.web.sessions import SESSION_COOKIE

RECORDS = "/api/v1/tracing-requests"


def _sqlite_with(pragma: str, template: Path, tmp_path: Path) -> Engine:
    path = tmp_path / "faulty.sqlite3"
    shutil.copy(template, path)
    engine = create_db_engine(f"sqlite:///{path}")

    def apply(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(pragma)

    sa.event.listen(engine, "connect", apply)
    return engine


@pytest.fixture
def unreachable(settings: Settings) -> Iterator[TestClient]:
    # Port 1 on loopback: nothing listens there, so every connection is refused at once.
    engine = create_db_engine("postgresql://nobody@127.0.0.1:1/none")
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    with TestClient(app) as client:
        yield client


def test_a_registration_while_the_database_is_down_is_503_with_retry_after(
    unreachable: TestClient,
) -> None:
    response = unreachable.post(
        RECORDS, json=tracing_request(), headers={"Authorization": "Bearer ftr_anything"}
    )
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.headers["content-type"] == "application/problem+json"
    assert "not reachable" in response.json()["detail"]


def test_a_web_page_while_the_database_is_down_is_an_html_page_not_json(
    unreachable: TestClient,
) -> None:
    unreachable.cookies.set(SESSION_COOKIE, "a-session-token")
    response = unreachable.get("/ui/review")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.headers["content-type"].startswith("text/html")
    assert "not reachable" in response.text


def test_postgresql_connections_are_opened_with_a_timeout_and_keepalives() -> None:
    engine = create_db_engine("postgresql://nobody@127.0.0.1:1/none")
    seen: dict[str, Any] = {}

    def capture(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        seen.update(params)

    sa.event.listen(engine, "do_connect", capture)
    with pytest.raises(sa.exc.OperationalError):
        engine.connect()
    assert engine.pool.timeout() <= 10  # type: ignore[attr-defined]
    assert 0 < seen["connect_timeout"] <= 5
    assert seen["keepalives"] == 1
    assert seen["tcp_user_timeout"] > 0


def test_a_write_to_a_full_sqlite_database_is_507_and_nothing_is_half_written(
    api: Api, settings: Settings, sqlite_template: Path, tmp_path: Path
) -> None:
    headers = api.headers("officer")
    # Copy the database with one officer key, then cap it at the pages it already has.
    api.client.post(RECORDS, json=tracing_request("BEFORE"), headers=headers)
    if api.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite file's own limit")
    source = Path(str(api.engine.url.database))
    with api.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()
    engine = _sqlite_with(f"PRAGMA max_page_count={pages}", source, tmp_path)
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    with TestClient(app) as client:
        responses = [
            client.post("/api/v1/enquiries", json=enquiry(f"FULL-{n}"), headers=headers)
            for n in range(20)
        ]
        refused = [r for r in responses if r.status_code != 201]
        assert refused, "the capped file should have filled up"
        assert {r.status_code for r in refused} == {507}
        assert refused[0].headers["content-type"] == "application/problem+json"
        assert "no space left" in refused[0].json()["detail"]
        acknowledged = [r.json()["external_id"] for r in responses if r.status_code == 201]
        for external_id in ["BEFORE", *acknowledged]:
            path = RECORDS if external_id == "BEFORE" else "/api/v1/enquiries"
            found = client.get(path, params={"external_id": external_id}, headers=headers)
            assert len(found.json()["items"]) == 1
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    engine.dispose()


def test_a_write_to_a_read_only_sqlite_database_is_503_naming_it(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    headers = api.headers("officer")
    if api.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite file's own state")
    with api.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    source = Path(str(api.engine.url.database))
    engine = _sqlite_with("PRAGMA query_only=ON", source, tmp_path)
    app = create_app(settings, engine=engine, run_migrations=False, background_worker=False)
    with TestClient(app) as client:
        response = client.post(RECORDS, json=tracing_request(), headers=headers)
        assert response.status_code == 503
        assert response.headers["retry-after"]
        assert "read-only" in response.json()["detail"]
    engine.dispose()


def test_matching_that_keeps_clashing_answers_503_and_leaves_the_record_owed(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service import linkage

    def clash(*_args: Any) -> None:
        raise sa.exc.IntegrityError("INSERT INTO match", {}, Exception("uq_match_pair"))

    headers = api.headers("partner")
    with monkeypatch.context() as patched:
        patched.setattr(linkage, "_match_batch", clash)
        patched.setattr(linkage.time, "sleep", lambda _seconds: None)
        response = api.client.post(RECORDS, json=tracing_request(), headers=headers)
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert api.rows("SELECT count(*) FROM record WHERE matched_at IS NULL") == [(1,)]
    retried = api.client.post(RECORDS, json=tracing_request(), headers=headers)
    assert retried.status_code == 200


def test_a_connection_lost_while_closing_the_session_still_answers(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlmodel import Session

    headers = api.headers("officer")
    real_close = Session.close

    def close_on_a_dead_connection(session: Session) -> None:
        real_close(session)
        raise sa.exc.OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    response = api.client.get(RECORDS, headers=headers)
    assert response.status_code == 200
