"""record keys indexed by record with the key itself

The first pass re-weighs a pool of up to 1,000 candidates by every key they carry; with
the key in the index, those are read from the index alone instead of one row lookup per
key (about 40 keys a record). On a registry of 100,000 records (SQLite) a record's first
pass went from 87 to 37 ms.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 11:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("record_key", schema=None) as batch_op:
        batch_op.create_index("ix_record_key_record_pk_key", ["record_pk", "key"], unique=False)
        batch_op.drop_index(batch_op.f("ix_record_key_record_pk"))


def downgrade() -> None:
    with op.batch_alter_table("record_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_key_record_pk"), ["record_pk"], unique=False)
        batch_op.drop_index("ix_record_key_record_pk_key")
