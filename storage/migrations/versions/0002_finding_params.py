"""findings.params: the JSON [key, value] pairs a finding's message is built from.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    # A constant default: SQLite adds the column in place, older findings read as "no params".
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("params", sa.Text(), nullable=False, server_default="[]"))


def downgrade() -> None:
    # icp-audit never downgrades: a database keeps its history (upgrade icp-audit instead).
    raise NotImplementedError("icp-audit migrations are forward only")
