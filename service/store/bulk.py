"""Writing thousands of rows in one go: a bulk import's rows, records, people, keys, events.

On PostgreSQL the rows are streamed with COPY: an executemany there is one INSERT per row
(pipelined, but each parsed, planned and executed on its own), and a multi-row INSERT with
thousands of parameters costs the driver as much to parse as the server to run. On SQLite
one executemany goes straight to the driver, which runs it in-process (through SQLAlchemy
its parameters cost more to prepare than to insert). Either way the rows are written in
the caller's transaction, converted by the columns' own types (JSON, UTC timestamps)
exactly as an INSERT would convert them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.types.json import Json
from sqlmodel import Session, SQLModel

from service.tables import table_of

log = logging.getLogger("ftr.store")


def insert_rows(session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that all name the same columns into the model's table.

    Columns a row leaves out get their scalar defaults (None for most); one whose default is
    computed (a timestamp, an id) must be given.
    """
    if not rows:
        return
    table = table_of(model)
    _write(session, table, rows, _omitted_defaults(table, rows[0]))


def insert_rows_returning_pks(
    session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """`insert_rows`, and the primary key given to each row, in the order of `rows`."""
    if not rows:
        return []
    table = table_of(model)
    (pk,) = table.primary_key.columns
    omitted = _omitted_defaults(table, rows[0])
    if session.connection().dialect.name != "postgresql":
        stored = session.execute(
            sa.insert(table).returning(pk, sort_by_parameter_order=True), rows
        ).all()
        return [int(value) for (value,) in stored]
    # Take the keys from the column's own sequence, as the default would, then COPY them.
    sequence = sa.func.pg_get_serial_sequence(table.name, pk.name)
    pks = [
        int(value)
        for (value,) in session.execute(
            sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, len(rows)))
        ).all()
    ]
    keyed = [{**row, pk.name: value} for row, value in zip(rows, pks, strict=True)]
    _write(session, table, keyed, omitted)
    return pks


def _omitted_defaults(table: sa.Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """The scalar defaults of the columns a row leaves out (its primary key aside);
    ValueError for one whose default is computed, which the caller must give."""
    omitted: dict[str, Any] = {}
    for column in table.columns:
        if column.name in row or column.primary_key:
            continue
        default = column.default
        if default is not None and not getattr(default, "is_scalar", False):
            raise ValueError(f"{table.name}.{column.name} has a computed default: give it")
        omitted[column.name] = getattr(default, "arg", None)
    return omitted


def _write(
    session: Session,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    omitted: Mapping[str, Any],
) -> None:
    """The rows straight to the driver: COPY on PostgreSQL, executemany on SQLite."""
    connection = session.connection()
    dialect = connection.dialect
    names = [*rows[0], *(name for name, value in omitted.items() if value is not None)]
    convert = [_to_db(table.c[name], dialect) for name in names]
    values = (
        [
            value if to_db is None else to_db(value)
            for value, to_db in zip(
                [row[name] if name in row else omitted[name] for name in names],
                convert,
                strict=True,
            )
        ]
        for row in rows
    )
    preparer = dialect.identifier_preparer
    into = f"{preparer.format_table(table)} ({', '.join(preparer.quote(n) for n in names)})"
    # Anything the ORM holds back goes first: the rows may refer to it.
    session.flush()
    if dialect.name != "postgresql":
        marks = ", ".join("?" for _ in names)
        insert = f"INSERT INTO {into} VALUES ({marks})"  # noqa: S608  (names of the table)
        connection.exec_driver_sql(insert, list(map(tuple, values)))
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    statement = f"COPY {into} FROM STDIN"
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row_values in values:
                copy.write_row(row_values)
    except psycopg.Error as error:
        # Raised as SQLAlchemy raises any statement's errors, so that callers tell a clash
        # (IntegrityError) and an unreachable database (OperationalError, a 503) apart.
        raise sa.exc.DBAPIError.instance(statement, None, error, psycopg.Error) from error


def _to_db(column: sa.Column[Any], dialect: sa.Dialect) -> Callable[[Any], Any] | None:
    """How a value of the column is written: its type's own conversion, as an INSERT would
    do it; for COPY, JSON documents as JSON (with none_as_null, as every JSON column here
    has, None is SQL NULL)."""
    if dialect.name == "postgresql" and isinstance(column.type, sa.JSON):
        return lambda value: None if value is None else Json(value)
    convert: Callable[[Any], Any] | None = column.type.bind_processor(dialect)
    return convert


#: New records after which an import refreshes PostgreSQL's view of the tables it grew.
REFRESH_AFTER_RECORDS = 10_000
#: The tables a bulk import grows, and that matching reads by index.
_GROWN_BY_IMPORTS = ("record", "person", "record_key")


def refresh_after_bulk_load(engine: sa.Engine) -> None:
    """Let PostgreSQL plan and read well the tables a bulk import just grew.

    A table's planner statistics and visibility map are refreshed by autovacuum, in its own
    time, or never where it is off: meanwhile the planner guesses at row counts, and the
    first pass's index-only reads of record keys fetch every row from the table as well
    (on this machine, whose PostgreSQL runs without autovacuum, a name search in a
    registry of 100,000 records took 140 ms at the median before and 103 ms after). Plain
    VACUUM blocks neither reads nor writes, and one already running makes this one skip
    the table. SQLite needs nothing: its planner's choices here do not depend on statistics.
    """
    if engine.dialect.name != "postgresql":
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(
                f"VACUUM (ANALYZE, SKIP_LOCKED) {', '.join(_GROWN_BY_IMPORTS)}"
            )
    except sa.exc.SQLAlchemyError as error:
        # Upkeep, not the import's work: autovacuum will get there, so the import goes on.
        log.warning("tables not refreshed after a bulk import: %s", type(error).__name__)
