"""Limits that keep judging one hostile page linear in time and bounded in memory (issue 12): frame
documents read per page, and the linear scans behind open comments and thousands of numbers."""

from __future__ import annotations

import pytest

from crawler import walk
from crawler.walk import MAX_FRAME_CHARS, MAX_FRAMES, _markup_text
from rules.model import Verdict
from rules.numbers import NumberKind, find_numbers
from tests.fuzz.families import judge

LICENCE = "增值电信业务经营许可证：陕B2-20210271"


def _frames(count: int, inner: str = "<p>x</p>") -> str:
    return f'<iframe srcdoc="{inner}"></iframe>' * count


def test_frames_past_the_cap_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    document = walk.Walk.document
    monkeypatch.setattr(walk.Walk, "document", lambda self, *a: (parsed.append(1), document(self, *a))[1])
    judge(f"<html><body><footer>{_frames(MAX_FRAMES * 3)}</footer></body></html>")
    assert len(parsed) == MAX_FRAMES


def test_frame_characters_past_the_cap_are_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[int] = []
    document = walk.Walk.document
    monkeypatch.setattr(walk.Walk, "document", lambda self, *a: (parsed.append(1), document(self, *a))[1])
    big = "<p>" + "x" * (MAX_FRAME_CHARS // 3) + "</p>"
    judge(f"<html><body><footer>{_frames(5, big)}</footer></body></html>")
    assert len(parsed) == 2


def test_a_page_with_unread_frames_is_not_judged_missing() -> None:
    judged = judge(f"<html><body><main>关于</main><footer>{_frames(MAX_FRAMES + 5)}</footer></body></html>")
    assert judged.judgement.verdict is Verdict.NEEDS_RENDER


def test_what_was_read_still_shows_the_number_past_the_frame_cap() -> None:
    html = f"<html><body><main>关于</main><footer>{LICENCE}{_frames(MAX_FRAMES + 5)}</footer></body></html>"
    assert judge(html).judgement.verdict is Verdict.COMPLIANT


def test_a_frame_within_the_cap_is_read() -> None:
    html = f"<html><body><main>关于</main><footer>{_frames(3)}{_frames(1, LICENCE)}</footer></body></html>"
    assert judge(html).judgement.verdict is Verdict.COMPLIANT


def test_markup_text_keeps_the_text_of_closed_comments_and_of_open_ones() -> None:
    assert _markup_text("a<!--陕B2-20210271-->b") == "a\n陕B2-20210271\nb"
    assert _markup_text("a<!--x<div>y") == "a<!--x\ny"  # an open comment is text; its tags still count
    assert _markup_text("a<b c") == "a<b c"


def test_numbers_that_overlap_keep_the_first_finder_and_all_others_stay() -> None:
    text = "ICP证：陕B2-20210271 京ICP备12345678号 " * 3 + "京公网安备11010502000001号"
    kinds = [m.kind for m in find_numbers(text)]
    assert kinds == [NumberKind.LICENCE, NumberKind.ICP_FILING] * 3 + [NumberKind.PUBLIC_SECURITY]
