"""import links: PFIF notes' duplicate links, and matches the source itself named

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_link",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("job_pk", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_external_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("to_external_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_pk"], ["import_job.pk"], name=op.f("fk_import_link_job_pk_import_job")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_import_link")),
        sa.UniqueConstraint("job_pk", "position", name="uq_import_link_position"),
    )
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("linked_by_source", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_column("linked_by_source")
    op.drop_table("import_link")
