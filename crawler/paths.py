"""Where the database and reports go: command-line option, else environment, else the default; pure."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DEFAULT_DB = "icp-audit.db"
DEFAULT_OUT = "icp-audit-reports"


def database_location(option: str | None, env: Mapping[str, str] | None = None) -> str:
    """`--db`, else ICP_AUDIT_DB, else ./icp-audit.db (a path or a SQLAlchemy URL)."""
    env = os.environ if env is None else env
    return option or env.get("ICP_AUDIT_DB") or DEFAULT_DB


def report_folder(option: str | None, env: Mapping[str, str] | None = None) -> Path:
    """`--out`, else ICP_AUDIT_OUT, else ./icp-audit-reports."""
    env = os.environ if env is None else env
    return Path(option or env.get("ICP_AUDIT_OUT") or DEFAULT_OUT)
