"""Property tests of the number recognisers (reference §2) against generated valid and invalid numbers.

Valid numbers of every kind, formatted as real footers format them (full-width characters, dash
variants, spaces, zero-width characters, CJK text and other numbers around them, split across inline
elements), are always found with the right key. A number with an extra digit, a letter O for a zero,
or truncated is never accepted as the expected key.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crawler import textscan
from crawler.extract import extract
from rules.numbers import PROVINCES, NumberKind, find_numbers
from rules.text import normalise

SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

DASHES = ("-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d")
SPACES = ("", "", "", " ", "\u00a0", "\u3000", "  ", " \u00a0 ")
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
# Footer text that surrounds numbers (none ends or starts with something a number could absorb).
CONTEXT = (
    "版权所有",
    "© 2024 西安朝前智能科技有限公司",
    "增值电信业务经营许可证：",
    "经营许可证编号：",
    "备案号：",
    "技术支持：西安云帆网络",
    "违法和不良信息举报电话：029-88886666",
    "地址：陕西省西安市高新区锦业路1号",
    "网络文化经营许可证：陕网文〔2022〕1234-056号",
    "电信业务审批【2010】字第296号",
    "｜",
    "All Rights Reserved",
)
FILLER = "西安朝前智能科技有限公司专注于人工智能与大数据技术。" * 40  # > 1000 characters: windowed search


@dataclass(frozen=True)
class Generated:
    """A number as a footer shows it, and what the recogniser must report for it."""

    text: str
    kind: NumberKind
    key: str
    value: str
    digits: str  # the main digit run, which the invalid variants damage


def _full_width(text: str, mask: list[bool]) -> str:
    """Some printable ASCII characters as their full-width forms (what a Chinese IME types)."""
    out = []
    for i, char in enumerate(text):
        if mask[i % len(mask)] and "!" <= char <= "~":
            out.append(chr(ord(char) + 0xFEE0))
        else:
            out.append(char)
    return "".join(out)


@st.composite
def _sep(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(SPACES))


@st.composite
def _dash(draw: st.DrawFn) -> str:
    return draw(_sep()) + draw(st.sampled_from(DASHES)) + draw(_sep())


@st.composite
def _digits(draw: st.DrawFn, n: int) -> str:
    return "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=n, max_size=n)))


@st.composite
def licences(draw: st.DrawFn) -> Generated:
    prefix = draw(st.sampled_from([*PROVINCES, "合字", ""]))
    cats = draw(
        st.sampled_from([["B2"], ["B1"], ["A2"], ["B1", "B2"], ["A2", "B1", "B2"], ["A1", "B1", "B2"]])
    )
    joiner = draw(st.sampled_from([".", "、", "·", " . "]))
    year = draw(st.integers(1990, 2099))
    num = f"{year}{draw(_digits(4))}"
    seq = draw(st.one_of(st.just(""), st.integers(1, 9999).map(str)))
    hao = draw(st.booleans())
    text = prefix + (draw(_sep()) if prefix else "") + joiner.join(cats) + draw(_dash()) + num
    text += (draw(_dash()) + seq if seq else "") + (draw(_sep()) + "号" if hao else "")
    key = f"{prefix}{'.'.join(cats)}-{num}"
    return Generated(text, NumberKind.LICENCE, key, key + (f"-{seq}" if seq else ""), num)


@st.composite
def filings(draw: st.DrawFn) -> Generated:
    prov = draw(st.sampled_from(PROVINCES))
    main = draw(_digits(draw(st.sampled_from([8, 10]))))
    label = draw(st.sampled_from(["ICP", "icp", "ＩＣＰ"]))
    colon = draw(st.sampled_from(["", ":", "："]))
    hao = draw(st.booleans())
    seq = draw(st.one_of(st.just(""), st.integers(1, 99).map(str)))
    app = draw(st.sampled_from(["", "", "A", "X"])) if seq else ""
    text = prov + draw(_sep()) + label + draw(_sep()) + "备" + colon + draw(_sep()) + main
    text += (draw(_sep()) + "号" if hao else "") + (draw(_dash()) + seq + app if seq else "")
    key = f"{prov}ICP备{main}号"
    return Generated(text, NumberKind.ICP_FILING, key, key + (f"-{seq}{app}" if seq else ""), main)


@st.composite
def zheng_numbers(draw: st.DrawFn) -> Generated:
    prov = draw(st.sampled_from(PROVINCES))
    num = draw(_digits(draw(st.sampled_from([6, 8]))))
    hao = draw(st.booleans())
    text = prov + draw(_sep()) + "ICP" + draw(_sep()) + "证" + draw(st.sampled_from(["", "："])) + num
    text += (draw(_sep()) + "号") if hao else ""
    key = f"{prov}ICP证{num}号"
    return Generated(text, NumberKind.ICP_ZHENG, key, key, num)


@st.composite
def public_security(draw: st.DrawFn) -> Generated:
    prov = draw(st.sampled_from(PROVINCES))
    num = draw(_digits(draw(st.sampled_from([14, 14, 12]))))
    label = draw(st.sampled_from(["公网安备", "公网安备案号", "公安网备", "公 网 安 备"]))
    colon = draw(st.sampled_from(["", ":", "："]))
    hao = draw(st.booleans())
    text = prov + draw(_sep()) + label + colon + draw(_sep()) + num + (draw(_sep()) + "号" if hao else "")
    return Generated(text, NumberKind.PUBLIC_SECURITY, num, f"{prov}公网安备{num}号", num)


NUMBERS = st.one_of(licences(), filings(), zheng_numbers(), public_security())


@st.composite
def formatted(draw: st.DrawFn, number: Generated) -> str:
    """The number with some characters full-width and zero-width characters inserted anywhere."""
    text = _full_width(number.text, draw(st.lists(st.booleans(), min_size=1, max_size=8)))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(ZERO_WIDTH)) + text[at:]
    return text


def _edge(text: str, *, last: bool) -> str:
    """The first (or last) character of `text` as normalised, zero-width characters skipped."""
    folded = normalise(text)
    return (folded[-1:] if last else folded[:1]) or " "


def _glues(left: str, right: str) -> bool:
    """True when `right` written straight after `left` could change what the recognisers read.

    A number grows into digits, letters, 号 or a dash after it; a Latin letter before a number
    without a province prefix makes it no number ('AB2-…'); a province character or 字 before a
    number could become its prefix.
    """
    before, after = _edge(left, last=True), _edge(right, last=False)
    return (
        (before.isascii() and before.isalpha())
        or before in PROVINCES
        or before == "字"
        or (after.isascii() and after.isalnum())
        or after in ("号", "-")
    )


def _join(parts: list[str], separators: list[str]) -> str:
    out = parts[0]
    for part, sep in zip(parts[1:], separators, strict=False):
        if not sep and _glues(out, part):
            sep = " | "
        out += sep + part
    return out


@st.composite
def footers(draw: st.DrawFn) -> tuple[str, list[Generated]]:
    """A footer line: context phrases and numbers of any kind, run together or separated."""
    numbers = draw(st.lists(NUMBERS, min_size=1, max_size=4))
    parts: list[str] = []
    for number in numbers:
        parts += draw(st.lists(st.sampled_from(CONTEXT), max_size=2))
        parts.append(draw(formatted(number)))
    parts += draw(st.lists(st.sampled_from(CONTEXT), max_size=2))
    seps = draw(
        st.lists(st.sampled_from(["", " ", " | ", "，", "\u3000"]), min_size=len(parts), max_size=len(parts))
    )
    text = _join(parts, seps)
    if draw(st.booleans()):
        text = FILLER + text + FILLER
    return text, numbers


def _found(text: str) -> list[tuple[NumberKind, str, str]]:
    return [(m.kind, m.key, m.value) for m in find_numbers(normalise(text))]


@SETTINGS
@given(footers())
def test_valid_numbers_are_found_with_their_key(footer: tuple[str, list[Generated]]) -> None:
    text, numbers = footer
    assert _found(text) == [(n.kind, n.key, n.value) for n in numbers]


@SETTINGS
@given(footers())
def test_page_scale_recogniser_agrees_with_rules(footer: tuple[str, list[Generated]]) -> None:
    text, _ = footer
    assert textscan.normalise(text) == normalise(text)
    assert textscan.find_numbers(textscan.normalise(text)) == find_numbers(normalise(text))


def _damage(draw: st.DrawFn, number: Generated, how: str) -> str:
    """The number's text with its main digit run damaged: one digit more, an O for a 0, or cut short."""
    start = number.text.rindex(number.digits)
    digits = number.digits
    if how == "extra":
        at = draw(st.integers(0, len(digits)))
        digits = digits[:at] + draw(st.sampled_from("0123456789")) + digits[at:]
    elif how == "letter-o":
        zeros = [i for i, c in enumerate(digits) if c == "0"]
        assume(zeros)
        at = draw(st.sampled_from(zeros))
        digits = digits[:at] + draw(st.sampled_from("Oo")) + digits[at + 1 :]
    else:
        digits = digits[: -draw(st.integers(1, min(3, len(digits) - 1)))]
    return number.text[:start] + digits + number.text[start + len(number.digits) :]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, Generated]:
    number = draw(NUMBERS)
    how = draw(st.sampled_from(["extra", "letter-o", "truncated"]))
    bad = Generated(_damage(draw, number, how), number.kind, number.key, number.value, number.digits)
    before = draw(st.sampled_from(CONTEXT))
    after = draw(st.sampled_from(CONTEXT))
    return _join([before, draw(formatted(bad)), after], ["", ""]), number


@SETTINGS
@given(damaged())
def test_damaged_numbers_are_never_the_expected_key(case: tuple[str, Generated]) -> None:
    text, number = case
    assert all(key != number.key for kind, key, _ in _found(text) if kind is number.kind)


@SETTINGS
@given(licences(), st.data())
def test_number_split_across_inline_elements_is_found_in_the_footer(
    number: Generated, data: st.DataObject
) -> None:
    text = data.draw(formatted(number))
    cuts = sorted(data.draw(st.lists(st.integers(1, max(1, len(text) - 1)), max_size=4)))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    tags = data.draw(
        st.lists(
            st.sampled_from(["span", "b", "a", "font", "em"]), min_size=len(pieces), max_size=len(pieces)
        )
    )
    inline = "".join(f"<{t}>{p}</{t}>" for t, p in zip(tags, pieces, strict=True))
    html = (
        f"<html><body><main><p>正文</p></main><footer><p>许可证：{inline} 版权所有</p></footer></body></html>"
    )
    facts = extract(html, "https://www.example.com/", "https://www.example.com/", is_homepage=True).facts
    hits = [(h.kind, h.key, h.value, h.in_footer, h.visible) for h in facts.numbers]
    assert (number.kind, number.key, number.value, True, True) in hits


@pytest.mark.parametrize(
    "text", ["All Rights Reserved陕B2-20210271", "Chaoqian AI陕B2-20210271号", "ICP陕B2-20210271"]
)
def test_latin_letter_before_the_province_prefix(text: str) -> None:
    assert [key for kind, key, _ in _found(text) if kind is NumberKind.LICENCE] == ["陕B2-20210271"]
