"""The README's rule and exit-code tables name every rule of the catalogue and every exit code, each once."""

from __future__ import annotations

import re
from pathlib import Path

from crawler import outcome
from rules.catalogue import CATALOGUE

README = (Path(__file__).parents[2] / "README.md").read_text("utf-8")


def _table(heading_row: str) -> list[str]:
    """The first cells of the README table whose header row is `heading_row`."""
    rows = []
    for line in README.split(heading_row + "\n", 1)[1].splitlines()[1:]:  # after the |---| row
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1].strip())
    return rows


def _rule_ids(cell: str) -> list[str]:
    """`LIC-001…009, BA-001` → every id it names: a range stands for each id in it."""
    ids: list[str] = []
    for prefix, first, last in re.findall(r"([A-Z]+)-(\d{3})(?:…(\d{3}))?", cell):
        ids += [f"{prefix}-{n:03d}" for n in range(int(first), int(last or first) + 1)]
    return ids


def test_the_rule_table_names_every_catalogue_rule_once() -> None:
    named = [
        rid for cell in _table("| rules | what they check (default severity) |") for rid in _rule_ids(cell)
    ]
    assert sorted(named) == sorted(r.id for r in CATALOGUE)


def test_the_exit_code_table_names_every_exit_code_once() -> None:
    codes = {value for name, value in vars(outcome).items() if name.startswith("EXIT_")}
    assert sorted(int(cell) for cell in _table("| code | meaning |")) == sorted(codes)
