"""Footer templates: the fingerprint of a page's footer (through real extraction) and pages grouped by it."""

from __future__ import annotations

import pytest

from crawler.extract import extract
from crawler.footer_heuristics import SHAPE_MAX_ELEMENTS
from rules.model import NumberHit, PageFacts, Verdict, Where
from rules.numbers import NumberKind
from rules.records import PageRecord
from rules.templates import (
    FULL,
    NO_FOOTER,
    TEXT_ONLY,
    facts_fingerprint,
    footer_text_key,
    group_templates,
    page_fingerprint,
)

LIC = "陕B2-20210271"
SITE = "https://www.example.com"
FOOTER = (
    "<footer class='footer'><div class='wrap'>"
    "<p><a href='/map.html'>网站地图</a> | <a href='/legal.html'>法律声明</a></p>"
    "<p>© 2021-2026 西安朝前智能科技有限公司 版权所有 | "
    "<a href='https://beian.miit.gov.cn/'>陕ICP备2021012345号-1</a> | {licence}</p>"
    "</div></footer>"
)
VISIBLE = f"增值电信业务经营许可证：{LIC}"


def page_html(body: str, footer: str, title: str = "朝前科技") -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}{footer}</body></html>"


def facts(footer: str, *, path: str = "/a.html", body: str = "<main><p>正文</p></main>") -> PageFacts:
    url = SITE + path
    return extract(page_html(body, footer), url, url, is_homepage=path == "/").facts


def print_of(footer: str, **kw: str) -> str:
    return facts_fingerprint(facts(footer, **kw))


BASE = FOOTER.format(licence=VISIBLE)


# ---------------------------------------------------------------- one template, many pages


def test_the_same_template_on_pages_with_different_bodies_and_urls_is_one_fingerprint() -> None:
    home = print_of(BASE, path="/", body="<main><h1>首页</h1><p>人工智能</p><p>视觉</p></main>")
    news = print_of(BASE, path="/news/2026/1.html", body="<article><h1>新闻</h1><p>发布</p></article>")
    assert home == news
    assert home.startswith(FULL)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("更新时间：2026-11-27 10:21:33", "更新时间：2025-01-02 09:00:00"),  # the page's modification date
        ("Processed in 0.031021 second(s), 4 queries", "Processed in 0.5 second(s), 12 queries"),  # Discuz!
        ("访问量：12345", "访问量：99"),
        ("更新于 2026年11月27日", "更新于 2026年1月2日"),
    ],
)
def test_per_page_text_in_the_footer_is_masked(a: str, b: str) -> None:
    first = FOOTER.format(licence=f"{VISIBLE} <span>{a}</span>")
    second = FOOTER.format(licence=f"{VISIBLE} <span>{b}</span>")
    assert print_of(first) == print_of(second)


def test_the_pages_own_address_in_its_footer_is_masked_but_another_sites_is_not() -> None:
    own = FOOTER.format(licence=VISIBLE + " 本页地址：{url}")
    a = print_of(own.replace("{url}", f"{SITE}/a.html"), path="/a.html")
    b = print_of(own.replace("{url}", f"{SITE}/b/c.html?x=1"), path="/b/c.html")
    assert a == b
    other = print_of(own.replace("{url}", "https://partner.example.org/x"), path="/a.html")
    assert other != a


def test_whitespace_and_full_width_forms_do_not_split_a_template() -> None:
    spaced = FOOTER.format(licence="增值电信业务经营许可证：\n   陕Ｂ２－２０２１０２７１")
    assert print_of(spaced) == print_of(BASE)


# ---------------------------------------------------------------- what must split a template


@pytest.mark.parametrize(
    "licence",
    [
        "增值电信业务经营许可证：陕B2-20210272",  # one digit
        "增值电信业务经营许可证：陕B2-202102711",  # one digit more
        "增值电信业务经营许可证：京B2-20210271",  # another province
    ],
)
def test_a_changed_number_is_another_template(licence: str) -> None:
    assert print_of(FOOTER.format(licence=licence)) != print_of(BASE)


def test_a_changed_icp_filing_or_its_link_is_another_template() -> None:
    assert print_of(BASE.replace("2021012345号-1", "2021012345号-2")) != print_of(BASE)
    assert print_of(BASE.replace("beian.miit.gov.cn", "www.miitbeian.gov.cn")) != print_of(BASE)


def test_a_hidden_licence_line_is_neither_the_shown_nor_the_absent_template() -> None:
    hidden = print_of(FOOTER.format(licence=f"<span style='display:none'>{VISIBLE}</span>"))
    absent = print_of(FOOTER.format(licence="<span></span>"))
    shown = print_of(FOOTER.format(licence=f"<span>{VISIBLE}</span>"))
    assert len({hidden, absent, shown}) == 3


def test_two_ways_of_hiding_the_same_markup_are_one_template() -> None:
    """The visitor sees the same footer; only the hiding mechanism differs (inline style or a class)."""
    inline = FOOTER.format(licence=f"<span style='display:none'>{VISIBLE}</span>")
    by_class = FOOTER.format(licence=f"<span class='lic'>{VISIBLE}</span>")
    url = f"{SITE}/x.html"
    sheet = "<style>.lic{display:none}</style>"
    html = page_html("<main>x</main>", by_class).replace("</head>", sheet + "</head>")
    assert facts_fingerprint(extract(html, url, url, is_homepage=False).facts) == print_of(inline)


def test_the_licence_as_an_image_or_in_a_comment_is_another_template() -> None:
    image = print_of(FOOTER.format(licence=f"<img src='/l.png' alt='{VISIBLE}'>"))
    comment = print_of(FOOTER.format(licence=f"<!-- {VISIBLE} -->"))
    assert len({image, comment, print_of(BASE)}) == 3


def test_the_same_text_in_another_structure_is_another_template() -> None:
    split = FOOTER.format(
        licence="增值电信业务经营许可证：<span>陕B2</span>-<span>2021</span><span>0271</span>"
    )
    assert facts(split).footer_text == facts(BASE).footer_text  # a visitor reads the same text
    assert print_of(split) != print_of(BASE)
    as_div = BASE.replace("<footer class='footer'>", "<div class='copyright'>").replace("</footer>", "</div>")
    assert print_of(as_div) != print_of(BASE)


def test_classes_and_ids_do_not_split_a_template() -> None:
    """A CMS marks the current page's link (class='active'); the structure is tag names only."""
    active = BASE.replace("<a href='/map.html'>", "<a class='active' id='cur' href='/map.html'>")
    assert print_of(active) == print_of(BASE)


def test_a_page_without_a_footer_is_the_no_footer_group() -> None:
    bare = extract(page_html("", ""), f"{SITE}/empty.html", f"{SITE}/empty.html", is_homepage=False).facts
    assert not bare.footer_found
    assert bare.footer_shape == ""
    assert facts_fingerprint(bare) == NO_FOOTER


# ---------------------------------------------------------------- the shape the crawler supplies


def test_the_shape_names_tags_nested_and_nothing_else() -> None:
    shape = facts(BASE).footer_shape
    assert shape == "footer ( div ( p ( a a ) p ( a ) ) )"


def test_the_shape_is_bounded_and_skips_icon_internals() -> None:
    many = (
        "<footer><ul>"
        + "<li><a href='/x'>链接</a></li>" * SHAPE_MAX_ELEMENTS
        + f"</ul><p>{VISIBLE}</p></footer>"
    )
    shape = facts(many).footer_shape
    assert shape.endswith("+")
    assert len(shape.split()) < 3 * SHAPE_MAX_ELEMENTS
    icon = "<footer><p><svg><g><path d='M0'/><path d='M1'/></g></svg>" + VISIBLE + "</p></footer>"
    assert facts(icon).footer_shape == "footer ( p ( svg ) )"


# ---------------------------------------------------------------- the text key


def test_masking_never_touches_a_registration_number() -> None:
    text = f"陕ICP备2021012345号-1 {LIC} 陕公网安备61019002000123号 更新 2026-11-27 12:30 用时 0.5 秒"
    key = footer_text_key(text, [f"{SITE}/a.html"])
    assert "陕ICP备2021012345号-1" in key
    assert LIC in key
    assert "陕公网安备61019002000123号" in key
    assert "<date>" in key
    assert "<time>" in key
    assert "<timing>" in key
    assert "2026" not in key.replace("陕B2-20210271", "")


# ---------------------------------------------------------------- stored pages and grouping


def hit(value: str = LIC, **kw: object) -> NumberHit:
    fields: dict[str, object] = {
        "kind": NumberKind.LICENCE,
        "value": value,
        "key": value,
        "where": Where.TEXT,
        "in_footer": True,
        "visible": True,
    }
    fields.update(kw)
    return NumberHit(**fields)  # type: ignore[arg-type]


def record(path: str, verdict: Verdict = Verdict.COMPLIANT, **kw: object) -> PageRecord:
    fields: dict[str, object] = {
        "url": SITE + path,
        "final_url": SITE + path,
        "status": 200,
        "content_type": "text/html",
        "depth": path.count("/"),
        "verdict": verdict,
        "footer_found": True,
        "footer_text": f"© 2026 朝前科技 {LIC}",
        "numbers": (hit(),),
    }
    fields.update(kw)
    return PageRecord(**fields)  # type: ignore[arg-type]


def test_a_stored_fingerprint_is_used_as_is_and_old_pages_fall_back_to_text() -> None:
    assert page_fingerprint(record("/a", footer_fingerprint="f1-0123456789abcdef")) == "f1-0123456789abcdef"
    old_a, old_b = page_fingerprint(record("/a")), page_fingerprint(record("/b/c"))
    assert old_a == old_b
    assert old_a.startswith(TEXT_ONLY)
    assert page_fingerprint(record("/h", numbers=(hit(visible=False),))) != old_a
    assert page_fingerprint(record("/n", footer_found=False, footer_text="")) == NO_FOOTER


@pytest.mark.parametrize("verdict", [Verdict.FETCH_ERROR, Verdict.NOT_HTML, Verdict.SKIPPED])
def test_pages_not_judged_belong_to_no_template(verdict: Verdict) -> None:
    assert page_fingerprint(record("/x", verdict, footer_found=False)) == ""
    assert group_templates([record("/x", verdict, footer_found=False)]) == ()


def test_grouping_puts_broken_templates_first_with_their_verdict_mix() -> None:
    good = {"footer_fingerprint": "f1-good"}
    bare = {"footer_fingerprint": "f1-bare", "numbers": ()}
    pages = [
        record("/", is_homepage=True, **good),
        *(record(f"/p{i}", **good) for i in range(5)),
        record("/gone", Verdict.FETCH_ERROR, footer_found=False),
        record("/m1", Verdict.MISSING, **bare),
        record("/e1", Verdict.ELSEWHERE, **bare),
        record("/m2/deep", Verdict.MISSING, **bare),
        record("/shell", Verdict.NEEDS_RENDER, footer_found=False),
        record("/w", Verdict.WRONG_NUMBER, footer_fingerprint="f1-wrong"),
    ]
    templates = group_templates(pages)
    assert [t.fingerprint for t in templates] == ["f1-bare", "f1-wrong", NO_FOOTER, "f1-good"]
    bare_t = templates[0]
    assert bare_t.verdicts == ((Verdict.ELSEWHERE, 1), (Verdict.MISSING, 2))
    assert bare_t.broken_pages == 3
    assert bare_t.example.url == SITE + "/e1"  # shallowest, shortest broken page
    good_t = templates[-1]
    assert len(good_t.pages) == 6
    assert good_t.example.is_homepage
    assert not good_t.broken_pages
    assert sum(len(t.pages) for t in templates) == len(pages) - 1  # the fetch error is in none
