"""PostgreSQL databases for tests: one per pytest-xdist worker and purpose, created on demand.

Tests that drop and rebuild a schema must not share a database with tests running at the
same time in another worker.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

BASE_URL = os.environ.get("FTR_TEST_POSTGRES_URL")


def postgres_url(purpose: str) -> str | None:
    """The URL of a database of its own for `purpose` in this worker, or None without PG."""
    if not BASE_URL:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = sa.engine.make_url(BASE_URL)
    name = f"{url.database}_{purpose}_{worker}".lower()
    admin = sa.create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)
