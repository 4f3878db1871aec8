"""The notifications table (alerts sent about a run) and pages.footer_fingerprint (footer templates).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_notifications_run_id", "notifications", ["run_id"])
    # Pages stored before templates were grouped have no fingerprint: '' groups them as "unknown".
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("footer_fingerprint", sa.String(32), nullable=False, server_default=""))


def downgrade() -> None:
    # icp-audit never downgrades: a database keeps its history (upgrade icp-audit instead).
    raise NotImplementedError("icp-audit migrations are forward only")
