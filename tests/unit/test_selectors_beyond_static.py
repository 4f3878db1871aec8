"""Selectors static analysis cannot evaluate exactly (combinators `>`, `+`, `~`, structural
pseudo-classes, `::first-line`): a rule whose declarations would hide the number where its selector
might match leaves the number undecided (`needs-render`), never compliant; a rule that could not
hide it (a margin, a readable colour, a state such as `:hover`, a pseudo-element's own box) changes
nothing, so ordinary pages are not sent to a browser.
"""

from __future__ import annotations

import pytest

from rules.model import Verdict
from rules.verdict import UNDECIDED, page_verdict
from tests.unit.test_extract import LIC, MAIN, facts, page

FOOTER = (
    "<footer class='ft'><div class='row'><span class='first'>© 2026</span>"
    "<p class='lic'>增值电信业务经营许可证：{}</p></div></footer>"
)


def verdict(css: str) -> Verdict:
    html = page(MAIN + FOOTER.format(LIC), head=f"<style>body{{background:#fff}} {css}</style>")
    return page_verdict(facts(html), LIC)


HIDING = [
    pytest.param("footer > div > p.lic{color:#ffffff}", id="child-colour"),
    pytest.param(".row > .lic{display:none}", id="child-display"),
    pytest.param("footer > .row .lic{visibility:hidden}", id="child-then-descendant"),
    pytest.param(".first + .lic{font-size:0}", id="adjacent-sibling"),
    pytest.param(".first ~ p{opacity:0}", id="general-sibling"),
    pytest.param(".first~.lic{transform:scale(0)}", id="sibling-no-spaces"),
    pytest.param("p:not(.x){display:none}", id="not"),
    pytest.param(".row p:last-child{color:#fff}", id="last-child"),
    pytest.param("p:nth-child(2n + 2){display:none}", id="nth-child-with-spaces"),
    pytest.param(":is(footer, aside) .lic{display:none}", id="is-list"),
    pytest.param(".ft:where(footer) p{clip-path:inset(100%)}", id="where"),
    pytest.param("footer:has(p) .lic{color:#fff}", id="has"),
    pytest.param("p.lic::first-line{color:#fff}", id="first-line"),
    pytest.param(":root .lic{display:none}", id="root"),
]


@pytest.mark.parametrize("css", HIDING)
def test_a_hiding_rule_beyond_static_analysis_leaves_the_number_undecided(css: str) -> None:
    assert verdict(css) is Verdict.NEEDS_RENDER


def test_the_reason_names_the_selector() -> None:
    html = page(MAIN + FOOTER.format(LIC), head="<style>.row > .lic{display:none}</style>")
    hit = next(h for h in facts(html).numbers if h.key == LIC)
    assert (hit.hidden_reason or "").startswith(UNDECIDED)
    assert ".row > .lic" in (hit.hidden_reason or "")


HARMLESS = [
    pytest.param("footer > div > p{margin:0;padding:4px}", id="child-margin"),
    pytest.param(".row > .lic{color:#333}", id="child-readable-colour"),
    pytest.param(".first + .lic{display:block}", id="sibling-shows"),
    pytest.param(".lic:hover{display:none}", id="hover"),
    pytest.param("footer:hover > .row .lic{display:none}", id="hover-ancestor"),
    pytest.param("p.lic::before{display:none;content:''}", id="before"),
    pytest.param(".lic:focus-within{opacity:0}", id="focus-within"),
    pytest.param("header > nav a{display:none}", id="child-elsewhere"),
    pytest.param("aside + ul{display:none}", id="sibling-elsewhere"),  # `aside + p` would: read as `p`
    pytest.param("input::placeholder{color:#fff}", id="placeholder"),
]


@pytest.mark.parametrize("css", HARMLESS)
def test_a_rule_that_cannot_hide_the_number_changes_nothing(css: str) -> None:
    assert verdict(css) is Verdict.COMPLIANT


def test_an_exact_rule_still_decides_beside_an_inexact_one() -> None:
    assert verdict(".lic{display:none} .row > .lic{color:#333}") is Verdict.HIDDEN
