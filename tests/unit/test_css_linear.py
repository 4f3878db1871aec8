"""crawler.css scans hostile style text in linear time: the CPU cost of n and 8n units of input is
compared (best of 3), never an absolute number of seconds. Quadratic growth would be 64x."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from crawler.css import imports, parse_declarations, sheet_rules, strip_comments

RATIO_MAX = 24.0  # 8x the input: linear is ~8x, quadratic 64x; room for a noisy shared machine


def _cost(work: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        work(text)
        best = min(best, time.process_time() - start)
    return best


def _growth(work: Callable[[str], object], unit: str, n: int) -> float:
    small, large = unit * n, unit * (8 * n)
    return _cost(work, large) / max(_cost(work, small), 1e-4)


def _uncached(function: Callable[[str], object]) -> Callable[[str], object]:
    wrapped = getattr(function, "__wrapped__", function)  # the memo would answer the repeats
    return lambda text: wrapped(text)


@pytest.mark.parametrize(
    ("name", "work", "unit", "n"),
    [
        ("@import without ';'", _uncached(imports), "@import x ", 2000),
        ("@import with an unclosed quote", _uncached(imports), '@import "x ', 2000),
        ("@import with an unclosed url(", _uncached(imports), "@import url(x ", 2000),
        ("@import data: URLs", _uncached(imports), "@import url(data:text/css;base64,eA==);", 2000),
        ("unclosed comments in imports", _uncached(imports), "@import a; /* x", 2000),
        ("unclosed comments in rules", _uncached(sheet_rules), "/* a{b:c} ", 2000),
        ("unclosed '[' in a selector", _uncached(sheet_rules), "[a", 2000),
        ("'][' in a selector", _uncached(sheet_rules), "][", 2000),
        ("comments in declarations", parse_declarations, "/* display:none ", 2000),
        ("escapes in declarations", parse_declarations, "\\64 isplay:none;", 2000),
        ("strip comments", strip_comments, "/* /*", 2000),
    ],
)
def test_scanning_is_linear(name: str, work: Callable[[str], object], unit: str, n: int) -> None:
    if name == "unclosed '[' in a selector" or name == "'][' in a selector":
        work_ = work

        def work(text: str) -> object:  # a selector of the unit, with one declaration
            return work_(text + "{display:none}")

    assert _growth(work, unit, n) < RATIO_MAX, name
