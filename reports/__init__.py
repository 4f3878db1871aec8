"""Reports layer: view models, the HTML report and the JSON export of a stored run (imports only `rules`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.html import render_run, render_run_parts
    from reports.index import render_index
    from reports.json_export import SCHEMA, diff_to_json, dumps_run, dumps_run_parts, run_to_json
    from reports.messages import LANGS
    from reports.tabular import dumps_csv, dumps_junit

# Each name's module, imported on first use: an export or an alert does without Jinja2 and the HTML views.
_HOME = {
    "LANGS": "reports.messages",
    "SCHEMA": "reports.json_export",
    "diff_to_json": "reports.json_export",
    "dumps_csv": "reports.tabular",
    "dumps_junit": "reports.tabular",
    "dumps_run": "reports.json_export",
    "dumps_run_parts": "reports.json_export",
    "render_index": "reports.index",
    "render_run": "reports.html",
    "render_run_parts": "reports.html",
    "run_to_json": "reports.json_export",
}

__all__ = [
    "LANGS",
    "SCHEMA",
    "diff_to_json",
    "dumps_csv",
    "dumps_junit",
    "dumps_run",
    "dumps_run_parts",
    "render_index",
    "render_run",
    "render_run_parts",
    "run_to_json",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
