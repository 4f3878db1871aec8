"""SQLAlchemy 2 typed ORM tables: runs, pages, findings (site findings have no page), notifications and
footer pictures; storage layer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A tz-aware UTC datetime on every backend, also on SQLite, which stores no offset."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive time is ambiguous: refuse it rather than guess the machine's zone.
            raise ValueError(f"naive datetime {value.isoformat()}: pass a tz-aware one")
        value = value.astimezone(UTC)
        # SQLite keeps no offset: store the UTC wall time and put the zone back on load.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of the icp-audit schema."""


class RunRow(Base):
    """One audit of one site, with the licence facts and date it was judged against."""

    __tablename__ = "runs"
    # Report files are named run-<id>.html: an id must never be reused, even after deletions.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    site: Mapped[str] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(16))
    trigger: Mapped[str] = mapped_column(String(16))
    tool_version: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    today: Mapped[date] = mapped_column(Date)
    error: Mapped[str | None] = mapped_column(Text)
    licence_number: Mapped[str] = mapped_column(String(64))
    licence_holder: Mapped[str] = mapped_column(Text)
    licence_valid_until: Mapped[date] = mapped_column(Date)
    licence_issued: Mapped[date | None] = mapped_column(Date)
    licence_renewed_until: Mapped[date | None] = mapped_column(Date)
    licence_domains: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of str
    licence_excluded_services: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of str
    # JSON {"by_reason": {kind: n}, "exact": bool}: every URL skipped, stored as a row or not (migration 0005).
    skipped: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class PageRow(Base):
    """One URL's outcome and verdict within a run."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(Text)  # a header: any length
    depth: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(20))
    footer_found: Mapped[bool]
    footer_text: Mapped[str] = mapped_column(Text, default="")
    is_homepage: Mapped[bool]
    numbers: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of NumberHit objects
    error: Mapped[str | None] = mapped_column(Text)
    redirects: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of URLs
    size: Mapped[int | None] = mapped_column(Integer)
    elapsed_ms: Mapped[int | None] = mapped_column(Integer)
    # Hash of the normalised footer, grouping pages by template; added later (migration 0003).
    footer_fingerprint: Mapped[str] = mapped_column(String(32), default="", server_default="")


class FindingRow(Base):
    """A rule's finding on a page, or on the site when page_id is NULL."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    # Indexed (migration 0005): deleting a page looks up its findings, with foreign keys on.
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    # JSON list of [key, value] pairs (Finding.params); added later (migration 0002).
    params: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class NotificationRow(Base):
    """One alert sent (or attempted) about a run."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    ok: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FooterShotRow(Base):
    """The picture of one footer template in a run (browser mode); added later (migration 0004)."""

    __tablename__ = "footer_shots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    viewport: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    image: Mapped[bytes] = mapped_column(LargeBinary)
