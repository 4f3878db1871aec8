"""rules.verdict.page_verdict: the first verdict of DESIGN.md §4 that applies, from hand-built facts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rules.model import NumberHit, PageFacts, Verdict, Where
from rules.numbers import NumberKind
from rules.verdict import FROM_PIXELS, from_pixels, licence_hits, page_verdict, shown

OURS = "陕B2-20210271"
OTHER = "陕B2-20210272"


def hit(
    key: str = OURS,
    where: Where = Where.TEXT,
    *,
    footer: bool = True,
    visible: bool = True,
    kind: NumberKind = NumberKind.LICENCE,
) -> NumberHit:
    return NumberHit(kind=kind, value=key, key=key, where=where, in_footer=footer, visible=visible)


def facts(*hits: NumberHit, js_shell: bool = False, homepage: bool = True) -> PageFacts:
    return PageFacts(
        url="https://example.cn/",
        final_url="https://example.cn/",
        is_homepage=homepage,
        footer_found=True,
        footer_how="footer",
        footer_text="",
        numbers=hits,
        js_shell=js_shell,
    )


FOOTER = hit()
FOOTER_HIDDEN = hit(visible=False)
BODY = hit(footer=False)
BODY_HIDDEN = hit(footer=False, visible=False)
IMG_FOOTER = hit(where=Where.IMAGE)
IMG_BODY = hit(where=Where.IMAGE, footer=False)
SCRIPT = hit(where=Where.SCRIPT, footer=False, visible=False)
OTHER_FOOTER = hit(OTHER)
OTHER_FOOTER_HIDDEN = hit(OTHER, visible=False)
OTHER_BODY = hit(OTHER, footer=False)
MALFORMED_FOOTER = hit("陕B2-202102711")

CASES = [
    # compliant, and what it wins over
    pytest.param((FOOTER,), False, Verdict.COMPLIANT, id="compliant"),
    pytest.param((FOOTER_HIDDEN, FOOTER), False, Verdict.COMPLIANT, id="compliant-beats-hidden-copy"),
    pytest.param(
        (FOOTER, FOOTER_HIDDEN, IMG_FOOTER, SCRIPT), False, Verdict.COMPLIANT, id="compliant-beats-all"
    ),
    pytest.param((OTHER_FOOTER, FOOTER), False, Verdict.COMPLIANT, id="compliant-beside-other-number"),
    pytest.param((FOOTER,), True, Verdict.COMPLIANT, id="compliant-beats-js-shell"),
    # wrong-number
    pytest.param((OTHER_FOOTER,), False, Verdict.WRONG_NUMBER, id="wrong-only-other-in-footer"),
    pytest.param((MALFORMED_FOOTER,), False, Verdict.WRONG_NUMBER, id="wrong-longer-number"),
    pytest.param((OTHER_FOOTER, BODY), False, Verdict.WRONG_NUMBER, id="wrong-beats-elsewhere"),
    pytest.param((OTHER_FOOTER, FOOTER_HIDDEN), False, Verdict.WRONG_NUMBER, id="wrong-beats-hidden"),
    pytest.param((OTHER_FOOTER, IMG_FOOTER), False, Verdict.WRONG_NUMBER, id="wrong-beats-image"),
    pytest.param((OTHER_FOOTER,), True, Verdict.WRONG_NUMBER, id="wrong-beats-js-shell"),
    # hidden
    pytest.param((FOOTER_HIDDEN,), False, Verdict.HIDDEN, id="hidden"),
    pytest.param((FOOTER_HIDDEN, IMG_FOOTER), False, Verdict.HIDDEN, id="hidden-beats-image"),
    pytest.param((FOOTER_HIDDEN, BODY), False, Verdict.HIDDEN, id="hidden-beats-elsewhere"),
    pytest.param((FOOTER_HIDDEN, OTHER_FOOTER_HIDDEN), False, Verdict.HIDDEN, id="hidden-other-hidden-too"),
    pytest.param((OTHER_BODY, FOOTER_HIDDEN), False, Verdict.HIDDEN, id="hidden-other-outside-footer"),
    # image-only
    pytest.param((IMG_FOOTER,), False, Verdict.IMAGE_ONLY, id="image-only"),
    pytest.param((IMG_FOOTER, BODY), False, Verdict.IMAGE_ONLY, id="image-beats-elsewhere"),
    pytest.param((IMG_FOOTER, SCRIPT), True, Verdict.IMAGE_ONLY, id="image-beats-needs-render"),
    # elsewhere
    pytest.param((BODY,), False, Verdict.ELSEWHERE, id="elsewhere"),
    pytest.param((BODY, SCRIPT), True, Verdict.ELSEWHERE, id="elsewhere-beats-needs-render"),
    pytest.param((BODY, IMG_BODY), False, Verdict.ELSEWHERE, id="elsewhere-with-image-outside-footer"),
    pytest.param(
        (BODY, OTHER_FOOTER_HIDDEN), False, Verdict.ELSEWHERE, id="elsewhere-other-hidden-in-footer"
    ),
    # needs-render
    pytest.param((SCRIPT,), False, Verdict.NEEDS_RENDER, id="needs-render-script-hit"),
    pytest.param((hit(where=Where.SCRIPT),), False, Verdict.NEEDS_RENDER, id="needs-render-script-in-footer"),
    pytest.param((), True, Verdict.NEEDS_RENDER, id="needs-render-js-shell"),
    pytest.param((hit(where=Where.COMMENT),), True, Verdict.NEEDS_RENDER, id="needs-render-js-shell-comment"),
    pytest.param((BODY_HIDDEN,), True, Verdict.NEEDS_RENDER, id="needs-render-js-shell-hidden-body"),
    # missing
    pytest.param((), False, Verdict.MISSING, id="missing-nothing"),
    pytest.param((hit(where=Where.COMMENT),), False, Verdict.MISSING, id="missing-comment-only"),
    pytest.param((hit(where=Where.NOSCRIPT),), False, Verdict.MISSING, id="missing-noscript"),
    pytest.param((hit(where=Where.TEMPLATE),), False, Verdict.MISSING, id="missing-template"),
    pytest.param((hit(where=Where.ATTRIBUTE),), False, Verdict.MISSING, id="missing-attribute"),
    pytest.param((BODY_HIDDEN,), False, Verdict.MISSING, id="missing-hidden-outside-footer"),
    pytest.param((IMG_BODY,), False, Verdict.MISSING, id="missing-image-outside-footer"),
    pytest.param((OTHER_FOOTER_HIDDEN,), False, Verdict.MISSING, id="missing-other-hidden"),
    pytest.param((OTHER_BODY,), False, Verdict.MISSING, id="missing-other-outside-footer"),
    pytest.param((hit(OTHER, Where.SCRIPT),), False, Verdict.MISSING, id="missing-other-in-script"),
    pytest.param(
        (hit(kind=NumberKind.ICP_FILING, key=OURS),), False, Verdict.MISSING, id="missing-same-key-wrong-kind"
    ),
    pytest.param(
        (
            hit("陕ICP备2021012345号", kind=NumberKind.ICP_FILING),
            hit("61019002000123", kind=NumberKind.PUBLIC_SECURITY),
        ),
        False,
        Verdict.MISSING,
        id="missing-filing-numbers-only",
    ),
]


@pytest.mark.parametrize(("hits", "js_shell", "expected"), CASES)
def test_page_verdict(hits: tuple[NumberHit, ...], js_shell: bool, expected: Verdict) -> None:
    assert page_verdict(facts(*hits, js_shell=js_shell), OURS) is expected


@pytest.mark.parametrize(("hits", "js_shell", "expected"), CASES)
def test_verdict_ignores_hit_order_and_homepage(
    hits: tuple[NumberHit, ...], js_shell: bool, expected: Verdict
) -> None:
    reversed_facts = facts(*reversed(hits), js_shell=js_shell, homepage=False)
    assert page_verdict(reversed_facts, OURS) is expected


def test_every_judged_verdict_is_reachable_from_facts() -> None:
    reached = {c.values[2] for c in CASES}
    assert reached == {v for v in Verdict if v.judged}


def test_page_verdict_never_returns_an_unjudged_verdict() -> None:
    for case in CASES:
        hits, js_shell, _ = case.values
        assert page_verdict(facts(*hits, js_shell=js_shell), OURS).judged


@pytest.mark.parametrize(
    ("verdict", "judged"),
    [
        pytest.param(v, v not in (Verdict.FETCH_ERROR, Verdict.NOT_HTML, Verdict.SKIPPED), id=v.value)
        for v in Verdict
    ],
)
def test_judged(verdict: Verdict, judged: bool) -> None:
    assert verdict.judged is judged


@pytest.mark.parametrize(
    ("h", "expected"),
    [
        pytest.param(FOOTER, True, id="text-visible"),
        pytest.param(BODY, True, id="text-visible-outside-footer"),
        pytest.param(FOOTER_HIDDEN, False, id="text-hidden"),
        pytest.param(hit(where=Where.IMAGE), False, id="image"),
        *(
            pytest.param(hit(where=w), False, id=f"{w.value}-even-if-visible")
            for w in Where
            if w not in (Where.TEXT, Where.IMAGE)
        ),
    ],
)
def test_shown(h: NumberHit, expected: bool) -> None:
    assert shown(h) is expected


def test_licence_hits_keeps_only_licences_in_order() -> None:
    filing = hit("陕ICP备2021012345号", kind=NumberKind.ICP_FILING)
    zheng = hit("京ICP证030173号", kind=NumberKind.ICP_ZHENG)
    assert licence_hits(facts(filing, FOOTER, zheng, OTHER_BODY)) == [FOOTER, OTHER_BODY]


def read_from_pixels(key: str, *, footer: bool = True) -> NumberHit:
    """A number the OCR read in a footer image (issue 13 item 5b): never text a visitor can select."""
    return replace(
        hit(key, Where.IMAGE, footer=footer, visible=False),
        hidden_reason=f"{FROM_PIXELS}https://example.cn/badge.png",
    )


@pytest.mark.parametrize(
    ("hits", "expected"),
    [
        ((read_from_pixels(OURS),), Verdict.IMAGE_ONLY),
        ((read_from_pixels(OTHER),), Verdict.WRONG_NUMBER),
        ((read_from_pixels(OTHER, footer=False),), Verdict.MISSING),
        ((read_from_pixels(OTHER), read_from_pixels(OURS)), Verdict.IMAGE_ONLY),
        ((hit(OTHER, Where.IMAGE, visible=False),), Verdict.MISSING),  # alt text only: not the pixels
        ((read_from_pixels(OTHER), hit(OURS)), Verdict.COMPLIANT),
    ],
)
def test_numbers_read_from_footer_images(hits: tuple[NumberHit, ...], expected: Verdict) -> None:
    assert page_verdict(facts(*hits), OURS) is expected
    assert from_pixels(hits[0]) is (hits[0].hidden_reason is not None)
