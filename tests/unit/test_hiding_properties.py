"""Property: no false compliant on the hiding families of issue 12 (static mode).

Generated footers combine one hiding technique (CSS that hides, a container that never displays its
text, a look-alike or compatibility character, a bidi control) with the licence number and random
surrounding markup; however they are combined, the static verdict is never `compliant`. Fixed seed,
small budget: a regression gate, not a search.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from crawler.extract import extract
from rules.model import Verdict
from rules.verdict import page_verdict

URL = "https://www.chaoqiankeji.com/"
LICENCE = "陕B2-20210271"
SETTINGS = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Declarations that hide (or leave static analysis unable to tell), each as a browser reads it.
HIDING_DECLARATIONS = (
    "opacity:0%", "opacity:.01", "opacity:0.05", "font-size:0.1px", "font-size:0%", "font-size:1px",
    "transform:scale(0.001)", "transform:scale(.05,.05)", "filter:opacity(0)", "filter:blur(8px)",
    "-webkit-text-fill-color:transparent", "clip-path:inset(100%)", "clip-path:inset(50%)",
    "clip-path:circle(0)", "position:absolute;clip:rect(0 0 0 0)", "position:absolute;clip:rect(1px,1px,1px,1px)",
    "max-width:0;overflow:hidden", "max-height:0;overflow:hidden", "width:0;overflow:hidden",
    "height:0;overflow:hidden", "color:#fefefe", "color:#fff", "display:/**/none", "dis\\play:none",
    "display:n\\one", "display:\\6e one", "visibility:/* x */hidden", "direction:rtl;unicode-bidi:bidi-override",
    "direction:rtl",
    "color:rgba(0,0,0,.05)",
    "content-visibility:hidden",
    "-webkit-mask-image:linear-gradient(transparent,transparent)",
    "line-height:0;overflow:hidden",
    "letter-spacing:-1em",
)  # fmt: skip
# Containers whose text a visitor never reads as footer text ({} is the number).
CONTAINERS = (
    "<select><option>{}</option></select>",
    "<select><option>请选择</option><option>{}</option></select>",
    "<svg><desc>{}</desc></svg>",
    "<svg width='9' height='9'><metadata>{}</metadata></svg>",
    "<ruby>证<rp>{}</rp><rt>z</rt></ruby>",
    "<noframes>{}</noframes>",
    "<iframe width='1' height='1' srcdoc='{}'></iframe>",
    "<span hidden='until-found'>{}</span>",
    "<bdo dir='rtl'>{}</bdo>",
    "<span dir='rtl'>{}</span>",
)
# The number itself faked: a look-alike after it, a compatibility digit, a right-to-left control.
FAKES = (
    "陕B2-20210271O", "陕B2-20210271l", "陕B2-20210271I", "陕B2-20210271S", "陕B2-20210271\u041e",
    "陕B2-20210271\u03bf", "陕B2-2021027①", "陕B2-2021027¹", "陕B2-2021027₁", "陕B2-2021027\U0001d7cf",
    "\u202e陕B2-20210271\u202c", "\u202b陕B2-20210271\u202c", "\u2067陕B2-20210271\u2069",
    "&#x202E;陕B2-20210271", "陕B2-2021027&#x2460;",
)  # fmt: skip
LABELS = ("", "增值电信业务经营许可证：", "经营许可证编号：", "ICP经营许可证 ")
AROUND = ("", "版权所有", "© 2024 西安朝前智能科技有限公司", "技术支持：云帆网络", " | ", "<br>")
TAGS = ("p", "span", "div", "small", "em")


@st.composite
def plain_markup(draw: st.DrawFn) -> str:
    """Random footer text and elements that hide nothing."""
    parts = draw(st.lists(st.sampled_from(AROUND), max_size=3))
    tag = draw(st.sampled_from(TAGS))
    return f"<{tag}>{''.join(parts)}</{tag}>"


def _page(footer: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>朝前科技</title>{head}</head>"
        "<body><main><p>西安朝前智能科技有限公司专注于人工智能与大数据技术。</p></main>"
        f"<footer class='site-footer'>{footer}</footer></body></html>"
    )


def _verdict(html: str) -> Verdict:
    return page_verdict(extract(html, URL, URL, is_homepage=True).facts, LICENCE)


@st.composite
def css_hidden(draw: st.DrawFn) -> str:
    """The number in an element hidden by one declaration, inline or from a class rule."""
    decl = draw(st.sampled_from(HIDING_DECLARATIONS))
    tag = draw(st.sampled_from(TAGS))
    label = draw(st.sampled_from(LABELS))
    inner = f"{label}{LICENCE}"
    if draw(st.booleans()):
        line, head = f'<{tag} style="{decl}">{inner}</{tag}>', ""
    else:
        line, head = f"<{tag} class='lic'>{inner}</{tag}>", f"<style>.lic{{{decl}}}</style>"
    if draw(st.booleans()):  # the hidden element wrapped in a plain one, or the other way round
        line = f"<div>{line}</div>"
    before, after = draw(plain_markup()), draw(plain_markup())
    return _page(before + line + after, head)


@st.composite
def contained(draw: st.DrawFn) -> str:
    """The number only inside a container that never displays it."""
    container = draw(st.sampled_from(CONTAINERS)).format(LICENCE)
    tag = draw(st.sampled_from(TAGS))
    line = f"<{tag}>{draw(st.sampled_from(LABELS))}{container}</{tag}>"
    return _page(draw(plain_markup()) + line + draw(plain_markup()))


@st.composite
def faked(draw: st.DrawFn) -> str:
    """A faked number in plain, visible markup."""
    tag = draw(st.sampled_from(TAGS))
    line = f"<{tag}>{draw(st.sampled_from(LABELS))}{draw(st.sampled_from(FAKES))}{draw(st.sampled_from(('', ' ', '号')))}</{tag}>"
    return _page(draw(plain_markup()) + line + draw(plain_markup()))


@seed(20261208)
@SETTINGS
@given(css_hidden())
def test_no_false_compliant_on_css_hiding(html: str) -> None:
    assert _verdict(html) is not Verdict.COMPLIANT


@seed(20261208)
@SETTINGS
@given(contained())
def test_no_false_compliant_on_containers_that_never_display(html: str) -> None:
    assert _verdict(html) is not Verdict.COMPLIANT


@seed(20261208)
@SETTINGS
@given(faked())
def test_no_false_compliant_on_faked_numbers(html: str) -> None:
    assert _verdict(html) is not Verdict.COMPLIANT


@seed(20261208)
@SETTINGS
@given(st.sampled_from(LABELS), plain_markup(), plain_markup(), st.sampled_from(TAGS))
def test_the_same_footers_without_a_trick_are_compliant(
    label: str, before: str, after: str, tag: str
) -> None:
    """The generator is honest: take the trick away and the page is compliant."""
    assert _verdict(_page(f"{before}<{tag}>{label}{LICENCE}</{tag}>{after}")) is Verdict.COMPLIANT
