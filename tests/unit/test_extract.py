"""Extraction: HTML snippets → footer region, number hits, visibility, links and page verdicts."""

from __future__ import annotations

import random

import pytest

from crawler import textscan
from crawler.extract import (
    FOOTER_TEXT_MAX,
    MAX_NESTING,
    Extracted,
    PageTooDeep,
    extract,
    nests_deeper_than,
    stylesheet_links,
)
from rules import numbers as rules_numbers
from rules.model import NumberHit, PageFacts, Verdict, Where
from rules.numbers import NumberKind
from rules.text import normalise as rules_normalise
from rules.verdict import page_verdict

LIC = "陕B2-20210271"
URL = "https://www.example.com/news/a.html"
MAIN = "<header><nav><a href='/'>首页</a></nav></header><main><p>西安朝前智能科技有限公司，专注于人工智能。</p></main>"


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>朝前科技</title>{head}</head><body>{body}</body></html>"


def run(html: str, final_url: str = URL) -> Extracted:
    return extract(html, URL, final_url, is_homepage=False)


def facts(html: str) -> PageFacts:
    return run(html).facts


def licences(html: str) -> list[NumberHit]:
    return [h for h in facts(html).numbers if h.kind is NumberKind.LICENCE]


def only_licence(html: str) -> NumberHit:
    hits = licences(html)
    assert len(hits) == 1, hits
    return hits[0]


# ---------------------------------------------------------------- verdicts


VERDICTS = [
    (
        "footer",
        MAIN + f"<footer><p>© 2024 朝前科技 增值电信业务经营许可证：{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    ("role", MAIN + f"<div role='contentinfo'><p>许可证：{LIC}</p></div>", Verdict.COMPLIANT),
    ("div.copyright", MAIN + f"<div class='copyright'>© 2024 {LIC}</div>", Verdict.COMPLIANT),
    ("id beian", MAIN + f"<div id='Beian-Info'>{LIC}</div>", Verdict.COMPLIANT),
    ("last block", MAIN + f"<div><p>联系我们</p><p>{LIC}</p></div>", Verdict.COMPLIANT),
    (
        "split spans",
        MAIN + "<footer><span>陕B2-</span><span>2021</span><b>0271</b></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "split label and number",
        MAIN + "<footer><a>陕</a><font>B2</font>-<em>20210271</em></footer>",
        Verdict.COMPLIANT,
    ),
    ("full width", MAIN + "<footer>陕Ｂ２－２０２１０２７１</footer>", Verdict.COMPLIANT),
    ("unicode dash", MAIN + "<footer>陕B2\u201420210271</footer>", Verdict.COMPLIANT),
    ("zero width", MAIN + "<footer>陕B2-2021\u200b0271\u200d</footer>", Verdict.COMPLIANT),
    ("zero width entity", MAIN + "<footer>陕B2&#8203;-2021&zwj;0271</footer>", Verdict.COMPLIANT),
    ("soft hyphen entity", MAIN + "<footer>陕B2-2021&shy;0271</footer>", Verdict.COMPLIANT),
    (
        "zero-width node",
        MAIN + "<footer><i>陕B2-2021</i><i>\u200b</i><i>0271</i></footer>",
        Verdict.COMPLIANT,
    ),
    ("space node", MAIN + "<footer><i>陕B2-</i> <i>20210271</i></footer>", Verdict.COMPLIANT),
    ("space splits digits", MAIN + "<footer><i>陕B2-2021</i> <i>0271</i></footer>", Verdict.MISSING),
    ("char refs", MAIN + "<footer>&#38485;B2&#45;&#x32;0210271</footer>", Verdict.COMPLIANT),
    (
        "nbsp around",
        MAIN + "<footer>许可证&nbsp;陕B2&nbsp;-&nbsp;20210271&nbsp;号</footer>",
        Verdict.COMPLIANT,
    ),
    ("next block digit", MAIN + f"<footer><p>{LIC}</p><p>1</p></footer>", Verdict.COMPLIANT),
    ("br then digits", MAIN + f"<footer>{LIC}<br>2024</footer>", Verdict.COMPLIANT),
    (
        "td then td",
        MAIN + f"<footer><table><tr><td>{LIC}</td><td>12</td></tr></table></footer>",
        Verdict.COMPLIANT,
    ),
    ("wrong number", MAIN + "<footer>陕B2-20210272</footer>", Verdict.WRONG_NUMBER),
    ("wrong and right", MAIN + f"<footer>陕B2-20210272 {LIC}</footer>", Verdict.COMPLIANT),
    ("elsewhere", f"<main><p>许可证 {LIC}</p></main><footer>© 2024 朝前科技</footer>", Verdict.ELSEWHERE),
    ("comment only", MAIN + f"<footer>© 2024<!-- {LIC} --></footer>", Verdict.MISSING),
    ("noscript only", MAIN + f"<footer>© 2024<noscript><p>{LIC}</p></noscript></footer>", Verdict.MISSING),
    ("template only", MAIN + f"<footer>© 2024<template><p>{LIC}</p></template></footer>", Verdict.MISSING),
    (
        "script only",
        MAIN + f"<footer>© 2024</footer><script>document.write('{LIC}')</script>",
        Verdict.NEEDS_RENDER,
    ),
    (
        "script escaped",
        MAIN + "<footer>© 2024</footer><script>f('\\u9655B2-20210271')</script>",
        Verdict.NEEDS_RENDER,
    ),
    (
        "json-ld only",
        MAIN + f'<footer>©</footer><script type="application/ld+json">{{"l":"{LIC}"}}</script>',
        Verdict.MISSING,
    ),
    ("title attribute", MAIN + f"<footer><a title='{LIC}'>许可证</a></footer>", Verdict.MISSING),
    ("aria-label", MAIN + f"<footer><a aria-label='{LIC}'>许可证</a></footer>", Verdict.MISSING),
    ("hidden attribute", MAIN + f"<footer>© <span hidden>{LIC}</span></footer>", Verdict.HIDDEN),
    ("hidden ancestor", MAIN + f"<footer hidden><p>© <span>{LIC}</span></p></footer>", Verdict.HIDDEN),
    (
        "inline display none",
        MAIN + f"<footer>© <span style='DISPLAY: none'>{LIC}</span></footer>",
        Verdict.HIDDEN,
    ),
    ("visibility hidden", MAIN + f"<footer style='visibility:hidden'>© {LIC}</footer>", Verdict.HIDDEN),
    (
        "visibility restored",
        MAIN + f"<footer style='visibility:hidden'>© <p style='visibility:visible'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    ("opacity 0", MAIN + f"<footer>© <p style='opacity:0'>{LIC}</p></footer>", Verdict.HIDDEN),
    ("opacity 0.5", MAIN + f"<footer>© <p style='opacity:.5'>{LIC}</p></footer>", Verdict.COMPLIANT),
    ("font-size 0", MAIN + f"<footer>© <p style='font-size:0'>{LIC}</p></footer>", Verdict.HIDDEN),
    (
        "font-size 0 reset by child",
        MAIN + f"<footer><ul style='font-size:0px'><li style='font-size:12px'>{LIC}</li></ul></footer>",
        Verdict.COMPLIANT,
    ),
    ("off-screen", MAIN + f"<footer>© <p style='text-indent:-9999px'>{LIC}</p></footer>", Verdict.HIDDEN),
    ("zero size", MAIN + f"<footer>© <p style='height:0;overflow:hidden'>{LIC}</p></footer>", Verdict.HIDDEN),
    (
        "closed details",
        MAIN + f"<footer><details><summary>资质</summary>{LIC}</details></footer>",
        Verdict.HIDDEN,
    ),
    (
        "open details",
        MAIN + f"<footer><details open><summary>资质</summary>{LIC}</details></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "details summary",
        MAIN + f"<footer><details><summary>{LIC}</summary>x</details></footer>",
        Verdict.COMPLIANT,
    ),
    ("closed dialog", MAIN + f"<footer>©<dialog>{LIC}</dialog></footer>", Verdict.HIDDEN),
    ("hidden outside footer", f"<main><span hidden>{LIC}</span></main><footer>©</footer>", Verdict.MISSING),
    ("img alt in footer", MAIN + f"<footer>© <img src='lic.png' alt='{LIC}'></footer>", Verdict.IMAGE_ONLY),
    (
        "img title in footer",
        MAIN + f"<footer>© <img src='lic.png' title='许可证{LIC}'></footer>",
        Verdict.IMAGE_ONLY,
    ),
    ("only an img in footer", MAIN + f"<footer><img src='lic.png' alt='{LIC}'></footer>", Verdict.IMAGE_ONLY),
    ("img alt outside footer", f"<main><img alt='{LIC}'></main><footer>©</footer>", Verdict.MISSING),
    ("js shell", "<div id='app'></div><script src='/app.js'></script>", Verdict.NEEDS_RENDER),
    (
        "hidden digit inside",
        MAIN + "<footer>陕B2-2021<span style='display:none'>9</span>0271</footer>",
        Verdict.COMPLIANT,
    ),
    ("textarea is shown", MAIN + f"<footer><textarea>{LIC}</textarea></footer>", Verdict.COMPLIANT),
    (
        "colour of ancestor background",
        MAIN
        + f"<footer><div style='background-color:#333333'><p style='color:#333'>{LIC}</p></div></footer>",
        Verdict.HIDDEN,
    ),
    (
        "colour and background on one element",
        MAIN + f"<footer><p style='color:white;background:#FFF'>{LIC}</p></footer>",
        Verdict.HIDDEN,
    ),
    (
        "rgb and named colour",
        MAIN + f"<footer style='background:rgb(255, 255, 255)'><p style='color:white'>{LIC}</p></footer>",
        Verdict.HIDDEN,
    ),
    (
        "hsl white on white",
        MAIN + f"<footer style='background:#fff'><p style='color:hsl(0, 0%, 100%)'>{LIC}</p></footer>",
        Verdict.HIDDEN,
    ),
    (
        "contrasting colours",
        MAIN + f"<footer style='background:#333'><p style='color:#999'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        # white on a page whose background no style declares: white, if no rule the static path
        # skips paints one; only a browser can tell (issue 12: near-white on white hid the number)
        "colour without background",
        MAIN + f"<footer><p style='color:#fff'>{LIC}</p></footer>",
        Verdict.NEEDS_RENDER,
    ),
    (
        "dark colour without background",
        MAIN + f"<footer><p style='color:#666'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "background image behind",
        MAIN + f"<footer style='background:#fff url(bg.jpg)'><p style='color:#fff'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "semi-transparent colour",
        MAIN + f"<footer style='background:#fff'><p style='color:rgba(255,255,255,.5)'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "child colour restores",
        MAIN + f"<footer style='background:#fff;color:#fff'><p style='color:#000'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "colour inherit",
        MAIN + f"<footer style='background:#fff;color:#fff'><p style='color:inherit'>{LIC}</p></footer>",
        Verdict.HIDDEN,
    ),
    (
        "link keeps its own colour",
        MAIN + f"<footer style='background:#fff;color:#fff'><a href='/x'>{LIC}</a></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "font color on bgcolor",
        MAIN
        + f"<footer><table bgcolor='#FFFFFF'><tr><td><font color='white'>{LIC}</font></td></tr></table></footer>",
        Verdict.HIDDEN,
    ),
    ("transparent text", MAIN + f"<footer><p style='color:transparent'>{LIC}</p></footer>", Verdict.HIDDEN),
    (
        "transparent text clipped to a gradient",
        MAIN
        + f"<footer><p style='color:transparent;background:linear-gradient(red,blue);background-clip:text'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "zero height with padding is an aspect box",
        MAIN + f"<footer><p style='height:0;padding-bottom:10%;overflow:hidden'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "zero height, overflow shown",
        MAIN + f"<footer><p style='height:0'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "fixed far above",
        MAIN + f"<footer><p style='position:fixed;top:-2000px'>{LIC}</p></footer>",
        Verdict.HIDDEN,
    ),
    (
        "left without position",
        MAIN + f"<footer><p style='left:-2000px'>{LIC}</p></footer>",
        Verdict.COMPLIANT,
    ),
    (
        "font-size 1em under 0 stays 0",
        MAIN + f"<footer style='font-size:0'><p style='font-size:1em'>{LIC}</p></footer>",
        Verdict.HIDDEN,
    ),
]


@pytest.mark.parametrize(("html", "expected"), [pytest.param(h, v, id=i) for i, h, v in VERDICTS])
def test_verdict(html: str, expected: Verdict) -> None:
    assert page_verdict(facts(page(html)), LIC) is expected


@pytest.mark.parametrize(
    "footer",
    [
        pytest.param("陕B2-202102711", id="one-node"),
        pytest.param("<span>陕B2-20210271</span><span>1</span>", id="across-spans"),
        pytest.param("<b>陕B2-</b>2021<i>02711</i>", id="split"),
    ],
)
def test_longer_number_is_not_ours(footer: str) -> None:
    f = facts(page(MAIN + f"<footer>{footer}</footer>"))
    assert all(h.key != LIC for h in f.numbers)
    assert page_verdict(f, LIC) is not Verdict.COMPLIANT


STYLE_VERDICTS = [
    (".beian{display:none}", "<p class='beian'>", Verdict.HIDDEN),
    ("p.beian{display:none}", "<p class='x beian'>", Verdict.HIDDEN),
    ("div.beian{display:none}", "<p class='beian'>", Verdict.COMPLIANT),
    ("#ba{ visibility : hidden !important }", "<p id='ba'>", Verdict.HIDDEN),
    ("footer .beian{display:none}", "<p class='beian'>", Verdict.HIDDEN),
    ("header .beian{display:none}", "<p class='beian'>", Verdict.COMPLIANT),
    (".a, .beian { color: red; display: none }", "<p class='beian'>", Verdict.HIDDEN),
    (".beian:hover{display:none}", "<p class='beian'>", Verdict.COMPLIANT),
    ("footer > .beian{display:none}", "<p class='beian'>", Verdict.NEEDS_RENDER),  # `>`: a browser tells
    (".beian{display:none} .beian{display:block}", "<p class='beian'>", Verdict.COMPLIANT),
    ("footer p.beian{display:block} .beian{display:none}", "<p class='beian'>", Verdict.COMPLIANT),
    (".beian{display:none}", "<p class='beian' style='display:block'>", Verdict.COMPLIANT),
    (".beian{display:none !important}", "<p class='beian' style='display:block'>", Verdict.HIDDEN),
    ("/* .beian{display:none} */", "<p class='beian'>", Verdict.COMPLIANT),
    ("@media (max-width: 768px) { .beian{display:none} }", "<p class='beian'>", Verdict.COMPLIANT),
    ("@media screen and (min-width: 1024px) { .beian{display:none} }", "<p class='beian'>", Verdict.HIDDEN),
    ("@media print { .beian{display:none} }", "<p class='beian'>", Verdict.COMPLIANT),
    (
        ".beian{display:none} @media (min-width:992px){ .beian{display:block} }",
        "<p class='beian'>",
        Verdict.COMPLIANT,
    ),
    ("@charset 'utf-8'; .beian{display:none}", "<p class='beian'>", Verdict.HIDDEN),
    ("ul{font-size:0} li{font-size:12px}", "<ul style='font-size:0'><li>", Verdict.COMPLIANT),
    ("ul{font-size:0} li{font-size:12px}", "<ul><li>", Verdict.COMPLIANT),
    (".beian{font-size:0;line-height:0}", "<p class='beian'>", Verdict.HIDDEN),
    (".beian{opacity:0}", "<p class='beian'>", Verdict.HIDDEN),
    (".beian{opacity:0} footer .beian{opacity:1}", "<p class='beian'>", Verdict.COMPLIANT),
    (".beian{opacity:.3}", "<p class='beian'>", Verdict.COMPLIANT),
    (".beian{position:absolute;left:-9999px;top:-9999px}", "<p class='beian'>", Verdict.HIDDEN),
    (".beian{left:-9999px}", "<p class='beian'>", Verdict.COMPLIANT),
    (".beian{text-indent:-999px}", "<p class='beian'>", Verdict.HIDDEN),
    (".beian{margin-left:-100em}", "<p class='beian'>", Verdict.HIDDEN),
    (".beian{height:0;overflow:hidden}", "<p class='beian'>", Verdict.HIDDEN),
    (".beian{max-height:0;overflow-y:hidden}", "<p class='beian'>", Verdict.HIDDEN),
    (".beian{height:0}", "<p class='beian'>", Verdict.COMPLIANT),
    (".beian{height:0;padding-bottom:56.25%;overflow:hidden}", "<p class='beian'>", Verdict.COMPLIANT),
    (
        ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0)}",
        "<p class='sr-only'>",
        Verdict.HIDDEN,
    ),
    ("@media print { .beian{opacity:0} }", "<p class='beian'>", Verdict.COMPLIANT),
    (
        "@media screen and (max-width: 768px) { .beian{height:0;overflow:hidden} }",
        "<p class='beian'>",
        Verdict.COMPLIANT,
    ),
    (
        "@media (min-width: 1200px) { .beian{position:fixed;top:-2000px} }",
        "<p class='beian'>",
        Verdict.HIDDEN,
    ),
    ("footer, .x { background: #fff } .beian { color: #FFFFFF }", "<p class='beian'>", Verdict.HIDDEN),
    ("footer { background: #000 } .beian { color: #fff }", "<p class='beian'>", Verdict.COMPLIANT),
    ("footer { background: #fff url(f.png) } .beian { color: #fff }", "<p class='beian'>", Verdict.COMPLIANT),
    (
        "footer { background: #fff } .beian { color: #fff } footer .beian { color: #666 }",
        "<p class='beian'>",
        Verdict.COMPLIANT,
    ),
    (
        "body { background-color: white } p.beian { color: rgb(255 255 255) }",
        "<p class='beian'>",
        Verdict.HIDDEN,
    ),
    ("footer > .beian{opacity:0}", "<p class='beian'>", Verdict.NEEDS_RENDER),
    ("* { opacity: 0 }", "<p class='beian'>", Verdict.HIDDEN),
    ("footer * { visibility: hidden }", "<p class='beian'>", Verdict.HIDDEN),
]


@pytest.mark.parametrize(("css", "opening", "expected"), STYLE_VERDICTS)
def test_style_block_verdict(css: str, opening: str, expected: Verdict) -> None:
    tag = opening[1:3].strip(" >")
    closing = "</li></ul>" if tag == "ul" else f"</{tag}>"
    html = page(MAIN + f"<footer>© 2024 {opening}{LIC}{closing}</footer>", head=f"<style>{css}</style>")
    assert page_verdict(facts(html), LIC) is expected


def test_style_block_after_the_element_still_applies() -> None:
    html = page(MAIN + f"<footer><p class='beian'>{LIC}</p></footer><style>.beian{{display:none}}</style>")
    assert page_verdict(facts(html), LIC) is Verdict.HIDDEN


def test_print_only_style_element_is_ignored() -> None:
    html = page(
        MAIN + f"<footer><p class='beian'>{LIC}</p></footer>",
        "<style media='print'>.beian{display:none}</style>",
    )
    assert page_verdict(facts(html), LIC) is Verdict.COMPLIANT


def test_gbk_decoded_page() -> None:
    raw = page(MAIN + f"<footer>增值电信业务经营许可证：{LIC}</footer>").encode("gbk")
    assert page_verdict(facts(raw.decode("gbk")), LIC) is Verdict.COMPLIANT


# ---------------------------------------------------------------- hits


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        pytest.param(f"<footer><span hidden>{LIC}</span></footer>", "hidden attribute on span", id="hidden"),
        pytest.param(
            f"<footer><div id='beian' style='display:none'>{LIC}</div></footer>",
            "display:none on div#beian",
            id="inline",
        ),
        pytest.param(f"<footer><details><p>{LIC}</p></details></footer>", "closed <details>", id="details"),
        pytest.param(
            f"<style>.beian{{display:none}}</style><footer><p class='beian x'>{LIC}</p></footer>",
            "display:none on p.beian (style rule .beian)",
            id="style-rule",
        ),
        pytest.param(
            f"<footer><p class='a' style='opacity:0'>{LIC}</p></footer>", "opacity:0 on p.a", id="opacity"
        ),
    ],
)
def test_hidden_reason(html: str, reason: str) -> None:
    hit = only_licence(page(html))
    assert (hit.where, hit.visible, hit.in_footer, hit.hidden_reason) == (Where.TEXT, False, True, reason)


@pytest.mark.parametrize(
    ("html", "where", "in_footer"),
    [
        pytest.param(f"<!-- {LIC} --><main>x</main>", Where.COMMENT, False, id="comment-top"),
        pytest.param(
            f"<main>x</main><footer>©<!--{LIC}--></footer>", Where.COMMENT, True, id="comment-footer"
        ),
        pytest.param(
            f"<main>x</main><footer>©<script>var l='{LIC}'</script></footer>", Where.SCRIPT, True, id="script"
        ),
        pytest.param(
            f"<main>x</main><footer>©<noscript>{LIC}</noscript></footer>", Where.NOSCRIPT, True, id="noscript"
        ),
        pytest.param(
            f"<main>x</main><footer>©<template><i>{LIC}</i></template></footer>",
            Where.TEMPLATE,
            True,
            id="template",
        ),
        pytest.param(f"<main title='{LIC}'>x</main><footer>©</footer>", Where.ATTRIBUTE, False, id="title"),
        pytest.param(
            f"<main>x</main><footer aria-label='{LIC}'>©</footer>", Where.ATTRIBUTE, True, id="aria-label"
        ),
        pytest.param(f"<main>x</main><footer>©<img alt='{LIC}'></footer>", Where.IMAGE, True, id="img-alt"),
        pytest.param(
            f"<main><img title='{LIC}'></main><footer>©</footer>", Where.IMAGE, False, id="img-title"
        ),
    ],
)
def test_channels(html: str, where: Where, in_footer: bool) -> None:
    hit = only_licence(page(html))
    assert (hit.where, hit.in_footer, hit.visible, hit.value) == (where, in_footer, False, LIC)


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(f"<meta name='description' content='许可证{LIC}'>", id="meta"),
        pytest.param(f'<script type="application/ld+json">{{"license": "{LIC}"}}</script>', id="json-ld"),
        pytest.param("<title>朝前科技 陕B2-20210271</title>", id="title-element"),
    ],
)
def test_head_channels_are_attributes(head: str) -> None:
    html = f"<html><head>{head}</head><body><main>x</main><footer>©</footer></body></html>"
    hit = only_licence(html)
    assert (hit.where, hit.in_footer, hit.visible) == (Where.ATTRIBUTE, False, False)
    assert page_verdict(facts(html), LIC) is Verdict.MISSING


def test_noscript_in_head_keeps_the_rest_of_head() -> None:
    html = f"<html><head><noscript><img src='p.gif'></noscript><meta name='k' content='{LIC}'></head><body>x</body></html>"
    assert only_licence(html).where is Where.ATTRIBUTE


def test_every_kind_with_href_and_context() -> None:
    html = page(
        MAIN + "<footer><p>© 2024 西安朝前智能科技有限公司 "
        "<a href='https://beian.miit.gov.cn/' target='_blank'>陕ICP备2021012345号-1</a> "
        f"增值电信业务经营许可证：<a href='/licence.jpg'>{LIC}</a></p>"
        "<p><a href='https://beian.mps.gov.cn/#/query/webSearch?code=61019002000123'>"
        "<img src='ga.png' alt='公安备案'>陕公网安备61019002000123号</a></p></footer>"
    )
    hits = {h.kind: h for h in facts(html).numbers}
    assert set(hits) == {NumberKind.ICP_FILING, NumberKind.LICENCE, NumberKind.PUBLIC_SECURITY}
    assert hits[NumberKind.ICP_FILING].href == "https://beian.miit.gov.cn/"
    assert hits[NumberKind.ICP_FILING].value == "陕ICP备2021012345号-1"
    assert hits[NumberKind.LICENCE].href == "https://www.example.com/licence.jpg"
    assert str(hits[NumberKind.PUBLIC_SECURITY].href).endswith("code=61019002000123")
    for hit in hits.values():
        assert (hit.where, hit.in_footer, hit.visible) == (Where.TEXT, True, True)
        assert hit.value in hit.context
        assert "\n" not in hit.context
        assert len(hit.context) <= 2 * 25 + 40


def test_unlinked_number_has_no_href() -> None:
    assert only_licence(page(MAIN + f"<footer><a href='/about'>关于</a> {LIC}</footer>")).href is None


def test_hits_in_document_order() -> None:
    html = page(
        "<!--陕B2-20210001--><main>陕B2-20210002</main><footer title='陕B2-20210003'>陕B2-20210004</footer>"
    )
    assert [h.value for h in licences(html)] == [f"陕B2-2021000{i}" for i in (1, 2, 3, 4)]


def test_context_is_local() -> None:
    hit = only_licence(
        page("<main>" + "很长的内容。" * 100 + f"</main><footer>许可证：{LIC} 版权所有</footer>")
    )
    assert hit.context.endswith(f"许可证:{LIC} 版权所有")
    assert len(hit.context) < 70


# ---------------------------------------------------------------- footer region


@pytest.mark.parametrize(
    ("body", "how", "text"),
    [
        pytest.param("<main>x</main><footer>版权 A</footer>", "footer", "版权 A", id="footer"),
        pytest.param("<main>x</main><div role='contentinfo'>B</div>", "role", "B", id="role"),
        pytest.param("<main>x</main><div class='site-footer'>C</div><p>tail</p>", "class", "C", id="class"),
        pytest.param(
            "<div id='footer'><p class='copyright'>D1</p><p class='beian'>D2</p></div>",
            "class",
            "D1\nD2",
            id="outermost",
        ),
        pytest.param(
            "<div class='bottom'>E1</div><main>m</main><div class='btm'>E2</div>", "class", "E2", id="latest"
        ),
        pytest.param(
            "<div class='foot'>F</div><div class='foot-spacer'></div>", "class", "F", id="empty-skipped"
        ),
        pytest.param("<p>x <a class='beian'>G1</a> G2</p>", "class", "x G1 G2", id="inline-expands"),
        pytest.param("<div>H1</div><div>H2</div><script>var x</script>", "last-block", "H2", id="last-block"),
        pytest.param("<div id='app'><div>I1</div><div>I2</div></div>", "last-block", "I2", id="wrapper"),
        pytest.param(
            "<article><p>J1</p><footer>post meta</footer></article><footer>J2</footer>",
            "footer",
            "J2",
            id="page-footer",
        ),
        pytest.param(
            "<article><p>K</p><footer>only</footer></article>", "footer", "only", id="article-footer"
        ),
        pytest.param("<footer></footer><div class='copyright'>L</div>", "class", "L", id="empty-footer"),
        pytest.param("<footer><img src='lic.png' alt='x'></footer>", "footer", "", id="image-footer"),
        pytest.param(
            "<footer>a <span hidden>secret</span> b</footer>", "footer", "a b", id="visible-text-only"
        ),
        pytest.param("", "none", "", id="empty"),
        pytest.param("just inline text", "none", "", id="inline-body"),
    ],
)
def test_footer_region(body: str, how: str, text: str) -> None:
    f = facts(page(body))
    assert (f.footer_how, f.footer_found, f.footer_text) == (how, how != "none", text.replace("\n", " "))


def test_footer_text_is_truncated() -> None:
    f = facts(page("<footer>" + "版权所有 " * 300 + "</footer>"))
    assert len(f.footer_text) == FOOTER_TEXT_MAX


def test_no_footer_means_elsewhere() -> None:
    f = facts(page(f"<span>{LIC}</span>"))
    assert (f.footer_found, f.footer_how) == (False, "none")
    assert page_verdict(f, LIC) is Verdict.ELSEWHERE


@pytest.mark.parametrize(
    ("body", "shell"),
    [
        pytest.param("<div id='app'></div><script src='/js/app.js'></script>", True, id="vue-shell"),
        pytest.param(
            "<div id='root'>加载中…</div><script type='module' src='/m.js'></script>", True, id="loading"
        ),
        pytest.param("<div id='app'></div>", False, id="no-script"),
        pytest.param(
            "<div id='app'></div><script type='application/ld+json'>{}</script>", False, id="json-ld-only"
        ),
        pytest.param("<p>" + "内容" * 150 + "</p><script src='/a.js'></script>", False, id="text"),
        pytest.param(
            "<p hidden>" + "内容" * 150 + "</p><script src='/a.js'></script>", True, id="hidden-text"
        ),
    ],
)
def test_js_shell(body: str, shell: bool) -> None:
    assert facts(page(body)).js_shell is shell


# ---------------------------------------------------------------- links


def test_links() -> None:
    html = page(
        "<a href='b.html'>1</a><a href='/c?x=1#top'>2</a><a href='b.html'>dup</a>"
        "<a href='mailto:a@b.c'>m</a><a href='tel:110'>t</a><a href=' JavaScript:void(0)'>j</a>"
        "<a href='data:text/html,x'>d</a><a href=''>e</a><a>no href</a><a href='#f'>frag</a>"
        "<map><area href='../d.html'></map><a href='//cdn.example.org/e'>p</a>"
        "<a href='https://other.example/f'>o</a><a href='http://[::1'>bad</a><link href='/style.css'>"
        "<template><a href='/in-template'>x</a></template><a href='/g\n.html'>nl</a>"
    )
    assert run(html).links == (
        "https://www.example.com/news/b.html",
        "https://www.example.com/c?x=1#top",
        "https://www.example.com/news/a.html#f",
        "https://www.example.com/d.html",
        "https://cdn.example.org/e",
        "https://other.example/f",
        "https://www.example.com/g.html",
    )


def test_links_honour_base_href_and_final_url() -> None:
    html = page(
        "<a href='x.html'>1</a><a href='/y'>2</a>", head="<base href='/docs/v2/'><base href='/ignored/'>"
    )
    assert run(html, final_url="https://example.net/start").links == (
        "https://example.net/docs/v2/x.html",
        "https://example.net/y",
    )


def test_links_resolve_against_final_url() -> None:
    assert run(page("<a href='p'>1</a>"), final_url="https://m.example.com/dir/").links == (
        "https://m.example.com/dir/p",
    )


def test_facts_carry_urls() -> None:
    out = extract(page("x"), "http://example.com/", "https://example.com/", is_homepage=True)
    assert (out.facts.url, out.facts.final_url, out.facts.is_homepage) == (
        "http://example.com/",
        "https://example.com/",
        True,
    )


# ---------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("<footer>x" * 2000 + "</footer>" * 2000, id="nested-footers"),
        pytest.param("<section><footer>x</footer>" * 2000 + "</section>" * 2000, id="nested-sections"),
        pytest.param(
            "<div class='foot'>x" * 2000 + "<div class='foot'></div>" + "</div>" * 2000, id="nested-classes"
        ),
        pytest.param("<footer>x</footer>" + "<div><p class='bottom'>y</p></div>" * 5000, id="long-band"),
    ],
)
def test_pathological_footers_stay_fast(body: str) -> None:
    f = facts(page(body + f"<p>{LIC}</p>"))
    assert f.footer_found
    assert [h.value for h in f.numbers] == [LIC]


def test_deep_nesting_does_not_recurse() -> None:
    depth = MAX_NESTING - 10  # far past Python's recursion limit, just inside the nesting guard
    html = "<html><body>" + "<div>" * depth + LIC + "</div>" * depth + "<footer>©</footer></body></html>"
    hit = only_licence(html)
    assert (hit.visible, hit.in_footer) == (True, False)


@pytest.mark.parametrize(
    ("html", "deeper"),
    [
        pytest.param("<div>" * 101, True, id="divs"),
        pytest.param("<DIV class=x>" * 101, True, id="upper-case"),
        pytest.param("<div/>" * 101, True, id="self-closed-div-still-opens"),
        pytest.param("<div>" * 100, False, id="at-the-limit"),
        pytest.param("<div></div>" * 500, False, id="siblings"),
        pytest.param("<p>x" * 500 + "<li>y" * 500 + "<a href=/>z" * 500, False, id="sibling-closed"),
        pytest.param("<br><img src=x>" * 500, False, id="void"),
        pytest.param("<svg>" + "<path d='M0 0'/>" * 500 + "</svg>", False, id="svg-self-closed"),
        pytest.param("<script>" + "'<div>' + " * 500 + "</script>", False, id="script-text"),
        pytest.param("<!--" + "<div>" * 500 + "-->", False, id="comment"),
        pytest.param("<div>" * 50 + "<a" + "x" * 100_000, False, id="unclosed-tag"),
    ],
)
def test_nesting_depth_is_estimated_from_the_tags(html: str, deeper: bool) -> None:
    assert nests_deeper_than(html, 100) is deeper


def test_a_page_nested_past_the_limit_is_refused_unparsed() -> None:
    with pytest.raises(PageTooDeep, match="5,000"):
        run("<html><body>" + "<div>" * 100_000 + LIC)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<frameset><frame src='a'></frameset>",
        "<p>\x00\ud800 broken</p>",
        "<<<>>>",
        "<a href='\x00'>x</a>",
    ],
)
def test_odd_documents_do_not_crash(html: str) -> None:
    out = run(html)
    assert out.facts.numbers == ()


# ---------------------------------------------------------------- fast text = rules' text


def test_fast_normalise_matches_rules() -> None:
    rng = random.Random(7)
    alphabet = list(
        " \t\n\u00a0\u3000\u200b\u00ad\u2013\u2014\uff0d\u30fc\x1caAB12陕：，…①ＢＢ２\u0301e\u1100\u1161\ufb01"
    )
    for _ in range(3000):
        texts = ["".join(rng.choices(alphabet, k=rng.randint(0, 8))) for _ in range(rng.randint(1, 5))]
        assert textscan.normalise_many(texts) == [rules_normalise(t) for t in texts]
        assert [textscan.normalise(t) for t in texts] == [rules_normalise(t) for t in texts]


def test_windowed_find_numbers_matches_rules() -> None:
    rng = random.Random(11)
    pieces = [
        "陕B2-20210271", "京ICP证080057号", "陕ICP备2021012345号-1", "陕公网安备 61019002000123号",
        "A2.B1.B2-20100001", "B2-202102711", "ICP备", "-", "2021", " ", "\n", "公司", "内容，", "号",
    ]  # fmt: skip
    for _ in range(150):
        text = "".join(rng.choices(pieces, k=rng.randint(50, 400)))
        assert textscan.find_numbers(text) == rules_numbers.find_numbers(text)


REAL_NUMBERS = [
    "陕 B2 - 20210271 - 1 号", "合字A1.B1.B2-20180017", "A2 . B1 、B2-20100001", "B1·B2-20100001",
    "沪ICP证：沪B2-20100043", "ICP证合字B2-20070004号", "京 ICP 证 080047 号", "京icp证080047号",
    "陕ICP备 13013915号-3", "京ICP备12049103号-1x", "粤ICP备09082681-1", "京ICP备：14012449号",
    "鲁公网安备 37028502220584号", "沪公安网备31010402000001号", "陕公网安备案号：61019002000123",
    "陕公网安备６１０１９００２０００１２３号", "陕Ｂ２－２０２１０２７１", "陕B2\u201320210271",
]  # fmt: skip


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_windowed_find_numbers_on_real_formats(number: str) -> None:
    filler = "西安朝前智能科技有限公司，专注于人工智能。电话：029-88886666。" * 40
    text = rules_normalise(filler + number + filler + " " + number)
    expected = rules_numbers.find_numbers(text)
    assert len(expected) == 2
    assert textscan.find_numbers(text) == expected


# ---------------------------------------------------------------- raw text, centring, badge

ICP = "陕ICP备2021012345号-1"
GA = "陕公网安备61019002000123号"
GA_URL = "https://beian.mps.gov.cn/#/query/webSearch?code=61019002000123"


def footer_hit(footer: str, kind: NumberKind, head: str = "") -> NumberHit:
    hits = [h for h in facts(page(MAIN + f"<footer>{footer}</footer>", head)).numbers if h.kind is kind]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize(
    ("footer", "kind", "raw"),
    [
        pytest.param(
            "陕公安网备 61019002000123",
            NumberKind.PUBLIC_SECURITY,
            "陕公安网备 61019002000123",
            id="typo-label",
        ),
        pytest.param("粤ICP备09082681-1", NumberKind.ICP_FILING, "粤ICP备09082681-1", id="no-hao"),
        pytest.param("陕ICP备&nbsp;2021012345号", NumberKind.ICP_FILING, "陕ICP备 2021012345号", id="nbsp"),
        pytest.param(
            "<span>陕B2-</span><span>2021</span>0271", NumberKind.LICENCE, "陕B2-20210271", id="split"
        ),
        pytest.param("陕Ｂ２－２０２１０２７１ 号", NumberKind.LICENCE, "陕B2-20210271 号", id="full-width"),
        pytest.param(
            "<p>陕ICP备</p><p>2021012345号</p>", NumberKind.ICP_FILING, "陕ICP备 2021012345号", id="blocks"
        ),
        pytest.param(
            "©<!-- 陕公网安备 61019002000123 号 -->",
            NumberKind.PUBLIC_SECURITY,
            "陕公网安备 61019002000123 号",
            id="comment",
        ),
    ],
)
def test_raw_is_the_matched_text(footer: str, kind: NumberKind, raw: str) -> None:
    assert footer_hit(footer, kind).raw == raw


CENTRED = [
    ("<footer style='text-align:center'><p>{n}</p></footer>", "", True),
    ("<footer><p style='text-align: CENTER'>{n}</p></footer>", "", True),
    ("<footer><p style='text-align:left'>{n}</p></footer>", "", False),
    ("<footer><p style='text-align:justify'>{n}</p></footer>", "", False),
    ("<footer><p>{n}</p></footer>", "", None),
    ("<footer><center>{n}</center></footer>", "", True),
    ("<footer><div align='center'>{n}</div></footer>", "", True),
    ("<footer><div align='right'>{n}</div></footer>", "", False),
    ("<footer style='text-align:center'><p style='text-align:right'>{n}</p></footer>", "", False),
    ("<footer style='text-align:left'><p style='text-align:-webkit-center'>{n}</p></footer>", "", True),
    ("<footer style='text-align:center'><p style='text-align:inherit'>{n}</p></footer>", "", True),
    ("<footer><span style='text-align:center'>{n}</span></footer>", "", None),
    ("<footer><p class='copy'>{n}</p></footer>", "<style>.copy{text-align:center}</style>", True),
    ("<footer><p class='copy'>{n}</p></footer>", "<style>footer .copy{text-align:center}</style>", True),
    ("<footer><p class='copy'>{n}</p></footer>", "<style>header .copy{text-align:center}</style>", None),
    (
        "<footer><p class='copy'>{n}</p></footer>",
        "<style>.copy{text-align:center} p.copy{text-align:left}</style>",
        False,
    ),
    ("<footer><p>{n}</p></footer>", "<style>body{text-align:center}</style>", True),
    ("<footer><p>{n}</p></footer>", "<style>@media print{footer{text-align:center}}</style>", None),
    ("<footer style='display:flex;justify-content:center'><span>{n}</span></footer>", "", True),
    ("<footer style='display:flex;flex-direction:column;align-items:center'><a>{n}</a></footer>", "", True),
    ("<footer style='display:flex;justify-content:space-between'><span>{n}</span></footer>", "", None),
    ("<footer><table><tr><th>{n}</th></tr></table></footer>", "", True),
]


@pytest.mark.parametrize(("body", "head", "centred"), CENTRED)
def test_centred(body: str, head: str, centred: bool | None) -> None:
    hits = [
        h for h in facts(page(MAIN + body.format(n=ICP), head)).numbers if h.kind is NumberKind.ICP_FILING
    ]
    assert [h.centred for h in hits] == [centred]


def test_centred_only_judged_in_the_footer() -> None:
    html = page(f"<main style='text-align:center'><p>{ICP}</p></main><footer>©</footer>")
    assert [h.centred for h in facts(html).numbers] == [None]


BADGES = [
    (f"<a href='{GA_URL}'><img src='/img/ga.png'>{GA}</a>", True),
    (f"<a href='{GA_URL}'><img src='/img/icon-7.png'> {GA}</a>", True),
    (f"<p><img src='/img/icon.png'> {GA}</p>", True),
    (f"<p><img src='/img/icon.png'>公安备案号：{GA}</p>", True),
    (f"<p><img src='/img/icon.png'>西安朝前智能科技有限公司版权所有 {GA}</p>", False),
    (f"<p><img src='/img/ga.png'></p><p>{GA}</p>", False),
    (f"<p>{GA}<img src='/img/police.png'></p>", True),
    (f"<p>{GA} <img src='/img/wechat.png'></p>", False),
    (f"<p><img src='/img/ga.png' style='display:none'>{GA}</p>", False),
    (f"<p><a href='{GA_URL}'><img src='/img/ga.png'></a><a href='{GA_URL}'>{GA}</a></p>", True),
    (f"<p><a href='{GA_URL}'>{GA}</a></p>", False),
    (f"<p><a href='/a'><img src='/img/ga.png'></a> 版权所有 <a href='{GA_URL}'>{GA}</a></p>", False),
]


@pytest.mark.parametrize(("footer", "badge"), BADGES)
def test_police_badge(footer: str, badge: bool) -> None:
    assert footer_hit(footer, NumberKind.PUBLIC_SECURITY).badge is badge


def test_badge_only_for_public_security_numbers() -> None:
    hit = footer_hit(f"<a href='/lic.jpg'><img src='/img/ga.png'>{LIC}</a>", NumberKind.LICENCE)
    assert hit.badge is False


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        pytest.param(
            f"<style>.lic{{position:absolute;left:-9999px}}</style><footer><p class='lic'>{LIC}</p></footer>",
            "off-screen (left:-9999px) on p.lic (style rule .lic)",
            id="off-screen-rule",
        ),
        pytest.param(
            f"<footer><p style='height:0;overflow:hidden'>{LIC}</p></footer>",
            "zero size (height:0;overflow:hidden) on p",
            id="zero-size",
        ),
        pytest.param(
            f"<style>.lic{{opacity:0}}</style><footer><p class='lic'>{LIC}</p></footer>",
            "opacity:0 on p.lic (style rule .lic)",
            id="opacity-rule",
        ),
        pytest.param(
            f"<style>.lic{{font-size:0}}</style><footer><p class='lic'>{LIC}</p></footer>",
            "font-size:0 on p.lic (style rule .lic)",
            id="font-size-rule",
        ),
        pytest.param(
            f"<footer style='background:#fff'><p class='lic' style='color:#FFF'>{LIC}</p></footer>",
            "color:#fff on p.lic, the background of footer",
            id="camouflage",
        ),
        pytest.param(
            f"<footer><p style='color:transparent'>{LIC}</p></footer>",
            "color:transparent on p",
            id="transparent",
        ),
    ],
)
def test_more_hidden_reasons(html: str, reason: str) -> None:
    hit = only_licence(page(html))
    assert (hit.visible, hit.hidden_reason) == (False, reason)


def test_camouflaged_digit_inside_a_number() -> None:
    body = MAIN + "<footer style='background:#fff'>陕B2-2021<span style='color:#fff'>9</span>0271</footer>"
    f = facts(page(body))
    assert page_verdict(f, LIC) is Verdict.COMPLIANT
    assert [(h.value, h.visible) for h in f.numbers] == [("陕B2-202190271", False), (LIC, True)]


def test_camouflage_is_left_out_of_footer_text() -> None:
    f = facts(
        page(MAIN + f"<footer style='background:#fff'>© 2024 <span style='color:#fff'>{LIC}</span></footer>")
    )
    assert f.footer_text == "© 2024"


# ---------------------------------------------------------------- style sheets the crawler fetched

CSS_URL = "https://www.example.com/css/site.css"


def test_linked_style_sheet_applies_and_is_listed() -> None:
    html = page(
        MAIN + f"<footer><p class='beian'>{LIC}</p></footer>", "<link rel='stylesheet' href='/css/site.css'>"
    )
    without = run(html)
    assert (without.stylesheets, page_verdict(without.facts, LIC)) == ((CSS_URL,), Verdict.COMPLIANT)
    with_sheet = extract(html, URL, URL, is_homepage=False, stylesheets={CSS_URL: ".beian{display:none}"})
    assert page_verdict(with_sheet.facts, LIC) is Verdict.HIDDEN
    assert with_sheet.stylesheets == (CSS_URL,)


@pytest.mark.parametrize(
    ("head", "verdict"),
    [
        pytest.param(
            "<link rel=stylesheet href='/css/site.css'><style>.beian{display:block}</style>",
            Verdict.COMPLIANT,
            id="style-after",
        ),
        pytest.param(
            "<style>.beian{display:block}</style><link rel=stylesheet href='/css/site.css'>",
            Verdict.HIDDEN,
            id="link-after",
        ),
        pytest.param(
            "<link rel=stylesheet href='/css/site.css' media='print'>", Verdict.COMPLIANT, id="print"
        ),
        pytest.param(
            "<link rel='alternate stylesheet' href='/css/site.css'>", Verdict.COMPLIANT, id="alternate"
        ),
        pytest.param(
            "<link rel=STYLESHEET href='../css/site.css' media='screen and (min-width:768px)'>",
            Verdict.HIDDEN,
            id="relative",
        ),
        pytest.param("<style>@import url('/css/site.css');</style>", Verdict.HIDDEN, id="import"),
    ],
)
def test_style_sheet_order_and_media(head: str, verdict: Verdict) -> None:
    html = page(MAIN + f"<footer><p class='beian'>{LIC}</p></footer>", head)
    out = extract(html, URL, URL, is_homepage=False, stylesheets={CSS_URL: ".beian{display:none}"})
    assert page_verdict(out.facts, LIC) is verdict


def test_imports_inside_a_sheet_resolve_against_the_sheet() -> None:
    html = page(
        MAIN + f"<footer><p class='beian'>{LIC}</p></footer>", "<link rel=stylesheet href='/css/site.css'>"
    )
    inner = "https://www.example.com/css/parts/hide.css"
    sheets = {CSS_URL: "@import 'parts/hide.css'; p{color:#333}", inner: ".beian{visibility:hidden}"}
    out = extract(html, URL, URL, is_homepage=False, stylesheets=sheets)
    assert out.stylesheets == (CSS_URL, inner)
    assert page_verdict(out.facts, LIC) is Verdict.HIDDEN


def test_stylesheet_links_match_extracted() -> None:
    html = page(
        "<p>x</p>",
        "<base href='/docs/'><link rel=stylesheet href='a.css'><link rel=icon href='f.ico'>"
        "<style>@import \"b.css\" print; @import url(c.css);</style><link rel=stylesheet href='a.css#x'>",
    )
    expected = ["https://www.example.com/docs/a.css", "https://www.example.com/docs/c.css"]
    assert stylesheet_links(html, URL) == expected
    assert list(run(html).stylesheets) == expected


def test_sheet_colours_reach_numbers() -> None:
    html = page(
        MAIN + f"<footer class='f'><p>{LIC}</p></footer>", "<link rel=stylesheet href='/css/site.css'>"
    )
    sheets = {CSS_URL: ".f{background:#222;color:#222;text-align:center}"}
    hit = only_licence_of(extract(html, URL, URL, is_homepage=False, stylesheets=sheets).facts)
    assert (hit.visible, hit.centred) == (False, True)


def only_licence_of(f: PageFacts) -> NumberHit:
    hits = [h for h in f.numbers if h.kind is NumberKind.LICENCE]
    assert len(hits) == 1, hits
    return hits[0]


# ---------------------------------------------------------------- frames

SRCDOC = f"&lt;p style=&quot;text-align:center&quot;&gt;© 2024 许可证：{LIC}&lt;/p&gt;"
FRAME_URL = "https://www.example.com/inc/footer.html"


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        pytest.param(
            MAIN + f"<footer><iframe srcdoc='{SRCDOC}'></iframe></footer>", Verdict.COMPLIANT, id="in-footer"
        ),
        pytest.param(
            MAIN + f"<div><iframe srcdoc='{SRCDOC}'></iframe></div>", Verdict.COMPLIANT, id="last-block"
        ),
        pytest.param(
            MAIN + f"<div><iframe srcdoc='{SRCDOC}'></iframe></div><div class='footer'>©</div>",
            Verdict.ELSEWHERE,
            id="not-last",
        ),
        pytest.param(
            MAIN + f"<footer><iframe style='display:none' srcdoc='{SRCDOC}'></iframe></footer>",
            Verdict.HIDDEN,
            id="hidden",
        ),
        pytest.param(
            MAIN + f"<footer><iframe srcdoc='&lt;p hidden&gt;{LIC}&lt;/p&gt;'></iframe></footer>",
            Verdict.HIDDEN,
            id="hidden-inside",
        ),
        pytest.param(
            MAIN + f"<footer><iframe srcdoc='&lt;p class=lic&gt;{LIC}&lt;/p&gt;'></iframe></footer>"
            "<style>.lic{display:none}</style>",
            Verdict.COMPLIANT,
            id="page-style-does-not-cross",
        ),
        pytest.param(
            MAIN + "<footer>陕B2-2021<iframe srcdoc='0271'></iframe></footer>",
            Verdict.MISSING,
            id="no-gluing",
        ),
        pytest.param(
            MAIN
            + "<footer><iframe srcdoc='&lt;iframe srcdoc=&quot;陕B2-20210271&quot;&gt;&lt;/iframe&gt;'></iframe></footer>",
            Verdict.COMPLIANT,
            id="nested",
        ),
    ],
)
def test_srcdoc_frames(body: str, verdict: Verdict) -> None:
    assert page_verdict(facts(page(body)), LIC) is verdict


def test_srcdoc_footer_text_and_centring() -> None:
    f = facts(page(MAIN + f"<footer><iframe srcdoc='{SRCDOC}'></iframe></footer>"))
    assert f.footer_text == f"© 2024 许可证:{LIC}"
    assert only_licence_of(f).centred is True


def test_srcdoc_footer_without_footer_region() -> None:
    f = facts(page(f"<iframe srcdoc='{SRCDOC}'></iframe>"))
    assert (f.footer_found, f.footer_how, page_verdict(f, LIC)) == (True, "last-block", Verdict.COMPLIANT)


@pytest.mark.parametrize(
    ("body", "frames"),
    [
        pytest.param(
            MAIN + "<footer><iframe src='/inc/footer.html'></iframe></footer>", (FRAME_URL,), id="in-footer"
        ),
        pytest.param(MAIN + "<div><iframe src='../inc/footer.html'></iframe></div>", (FRAME_URL,), id="last"),
        pytest.param("<iframe src='/inc/footer.html'></iframe>" + MAIN + "<footer>©</footer>", (), id="top"),
        pytest.param(MAIN + "<footer><iframe src='about:blank'></iframe></footer>", (), id="blank"),
        pytest.param(
            MAIN + "<footer><iframe srcdoc='x' src='/inc/footer.html'></iframe></footer>",
            (),
            id="srcdoc-wins",
        ),
    ],
)
def test_footer_frame_urls(body: str, frames: tuple[str, ...]) -> None:
    assert run(page(body)).frames == frames


def test_fetched_frame_document_is_the_footer() -> None:
    html = page(MAIN + "<footer><iframe src='/inc/footer.html'></iframe></footer>")
    frame = (
        "<html><head><link rel=stylesheet href='f.css'><style>.x{display:none}</style></head><body>"
        f"<p class='x'>陕B2-20210272</p><a href='/lic.jpg'>{LIC}</a></body></html>"
    )
    assert page_verdict(run(html).facts, LIC) is Verdict.MISSING
    out = extract(html, URL, URL, is_homepage=False, frames={FRAME_URL: frame})
    assert page_verdict(out.facts, LIC) is Verdict.COMPLIANT
    hits = {h.value: h for h in out.facts.numbers}
    assert (hits[LIC].in_footer, hits[LIC].href) == (True, "https://www.example.com/lic.jpg")
    assert hits["陕B2-20210272"].visible is False
    assert out.stylesheets == ("https://www.example.com/inc/f.css",)
    assert "https://www.example.com/lic.jpg" in out.links


def test_comment_in_a_footer_frame_is_in_the_footer() -> None:
    f = facts(page(MAIN + f"<div><iframe srcdoc='© &lt;!-- {LIC} --&gt;'></iframe></div>"))
    assert [(h.where, h.in_footer) for h in f.numbers] == [(Where.COMMENT, True)]


def test_an_embedded_map_last_does_not_displace_the_footer() -> None:
    body = f"<main><p>正文</p></main><div><p>{LIC}</p></div><div><iframe src='https://map.example.org/x'></iframe></div>"
    f = facts(page(body))
    assert (f.footer_how, page_verdict(f, LIC)) == ("last-block", Verdict.COMPLIANT)


@pytest.mark.parametrize(
    ("html", "shell"),
    [
        pytest.param(
            '<p>正文很长的内容</p><footer id="f"></footer><script>$("#f").load("/f.html")</script>',
            True,
            id="empty-footer-filled-by-script",
        ),
        pytest.param(
            '<p>正文</p><div class="foot"><script src="/js/foot.js"></script></div>',
            True,
            id="footer-slot-with-script-src",
        ),
        pytest.param('<p>正文</p><footer id="f"></footer>', False, id="empty-footer-without-scripts"),
        pytest.param(
            "<p>" + "正文内容" * 80 + "</p><footer>© 2026 朝前</footer><script>track()</script>",
            False,
            id="footer-with-text-and-analytics",
        ),
    ],
)
def test_a_footer_slot_filled_by_script_needs_a_browser(html: str, shell: bool) -> None:
    facts = extract(
        f"<html><body>{html}</body></html>", "https://x.cn/a", "https://x.cn/a", is_homepage=False
    ).facts
    assert facts.js_shell is shell


# ---------------------------------------------------------------- footer location: tiers, band, visibility


@pytest.mark.parametrize(
    ("body", "how", "text"),
    [
        pytest.param(
            "<article><p>A</p><footer><span>发布时间：2024-03-12</span> 浏览</footer></article>"
            "<div class='footer'>F</div>",
            "class",
            "F",
            id="byline-footer-loses-to-later-class",
        ),
        pytest.param(
            "<main><article><footer>byline</footer></article><div class='copyright'>C</div></main>",
            "class",
            "C",
            id="byline-footer-loses-to-later-class-in-main",
        ),
        pytest.param(
            "<div class='header-bottom'>nav</div><main><p>m</p><footer>F</footer></main>",
            "footer",
            "F",
            id="sectioned-footer-last-beats-earlier-class",
        ),
        pytest.param(
            "<footer><dl><dt>产品</dt></dl></footer><div class='beian'>B</div><script>x</script>",
            "footer",
            "产品 B",
            id="band-sibling-after-footer",
        ),
        pytest.param(
            "<div id='page'><footer>A</footer></div><div class='wrap'><p class='copyright'>B</p></div>",
            "footer",
            "A B",
            id="band-nested-after-ancestor",
        ),
        pytest.param(
            "<footer>A</footer><p>x <a class='beian'>B</a> y</p>",
            "footer",
            "A x B y",
            id="band-inline-widened",
        ),
        pytest.param(
            "<footer>A</footer><div class='kefu'>K</div><div class='btm'>B</div>",
            "footer",
            "A B",
            id="band-skips-other-blocks",
        ),
        pytest.param(
            "<footer>A</footer><aside><div class='bottom'>S</div></aside>",
            "footer",
            "A",
            id="band-page-level",
        ),
        pytest.param(
            "<div class='copyright'>B</div><main>m</main><footer>A</footer>",
            "footer",
            "A",
            id="band-only-after-footer",
        ),
        pytest.param(
            "<footer style='display:none'>A</footer><div class='copyright'>B</div>",
            "class",
            "B",
            id="hidden-footer-loses-to-shown-class",
        ),
        pytest.param(
            "<main>m</main><div class='footer' style='display:none'>A</div>",
            "class",
            "",
            id="only-hidden-candidate-still-footer",
        ),
        pytest.param(
            "<div class='pc-foot'>P</div><div class='m-foot' hidden>M</div>",
            "class",
            "P",
            id="hidden-latest-skipped",
        ),
        pytest.param(
            "<div class='copyright'>B</div><details><summary>s</summary><div class='footer'>A</div></details>",
            "class",
            "B",
            id="closed-details-candidate-skipped",
        ),
        pytest.param(
            "<div class='copyright'>B</div><div style='visibility:hidden'><div class='footer'>A</div></div>",
            "class",
            "B",
            id="invisible-ancestor-skipped",
        ),
        pytest.param(
            "<div class='copyright' style='font-size:0'><span style='font-size:12px'>B</span></div>"
            "<div class='x'>tail</div>",
            "class",
            "B",
            id="font-size-0-is-shown",
        ),
        pytest.param(
            "<div>H1</div><div>H2</div><div style='display:none'>modal</div>",
            "last-block",
            "H2",
            id="last-block-shown",
        ),
        # issue 13: consecutive footer-like blocks belong together
        pytest.param(
            "<div>main content</div><div class='copyright'>A1</div><div class='copyright'>A2</div>"
            "<div class='copyright'>A3</div>",
            "class",
            "A1 A2 A3",
            id="sibling-copyright-blocks",
        ),
        pytest.param(
            "<div class='foot-links'>L</div><div><img src='s.png'></div><div class='beian'>B</div>",
            "class",
            "L B",
            id="footer-like-run-across-an-image-row",
        ),
        pytest.param(
            "<div class='copyright'>far</div><div>" + "正文" * 200 + "</div><div class='beian'>B</div>",
            "class",
            "B",
            id="long-block-breaks-the-run",
        ),
        pytest.param(
            "<div class='footer'>F</div><div class='seal'></div><div class='x'>L1<div class='icp'>I</div></div>",
            "class",
            "F L1 I",
            id="small-parent-joins-the-run",
        ),
        pytest.param(
            "<div class='ft'><div class='tianya-footer'>T</div><div class='zj'>Z</div>"
            "<div class='footer-pic-link'><a class='jc'></a></div></div>",
            "class",
            "T Z",
            id="block-between-the-footer-and-an-empty-footer-like-row",
        ),
        # dialogs, overlays, side columns and text-less toolbars are not the footer
        pytest.param(
            "<div class='footer'>F</div><div role='dialog'><div class='btm'>取消 确定</div></div>",
            "class",
            "F",
            id="role-dialog",
        ),
        pytest.param(
            "<div class='footer'>F</div><div aria-modal='true'><p class='foot'>x</p></div>"
            "<div class='layui-layer'><div class='layui-layer-btn footer'>确定</div></div>"
            "<dialog open><div class='bottom'>d</div></dialog><div class='mask-bottom'>m</div>"
            "<div class='popup-foot'>p</div><div class='cookie-footer'>c</div>",
            "class",
            "F",
            id="modal-layer-dialog-mask-popup-cookie",
        ),
        pytest.param(
            "<div class='footer'>F</div><div class='player-bottom'>P</div>",
            "class",
            "F P",
            id="overlay-part-only-at-word-start",
        ),
        pytest.param(
            "<div class='footer'>F</div><div class='go-top bottom'>顶部</div>"
            "<div class='btm' style='position: fixed'><img src='qq.png'></div>",
            "class",
            "F",
            id="toolbars-with-little-text",
        ),
        pytest.param(
            "<div class='footer'>F</div><div class='footer-fixed fixed'>© 2024 西安朝前智能科技有限公司 版权所有 陕B2-20210271 陕ICP备2021012345号</div>",
            "class",
            "F © 2024 西安朝前智能科技有限公司 版权所有 陕B2-20210271 陕ICP备2021012345号",
            id="a-fixed-footer-with-its-lines-stays",
        ),
        pytest.param(
            "<div>main</div><aside><div class='record'>备案</div></aside><div>S</div>",
            "last-block",
            "S",
            id="aside-card",
        ),
        pytest.param(
            "<div class='modal-footer'>only</div>",
            "class",
            "only",
            id="a-dialog-when-nothing-else",
        ),
        # the last block's short lines above it, after the main content
        pytest.param(
            "<div>" + "正文" * 100 + "</div><p>P1</p><p>P2</p><p>P3</p>",
            "last-block",
            "P1 P2 P3",
            id="wrapperless-lines",
        ),
        pytest.param(
            "<div>" + "正文" * 100 + "</div><p>P1</p><p>P2</p><div class='go-top'>顶部</div>",
            "last-block",
            "P1 P2",
            id="wrapperless-lines-then-go-top",
        ),
    ],
)
def test_footer_location(body: str, how: str, text: str) -> None:
    f = facts(page(body))
    assert (f.footer_how, f.footer_text) == (how, text)


DUAL_STYLE = "<style>.m-footer{display:none}@media (max-width:768px){.pc-footer{display:none}.m-footer{display:block}}</style>"


def test_dual_templates_take_the_desktop_footer() -> None:
    html = page(
        MAIN + f"<div class='pc-footer'>许可证：{LIC}</div><div class='m-footer'>© 朝前 {LIC}</div>",
        DUAL_STYLE,
    )
    f = facts(html)
    assert (f.footer_how, f.footer_text) == ("class", f"许可证:{LIC}")
    assert [(h.in_footer, h.visible) for h in f.numbers] == [(True, True), (True, False)]
    assert page_verdict(f, LIC) is Verdict.COMPLIANT


def test_mobile_only_licence_is_hidden_not_missing() -> None:
    html = page(MAIN + f"<div class='pc-footer'>© 朝前</div><div class='m-footer'>{LIC}</div>", DUAL_STYLE)
    assert page_verdict(facts(html), LIC) is Verdict.HIDDEN


def test_hidden_footer_candidate_by_style_sheet() -> None:
    html = page(
        MAIN + f"<footer class='wap'>手机版</footer><footer class='web'>{LIC}</footer>",
        "<style>footer.wap{display:none}</style>",
    )
    f = facts(html)
    assert (f.footer_how, f.footer_text) == ("footer", LIC)


def test_band_number_hidden_in_footer_markup() -> None:
    html = page(MAIN + f"<footer>© 朝前</footer><div class='copyright' style='display:none'>{LIC}</div>")
    hit = only_licence(html)
    assert (hit.in_footer, hit.visible) == (True, False)
    assert page_verdict(facts(html), LIC) is Verdict.HIDDEN


def test_band_after_footer_is_compliant() -> None:
    html = page(
        MAIN + "<footer><ul><li>关于</li></ul><img src='qr.png' alt='二维码'></footer>"
        f"<div class='beian'>Copyright 陕ICP备2021012345号-1 增值电信业务经营许可证：{LIC}</div>"
    )
    f = facts(html)
    assert all(h.in_footer for h in f.numbers)
    assert page_verdict(f, LIC) is Verdict.COMPLIANT


# ---------------------------------------------------------------- attribute selectors, transforms, offsets


ATTRIBUTE_VERDICTS = [
    ("[data-role=licence]{display:none}", Verdict.HIDDEN),
    ('[data-role="licence"]{display:none}', Verdict.HIDDEN),
    ("[data-role='licence']{display:none}", Verdict.HIDDEN),
    ("[data-role]{display:none}", Verdict.HIDDEN),
    ("p[data-role=licence]{display:none}", Verdict.HIDDEN),
    ("div[data-role=licence]{display:none}", Verdict.COMPLIANT),
    ("footer [data-role=licence]{display:none}", Verdict.HIDDEN),
    ("header [data-role=licence]{display:none}", Verdict.COMPLIANT),
    ("[data-tags~=permit]{display:none}", Verdict.HIDDEN),
    ("[data-tags~=perm]{display:none}", Verdict.COMPLIANT),
    ("[data-tags|=permit]{display:none}", Verdict.COMPLIANT),
    ("[data-tags=permit]{display:none}", Verdict.COMPLIANT),
    ("[data-role^=lic]{display:none}", Verdict.HIDDEN),
    ("[data-role$=ence]{display:none}", Verdict.HIDDEN),
    ("[data-role*=cenc]{display:none}", Verdict.HIDDEN),
    ("[data-role^=x]{display:none}", Verdict.COMPLIANT),
    ("[data-role=LICENCE]{display:none}", Verdict.COMPLIANT),
    ("[data-role=LICENCE i]{display:none}", Verdict.HIDDEN),
    ("[class~=beian]{visibility:hidden}", Verdict.HIDDEN),
    ("[id=ba]{display:none}", Verdict.HIDDEN),
    (".beian[data-role=licence]{display:none}", Verdict.HIDDEN),
    ("[data-role=licence]{display:none} footer .beian{display:block}", Verdict.COMPLIANT),
    ("[data-role=licence]:hover{display:none}", Verdict.COMPLIANT),
    ("[data-role=licence{display:none}", Verdict.COMPLIANT),
]


@pytest.mark.parametrize(("css", "expected"), ATTRIBUTE_VERDICTS)
def test_attribute_selector_verdict(css: str, expected: Verdict) -> None:
    opening = "<p id='ba' class='beian x' data-role='licence' data-tags='permit footer'>"
    html = page(MAIN + f"<footer>© 2024 {opening}{LIC}</p></footer>", head=f"<style>{css}</style>")
    assert page_verdict(facts(html), LIC) is expected


def test_attribute_selector_in_linked_style_sheet() -> None:
    html = page(
        MAIN + f"<footer><p data-role='licence'>{LIC}</p></footer>", "<link rel='stylesheet' href='/s.css'>"
    )
    sheets = {"https://www.example.com/s.css": "[data-role=licence]{display:none}"}
    f = extract(html, URL, URL, is_homepage=False, stylesheets=sheets).facts
    assert page_verdict(f, LIC) is Verdict.HIDDEN


POSITION_VERDICTS = [
    ("transform:scale(0)", Verdict.HIDDEN),
    ("transform:scaleX(0)", Verdict.HIDDEN),
    ("transform:scaleY(0)", Verdict.HIDDEN),
    ("transform:scale(1, 0)", Verdict.HIDDEN),
    ("transform:translate(-50%, -50%) scale(0)", Verdict.HIDDEN),
    ("transform:matrix(0, 0, 0, 0, 0, 0)", Verdict.HIDDEN),
    ("transform:matrix(1, 0, 0, 1, -9999, 0)", Verdict.HIDDEN),
    ("transform:translate(-9999px)", Verdict.HIDDEN),
    ("transform:translateX(-9999px)", Verdict.HIDDEN),
    ("transform:translateY(-9999px)", Verdict.HIDDEN),
    ("transform:translate3d(0, -2000px, 0)", Verdict.HIDDEN),
    ("scale:0", Verdict.HIDDEN),
    ("translate:-9999px 0", Verdict.HIDDEN),
    ("transform:scale(.9)", Verdict.COMPLIANT),
    ("transform:translateX(-20px)", Verdict.COMPLIANT),
    ("transform:translate(-50%, -50%)", Verdict.COMPLIANT),
    ("transform:matrix(1, 0, 0, 1, 10, 0)", Verdict.COMPLIANT),
    ("transform:rotate(3deg)", Verdict.COMPLIANT),
    ("position:fixed;bottom:-200px", Verdict.HIDDEN),
    ("position:fixed;top:-100px", Verdict.HIDDEN),
    ("position:fixed;left:-300px", Verdict.HIDDEN),
    ("position:fixed;right:-9999px", Verdict.HIDDEN),
    ("position:fixed;bottom:-40px", Verdict.COMPLIANT),
    ("position:fixed;bottom:-200px;height:300px", Verdict.COMPLIANT),
    ("position:absolute;top:-500px", Verdict.HIDDEN),
    ("position:absolute;left:-600px", Verdict.HIDDEN),
    ("position:absolute;right:-9999px", Verdict.HIDDEN),
    ("position:absolute;bottom:-9999px", Verdict.HIDDEN),
    ("position:absolute;top:-20px", Verdict.COMPLIANT),
    ("position:absolute;top:-300px", Verdict.COMPLIANT),
    ("position:absolute;bottom:-600px", Verdict.COMPLIANT),
    ("position:absolute;top:-600px;height:800px", Verdict.COMPLIANT),
    ("position:relative;top:-500px", Verdict.COMPLIANT),
    ("bottom:-9999px", Verdict.COMPLIANT),
]


@pytest.mark.parametrize(("style", "expected"), POSITION_VERDICTS)
def test_transform_and_offset_verdicts(style: str, expected: Verdict) -> None:
    inline = page(MAIN + f"<footer>© 2024 <p style='{style}'>{LIC}</p></footer>")
    rule = page(MAIN + f"<footer>© 2024 <p class='lic'>{LIC}</p></footer>", f"<style>.lic{{{style}}}</style>")
    assert (page_verdict(facts(inline), LIC), page_verdict(facts(rule), LIC)) == (expected, expected)


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        (".lic{transform:scale(0)} footer .lic{transform:none}", Verdict.COMPLIANT),
        (".lic{transform:none} .x{transform:scale(0)}", Verdict.COMPLIANT),
        (".lic{transform:rotate(1deg)} .x{transform:scale(0)}", Verdict.COMPLIANT),
        (".wrap{transform:scale(0)} .lic{transform:none}", Verdict.HIDDEN),  # an ancestor's transform holds
        (".lic{position:fixed;bottom:-200px} .lic.x{color:red}", Verdict.HIDDEN),
    ],
)
def test_transform_and_offset_cascade(css: str, expected: Verdict) -> None:
    html = page(
        MAIN + f"<footer><div class='wrap'><p class='lic'>{LIC}</p></div></footer>", f"<style>{css}</style>"
    )
    assert page_verdict(facts(html), LIC) is expected


@pytest.mark.parametrize(
    ("style", "reason"),
    [
        ("transform:scale(0)", "transform:scale(0) (scaled to nothing) on p.lic"),
        ("transform:translateX(-9999px)", "transform:translatex(-9999px) (off-screen) on p.lic"),
        ("position:fixed;bottom:-200px", "off-screen (bottom:-200px) on p.lic"),
        ("position:absolute;top:-500px", "off-screen (top:-500px) on p.lic"),
    ],
)
def test_transform_and_offset_reasons(style: str, reason: str) -> None:
    hit = only_licence(page(f"<footer><p class='lic' style='{style}'>{LIC}</p></footer>"))
    assert (hit.visible, hit.hidden_reason) == (False, reason)
