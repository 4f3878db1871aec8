"""icp-audit.example.toml "has every key with a comment" (README, Profile): it names each key of the site,
licence, filings, crawl, storage and schedule sections, with a comment, and loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from crawler.config import Profile
from crawler.profiles import load_profile

EXAMPLE = Path(__file__).parents[2] / "icp-audit.example.toml"
SECTIONS = ("site", "licence", "filings", "crawl", "storage", "schedule")


def _section(name: str) -> str:
    """The example's lines from `[name]` to the next table header."""
    text = EXAMPLE.read_text("utf-8")
    return re.split(r"^\[", text.split(f"\n[{name}]", 1)[1], flags=re.M)[0]


@pytest.mark.parametrize("section", SECTIONS)
def test_every_key_of_the_section_is_in_the_example_with_a_comment(section: str) -> None:
    model = Profile.model_fields[section].annotation
    assert isinstance(model, type)
    assert issubclass(model, BaseModel)
    lines = _section(section).splitlines()
    for key in model.model_fields:
        line = next((ln for ln in lines if re.match(rf"#?\s*{key}\s*=", ln)), None)
        assert line is not None, f"[{section}] {key} is not in icp-audit.example.toml"
        assert re.search(r"\s#\s*\S", line.split("=", 1)[1]), f"[{section}] {key} has no comment"


def test_the_example_loads_with_the_new_keys() -> None:
    profile = load_profile(str(EXAMPLE))
    assert profile.crawl.judge_timeout == 10.0
    assert profile.storage.busy_timeout == 60.0
    assert profile.site.hosts == frozenset({"chaoqiankeji.com", "www.chaoqiankeji.com"})
