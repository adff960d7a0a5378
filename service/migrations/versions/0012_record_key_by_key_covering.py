"""record keys indexed by key with the records that carry them

The first pass follows each of a record's keys to the records that carry it; with the
record in the index, those are read from the index alone instead of one row lookup each.
On a registry of 100,000 records (SQLite) a name search went from 78 to 72 ms at the
median, 117 to 107 ms at the 95th percentile. The index replaces the one on (key, kind).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("record_key", schema=None) as batch_op:
        batch_op.create_index(
            "ix_record_key_key_kind_record_pk", ["key", "kind", "record_pk"], unique=False
        )
        batch_op.drop_index("ix_record_key_key_kind")


def downgrade() -> None:
    with op.batch_alter_table("record_key", schema=None) as batch_op:
        batch_op.create_index("ix_record_key_key_kind", ["key", "kind"], unique=False)
        batch_op.drop_index("ix_record_key_key_kind_record_pk")
