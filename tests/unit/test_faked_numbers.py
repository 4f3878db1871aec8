"""Numbers faked in the text itself (reference §2.0; issue 12): a look-alike letter after the digits,
compatibility digits NFKC would fold, bidi controls that show the number reversed. None of them is
our number; the ways a real footer writes it (full-width digits, dashes, zero-width or thin spaces)
still are."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from crawler import textscan
from rules.numbers import NumberKind, find_numbers
from rules.text import COMPAT_DIGITS, normalise

OURS = "陕B2-20210271"


def licence_keys(text: str) -> list[str]:
    found = find_numbers(normalise(text))
    assert [m.key for m in found] == [m.key for m in textscan.find_numbers(textscan.normalise(text))]
    return [m.key for m in found if m.kind is NumberKind.LICENCE]


@pytest.mark.parametrize(
    "text",
    [
        "陕B2-20210271",
        "陕Ｂ２－２０２１０２７１",  # full-width: how Chinese input methods type it
        "陕B2—20210271",
        "陕B2－20210271",
        "陕B2-2021\u200b0271",  # zero-width: a visitor sees no gap
        "陕B2-2021\u20090271".replace("\u2009", ""),
        "陕B2 - 20210271 号",
        "陕B2-20210271号",
        "陕B2-20210271，陕ICP备2021012345号-1",
        "许可证：陕B2-20210271 Copyright",
        "许可证：陕B2-20210271Copyright",
        "陕B2-20210271|陕ICP备2021012345号",  # a bar between numbers is a separator, not a 1
        "陕B2-20210271ICP备案",
        "\u202d陕B2-20210271\u202c",  # a left-to-right override shows it as written
        "\u2066陕B2-20210271\u2069",
        "\u202e备案\u202c 陕B2-20210271",  # the override ends before the number
    ],
)
def test_the_ways_footers_write_it_stay_ours(text: str) -> None:
    assert licence_keys(text) == [OURS]


@pytest.mark.parametrize(
    "suffix",
    [
        "O",
        "o",
        "l",
        "I",
        "S",
        "B",
        "Z",
        "\u041e",
        "\u043e",
        "\u039f",
        "\u03bf",
        "\u0417",
        "\u0406",
        "Ol",
    ],
)
def test_a_look_alike_letter_after_the_digits_makes_another_number(suffix: str) -> None:
    for text in (
        f"陕B2-20210271{suffix}",
        f"许可证：陕B2-20210271{suffix} 版权所有",
        f"陕B2-20210271{suffix}号",
    ):
        keys = licence_keys(text)
        assert keys, text
        assert OURS not in keys, text


@pytest.mark.parametrize(
    "fake", ["①", "¹", "₁", "\U0001d7cf", "\U0001d7d9", "\U0001d7ed", "⑴", "⒈", "\U0001f102"]
)
def test_compatibility_digits_are_not_folded_into_ours(fake: str) -> None:
    assert OURS not in licence_keys(f"陕B2-2021027{fake}")
    assert OURS not in licence_keys(f"陕B2-2{fake}210271")
    assert fake in normalise(f"x{fake}y")


def test_compat_digits_table_is_every_character_nfkc_folds_into_an_ascii_digit() -> None:
    fullwidth = {chr(c) for c in range(0xFF10, 0xFF1A)}
    expected = {
        c
        for c in map(chr, range(0x80, sys.maxunicode + 1))
        if unicodedata.decomposition(c).startswith("<")
        and any("0" <= d <= "9" for d in unicodedata.normalize("NFKC", c))
        and c not in fullwidth
    }
    assert set(COMPAT_DIGITS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "\u202e陕B2-20210271\u202c",  # right-to-left override: shown 17201202-2B陕
        "\u202e陕B2-20210271",
        "\u202b陕B2-20210271\u202c",  # right-to-left embedding: the runs swap
        "\u2067陕B2-20210271\u2069",  # right-to-left isolate
        "许可证：\u202e陕B2-20210271",
        "\u202e许可证：\u202d\u202c陕B2-20210271",  # an inner override already closed
        "\u2067许可证：\u2066x\u2069 陕B2-20210271",
    ],
)
def test_a_number_shown_right_to_left_is_not_ours(text: str) -> None:
    assert OURS not in licence_keys(text)


def test_an_override_ends_with_its_paragraph() -> None:
    # extraction joins the normalised text of blocks with "\n"
    assert [m.key for m in find_numbers("\u202e备案\n陕B2-20210271")] == [OURS]
    assert [m.key for m in find_numbers("\u202e备案 陕B2-20210271")] == []


def test_a_reversed_number_far_after_its_override_is_not_ours_in_long_text() -> None:
    text = "\u202e" + "公司简介 " * 400 + "陕B2-20210271 " + "联系我们 " * 400
    assert OURS not in [m.key for m in textscan.find_numbers(textscan.normalise(text))]


@pytest.mark.parametrize(
    ("text", "ours"),
    [
        ("陕ICP备2021012345号", "陕ICP备2021012345号"),
        ("陕ICP备2021012345O号", None),
        ("陕ICP备2021012345l", None),
        ("陕公网安备61019002000123号", "陕公网安备61019002000123号"),
        ("陕公网安备61019002000123O号", None),
    ],
)
def test_a_look_alike_letter_after_a_filing_makes_another_filing(text: str, ours: str | None) -> None:
    values = [m.value for m in find_numbers(normalise(text))]
    assert values
    assert (
        (ours in values)
        if ours
        else all(v not in ("陕ICP备2021012345号", "陕公网安备61019002000123号") for v in values)
    )
