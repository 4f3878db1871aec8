"""Property tests for the real footer variants (issue 13 item 2): a footer holding a licence, an ICP
filing and a 公安 number written the ways real footers write them, joined by random separators, labels
and the next element's text, yields exactly those numbers; a look-alike letter (issue 12) still makes
another number. Fixed seed, small budget."""

from __future__ import annotations

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from crawler import textscan
from rules.numbers import NumberKind, find_numbers
from rules.text import normalise

SETTINGS = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
PROV_SEPS = ("", "|", "｜", "│", "丨", "·", ":", "：", " ", "/", " | ", " ｜ ")
# What real footers put between numbers, or what the next inline element starts with
JOINS = (" ", " | ", "｜", "，", "\u3000", "Powered by 朝前 ", "技术支持：朝前", "Copyright © 2024 ", "")
LABELS = ("", "备案号：", "经营许可证：", "网站备案：", "版权所有 ")
LOOKALIKES = ("O", "o", "l", "I", "S", "Z", "B")


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=n - 1, max_size=n - 1).map(lambda d: "1" + d)


@st.composite
def licence(draw: st.DrawFn) -> tuple[str, str, str]:
    num = "20" + draw(_digits(6))
    form = draw(st.sampled_from(["own", "label", "label-own"]))
    if form == "own":
        return f"沪B2-{num}", f"沪B2-{num}", num
    colon = draw(st.sampled_from(["", "：", " ", ": "]))
    own = "沪" if form == "label-own" else draw(st.sampled_from(["", " "]))
    return f"沪{draw(st.sampled_from(PROV_SEPS))}ICP证{colon}{own}B2-{num}", f"沪B2-{num}", num


@st.composite
def filing(draw: st.DrawFn) -> tuple[str, str, str]:
    main = draw(_digits(draw(st.sampled_from([8, 10]))))
    seq = draw(st.sampled_from(["", "-1", "－17", "-3", "-2A"]))
    text = f"京{draw(st.sampled_from(PROV_SEPS))}ICP备{main}号{seq}"
    return text, f"京ICP备{main}号" + seq.replace("－", "-"), main


@st.composite
def gongan(draw: st.DrawFn) -> tuple[str, str, str]:
    num = "11" + draw(_digits(12))
    prov = draw(st.sampled_from(["", "京", "京 "]))
    label = draw(st.sampled_from(["公网安备", "公安备案号", "公网安备号", "公安机关备案号", "公安网备"]))
    colon = draw(st.sampled_from(["", "：", " "]))
    hao = draw(st.sampled_from(["", "号"]))
    value = f"{prov.strip()}公网安备{num}号"
    return f"{prov}{label}{colon}{num}{hao}", value, num


@st.composite
def footer(draw: st.DrawFn) -> tuple[str, list[tuple[NumberKind, str]], list[int]]:
    """The footer's text, its numbers (kind, value) in order, and where each one's main digits end."""
    parts = [
        (NumberKind.LICENCE, draw(licence())),
        (NumberKind.ICP_FILING, draw(filing())),
        (NumberKind.PUBLIC_SECURITY, draw(gongan())),
    ]
    parts = draw(st.permutations(parts))
    text, ends = draw(st.sampled_from(LABELS)), []
    for kind, (shown, _, digits) in parts:
        ends.append(len(text) + shown.rindex(digits) + len(digits))
        join = draw(st.sampled_from(JOINS))
        text += shown + (join if join or kind is not NumberKind.PUBLIC_SECURITY else " ")
        text += draw(st.sampled_from(LABELS))
    return text, [(kind, value) for kind, (_, value, _) in parts], ends


Footer = tuple[str, list[tuple[NumberKind, str]], list[int]]


def read(text: str) -> list[tuple[NumberKind, str]]:
    found = [(m.kind, m.value) for m in find_numbers(normalise(text))]
    assert [(m.kind, m.value) for m in textscan.find_numbers(textscan.normalise(text))] == found
    return found


@seed(13)
@SETTINGS
@given(footer())
def test_exactly_the_footers_numbers_come_out(case: Footer) -> None:
    text, expected, _ = case
    assert read(text) == expected


@seed(13)
@SETTINGS
@given(
    footer(), st.integers(0, 2), st.sampled_from(LOOKALIKES), st.sampled_from([" ", " 版权所有", "号", "，"])
)
def test_a_look_alike_letter_still_makes_another_number(
    case: Footer, which: int, letter: str, after: str
) -> None:
    text, expected, ends = case
    kind, value = expected[which]
    at = ends[which]  # the letter right after the main digits, before any 号 or -N: other digits shown
    faked = text[:at] + letter + after + text[at:]
    assert (kind, value) not in read(faked)
