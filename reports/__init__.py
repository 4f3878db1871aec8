"""Reports layer: view models, the HTML report and the JSON export of a stored run (imports only `rules`)."""

from reports.html import render_run, render_run_parts
from reports.index import render_index
from reports.json_export import SCHEMA, diff_to_json, dumps_run, run_to_json
from reports.messages import LANGS
from reports.tabular import dumps_csv, dumps_junit

__all__ = [
    "LANGS",
    "SCHEMA",
    "diff_to_json",
    "dumps_csv",
    "dumps_junit",
    "dumps_run",
    "render_index",
    "render_run",
    "render_run_parts",
    "run_to_json",
]
