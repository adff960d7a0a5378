"""No statement runs longer than the time limit: it is cancelled and answered 503."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from service.db import create_db_engine
from service.problems import database_problem

# Counting to a hundred million takes SQLite tens of seconds: far beyond the limit.
ENDLESS_SQLITE = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000000) "
    "SELECT count(*) FROM n"
)


def test_a_long_sqlite_statement_is_interrupted_and_the_connection_stays_usable(
    tmp_path: Path,
) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'limit.sqlite3'}", statement_time_limit=0.2)
    with engine.connect() as connection:
        with pytest.raises(sa.exc.OperationalError) as raised:
            connection.exec_driver_sql(ENDLESS_SQLITE).all()
        assert connection.exec_driver_sql("SELECT 41 + 1").scalar_one() == 42
    problem = database_problem(raised.value)
    assert problem.status == 503
    assert problem.detail
    assert "time limit" in problem.detail
    assert problem.headers
    assert problem.headers["Retry-After"]
    engine.dispose()


def test_maintenance_engines_have_no_limit(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'free.sqlite3'}", statement_time_limit=None)
    with engine.connect() as connection:
        small = ENDLESS_SQLITE.replace("100000000", "200000")
        assert connection.exec_driver_sql(small).scalar_one() == 200_000
    engine.dispose()


def test_a_long_postgresql_statement_is_cancelled_as_503() -> None:
    url = os.environ.get("FTR_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("PostgreSQL tests need FTR_TEST_POSTGRES_URL (set by .ci/run)")
    engine = create_db_engine(url, statement_time_limit=0.2)
    with engine.connect() as connection, pytest.raises(sa.exc.OperationalError) as raised:
        connection.exec_driver_sql("SELECT pg_sleep(5)").all()
    problem = database_problem(raised.value)
    assert problem.status == 503
    assert problem.detail
    assert "time limit" in problem.detail
    engine.dispose()
