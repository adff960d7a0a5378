"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


#: No statement a request runs may take longer than this: a query that would (a registry
#: grown past what an index was built for, a pathological input) is cancelled and the
#: request answered 503, instead of holding a connection and a worker indefinitely.
STATEMENT_TIME_LIMIT_SECONDS = 30.0


def create_db_engine(
    url: str, *, statement_time_limit: float | None = STATEMENT_TIME_LIMIT_SECONDS
) -> Engine:
    """An engine tuned for the backend: WAL and foreign keys for SQLite, a pool for PostgreSQL.

    `statement_time_limit` (seconds) cancels a longer statement; None for maintenance
    (migrations, rebuilds) that may legitimately run long.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=True
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        if statement_time_limit is not None:
            _limit_sqlite_statements(engine, statement_time_limit)
        return engine
    connect_args = dict(POSTGRES_CONNECT_ARGS)
    if statement_time_limit is not None:
        connect_args["options"] = f"-c statement_timeout={int(statement_time_limit * 1000)}"
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        # A request waits at most this long for a free connection, then gets a 503.
        pool_timeout=10,
        connect_args=connect_args,
    )


_CLOCK = "ftr_statement_started"


def _limit_sqlite_statements(engine: Engine, limit: float) -> None:
    """SQLite has no statement timeout: a progress handler, called every few thousand
    virtual-machine steps, interrupts a statement running longer than `limit` seconds
    (the caller gets OperationalError 'interrupted', answered 503)."""

    @sa.event.listens_for(engine, "connect")
    def _handler(dbapi_connection: Any, record: Any) -> None:
        clock: dict[str, float | None] = {"started": None}
        record.info[_CLOCK] = clock

        def too_long() -> int:
            started = clock["started"]
            return int(started is not None and time.monotonic() - started > limit)

        dbapi_connection.set_progress_handler(too_long, 10_000)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, *_: Any) -> None:
        clock = conn.info.get(_CLOCK)
        if clock is not None:
            clock["started"] = time.monotonic()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _stop(conn: Any, *_: Any) -> None:
        clock = conn.info.get(_CLOCK)
        if clock is not None:
            clock["started"] = None


# A PostgreSQL server that is down, or a network that drops packets, must be noticed in
# seconds, not after the operating system's defaults (minutes to hours): a connection attempt
# gives up after 5 s; an idle connection is probed after 10 s and dropped after 3 unanswered
# probes; data unacknowledged for 15 s breaks the connection. Requests then get 503 and
# the pool reconnects by itself when the server is back.
POSTGRES_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while a writer writes; secure_delete overwrites erased data
    # instead of leaving it in free pages of the file.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's ini interpolation treats % specially; URLs may contain escaped characters.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest migration."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def database_is_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return False
    return True
