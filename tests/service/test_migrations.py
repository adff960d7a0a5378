"""The Alembic migrations and the SQLModel tables describe the same schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from api_tests.pg import postgres_url
from service import tables  # noqa: F401  (registers the tables)
from service.db import create_db_engine, migrate


def _drift(url: str) -> list[object]:
    engine = create_db_engine(url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def test_migrations_match_the_models_on_sqlite(tmp_path: Path) -> None:
    assert _drift(f"sqlite:///{tmp_path / 'drift.sqlite3'}") == []


def test_migrations_match_the_models_on_postgresql() -> None:
    url = postgres_url("migrations")
    if url is None:
        pytest.skip("PostgreSQL tests need FTR_TEST_POSTGRES_URL (set by .ci/run)")
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    assert _drift(url) == []


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.sqlite3'}"
    engine = create_db_engine(url)
    migrate(engine)
    migrate(engine)
    assert _drift(url) == []
