"""The first schema: runs, pages and findings, as the first icp-audit created them.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("licence_number", sa.String(64), nullable=False),
        sa.Column("licence_holder", sa.Text(), nullable=False),
        sa.Column("licence_valid_until", sa.Date(), nullable=False),
        sa.Column("licence_issued", sa.Date(), nullable=True),
        sa.Column("licence_renewed_until", sa.Date(), nullable=True),
        sa.Column("licence_domains", sa.Text(), nullable=False),
        sa.Column("licence_excluded_services", sa.Text(), nullable=False),
        # Report files are named run-<id>.html: SQLite must never reuse an id.
        sqlite_autoincrement=True,
    )
    op.create_index("ix_runs_site", "runs", ["site"])
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("footer_found", sa.Boolean(), nullable=False),
        sa.Column("footer_text", sa.Text(), nullable=False),
        sa.Column("is_homepage", sa.Boolean(), nullable=False),
        sa.Column("numbers", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("redirects", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("elapsed_ms", sa.Integer(), nullable=True),
    )
    op.create_index("ix_pages_run_id", "pages", ["run_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("page_id", sa.Integer(), sa.ForeignKey("pages.id", ondelete="CASCADE"), nullable=True),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
    )
    op.create_index("ix_findings_run_id", "findings", ["run_id"])


def downgrade() -> None:
    # icp-audit never downgrades: a database keeps its history (upgrade icp-audit instead).
    raise NotImplementedError("icp-audit migrations are forward only")
