"""record closed_at: when a record was closed, for the retention of closed records

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_record_closed_at"), ["closed_at"], unique=False)
    # Records closed before this column existed: their last change is the closest known
    # moment of closing (a later change while closed only makes retention wait longer).
    op.execute(
        "UPDATE record SET closed_at = updated_at WHERE status = 'closed' AND erased_at IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_closed_at"))
        batch_op.drop_column("closed_at")
