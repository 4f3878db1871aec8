"""Browser mode end to end: the render corpus (tests/render_corpus) crawled by `run_audit` from a local
server and judged in `--render always` and `auto` with the machine's Chromium; a missing browser
degrades `auto` to static with one site finding, and makes `always` exit 3.
"""

from __future__ import annotations

import asyncio
import json
import struct
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crawler.audit import run_audit
from crawler.cli import cli
from crawler.client import make_client
from crawler.config import Profile
from crawler.profiles import load_profile, with_overrides
from crawler.render.browser import CHROMIUM_ENV
from crawler.render.picture import SHOT_MAX_BYTES, image_size
from crawler.static_server import serve_folder
from rules.records import FooterShot, RunRecord
from storage import Database
from tests.conftest import LOCAL_PROFILE, audit_args

RENDER_CORPUS = Path(__file__).resolve().parents[1] / "render_corpus"
TODAY = date(2026, 1, 15)


@dataclass(frozen=True, slots=True)
class Audited:
    """One run of the render corpus: its record, how many pages the browser rendered, the server log."""

    record: RunRecord
    rendered: int
    log: list[str]
    shots: dict[str, FooterShot]  # the audit's outcome: footer fingerprint → picture

    def verdicts(self) -> dict[str, str]:
        return {p.url.rsplit("/", 1)[-1]: p.verdict.value for p in self.record.pages}

    def unconfirmed(self) -> list[str]:
        """The run's TECH-003 messages: why pages the browser should have rendered were not."""
        return [f.message for f in self.record.site_findings if f.rule == "TECH-003"]

    def rules(self, name: str) -> set[str]:
        page = next(p for p in self.record.pages if p.url.endswith("/" + name))
        return {f.rule for f in page.findings}


def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RENDER_CORPUS / "expected.json").read_text(encoding="utf-8"))
    return data


def _profile(base: str, render: str, page: str = "", viewport: str = "desktop") -> Profile:
    start = (f"{base}/{page}",)
    profile = with_overrides(
        load_profile(str(LOCAL_PROFILE)), start_urls=start, max_depth=0 if page else None
    )
    # Generous: the run's first render pays Chromium's cold start (renderer process, CJK fonts), some
    # 6 s on a loaded 2-core machine; past the timeout that page keeps its static verdict, uncounted.
    update = {"render": render, "render_timeout": 30.0, "viewport": viewport}
    return profile.model_copy(update={"crawl": profile.crawl.model_copy(update=update)})


async def _audit(profile: Profile, db: Database) -> tuple[int, int, dict[str, FooterShot]]:
    async with make_client(profile) as client:
        outcome = await run_audit(profile, client=client, db=db, now=lambda: datetime.now(UTC), today=TODAY)
    return outcome.run_id, outcome.rendered, {shot.fingerprint: shot for shot in outcome.footer_shots}


def _run(render: str, tmp: Path, page: str = "", viewport: str = "desktop") -> Audited:
    log: list[str] = []
    with serve_folder(RENDER_CORPUS, log=log) as base:
        db = Database.open(str(tmp / f"{render}-{viewport}.db"))
        try:
            run_id, rendered, shots = asyncio.run(_audit(_profile(base, render, page, viewport), db))
            record = db.load_run(run_id)
        finally:
            db.close()
    return Audited(record, rendered, log, shots)


@pytest.fixture(scope="module")
def always(tmp_path_factory: pytest.TempPathFactory) -> Audited:
    return _run("always", tmp_path_factory.mktemp("always"))


@pytest.fixture(scope="module")
def auto(tmp_path_factory: pytest.TempPathFactory) -> Audited:
    return _run("auto", tmp_path_factory.mktemp("auto"))


@pytest.fixture(scope="module")
def never(tmp_path_factory: pytest.TempPathFactory) -> Audited:
    return _run("never", tmp_path_factory.mktemp("never"))


@pytest.mark.parametrize("name", sorted(expected()))
def test_always_judges_each_page_as_a_browser_shows_it(always: Audited, name: str) -> None:
    assert always.verdicts()[name] == expected()[name]["verdict"], expected()[name]["note"]


@pytest.mark.parametrize("name", sorted(expected()))
def test_auto_judges_each_page_as_a_browser_shows_it(auto: Audited, name: str) -> None:
    assert auto.verdicts()[name] == expected()[name]["verdict"], expected()[name]["note"]


def test_always_renders_every_page_and_auto_only_what_it_must(always: Audited, auto: Audited) -> None:
    pages = len(expected()) + 1  # and the homepage
    assert always.rendered == pages, always.unconfirmed()
    must = sum(1 for label in expected().values() if label["auto_renders"])
    assert auto.rendered == must + 1, auto.unconfirmed()  # the homepage is always rendered


def test_static_alone_gets_the_script_pages_wrong(never: Audited) -> None:
    """The corpus is worth a browser: without one these pages are judged otherwise."""
    wrong = {n for n, label in expected().items() if never.verdicts()[n] != label["verdict"]}
    assert wrong >= {"document-write.html", "script-hides.html", "after-content.html", "web-component.html"}
    assert never.rendered == 0


@pytest.mark.parametrize(
    "name", ["same-colour.html", "selector-child.html", "selector-sibling.html", "selector-pseudo-class.html"]
)
def test_static_alone_leaves_a_selector_it_cannot_evaluate_to_a_browser(never: Audited, name: str) -> None:
    """`>`, `+`, `~` and pseudo-classes that hide the number: never compliant without a browser."""
    assert never.verdicts()[name] == "needs-render"


def test_static_alone_passes_selectors_that_hide_nothing(never: Audited) -> None:
    assert never.verdicts()["selector-harmless.html"] == "compliant"


def test_numbers_built_by_scripts_are_noted_and_hidden_ones_flagged(always: Audited) -> None:
    assert "TECH-001" in always.rules("document-write.html")
    assert "TECH-001" not in always.rules("plain-compliant.html")
    assert "LIC-006" in always.rules("script-hides.html")


def test_browser_requests_keep_to_robots_and_the_site(always: Audited) -> None:
    assert "/css/camo.css" in always.log  # a same-site style sheet the browser needed
    assert "/private/track.js" not in always.log  # robots.txt disallows it, for the browser too


def test_auto_without_a_browser_degrades_to_static_with_one_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "nonexistent"))
    run = _run("auto", tmp_path)
    assert run.rendered == 0
    unconfirmed = [f for f in run.record.site_findings if f.rule == "TECH-003"]
    assert len(unconfirmed) == 1
    must = sum(1 for label in expected().values() if label["auto_renders"]) + 1
    assert dict(unconfirmed[0].params)["count"] == str(must)
    assert CHROMIUM_ENV in unconfirmed[0].message
    assert run.verdicts()["document-write.html"] == "needs-render"  # the static judgement


def test_always_without_a_browser_exits_3_with_how_to_install_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, "/nonexistent")
    result = CliRunner().invoke(cli, audit_args("http://127.0.0.1:9", tmp_path, "--render", "always"))
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "apt-get install chromium" in lines[0]
    assert CHROMIUM_ENV in lines[0]


@pytest.mark.parametrize(
    ("page", "viewport", "verdict", "gap"),
    [
        ("mobile-hidden.html", "both", "compliant", "mobile"),
        ("mobile-hidden.html", "mobile", "hidden", None),
        ("media-hides-desktop.html", "both", "hidden", "desktop"),
        ("plain-compliant.html", "both", "compliant", None),
    ],
)
def test_a_number_hidden_on_one_viewport_is_a_warning_naming_it(
    tmp_path: Path, page: str, viewport: str, verdict: str, gap: str | None
) -> None:
    run = _run("auto", tmp_path, page, viewport)
    assert run.verdicts()[page] == verdict
    found = [f for p in run.record.pages for f in p.findings if f.rule == "TECH-004"]
    assert [dict(f.params)["viewport"] for f in found] == ([gap] if gap else [])


def test_one_footer_picture_per_template(always: Audited, never: Audited) -> None:
    prints = {p.url.rsplit("/", 1)[-1]: p.footer_fingerprint for p in always.record.pages}
    assert set(always.shots) <= set(prints.values())
    assert prints["plain-compliant.html"] in always.shots
    assert len(always.shots) >= len(set(prints.values())) - 2  # a footer hidden whole has no picture
    for shot in always.shots.values():
        assert shot.media_type == "image/png"  # plain footers fit as lossless PNG
        assert shot.data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = struct.unpack(">II", shot.data[16:24])
        assert (shot.width, shot.height) == (width, height) == image_size(shot.data)
        assert 0 < width <= 1366
        assert 0 < height <= 480
        assert len(shot.data) <= SHOT_MAX_BYTES
    assert always.record.footer_shots == tuple(always.shots.values())  # stored with the run
    assert never.shots == {}
    assert never.record.footer_shots == ()
