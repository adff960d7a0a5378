"""Alembic environment: migrations are generated from the SQLModel metadata."""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel

from service import tables  # registers the tables on the metadata

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_: str, obj: object, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations stand on their own: the UTC wrapper is rendered as the plain column type.
    if type_ == "type" and isinstance(obj, tables.UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = sa.create_engine(url)
    with engine.begin() as new_connection:
        run_migrations(new_connection)


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `ftr migrate`.")
run()
