"""Judging processes (`[crawl] judge_processes`): the same verdicts as judging in the crawler's process,
and a run that survives a judging process dying or never starting."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler import judge_pool
from crawler.audit import make_policy
from crawler.cli import cli
from crawler.extract import MAX_NESTING
from crawler.judge_pool import WORKER_DIED, Judges, JudgingFailed
from crawler.judging import Judged, PageInput, judge_html
from crawler.profiles import load_profile
from rules.policy import Policy
from tests.conftest import LOCAL_PROFILE, LocalSite, audit_args

TODAY = "2026-11-27"
PAGE = "<html><body><main>关于我们</main><footer>增值电信业务经营许可证：陕B2-20210271</footer></body></html>"


def _profile(tmp_path: Path, processes: int) -> Path:
    text = LOCAL_PROFILE.read_text("utf-8").replace(
        "[crawl]\n", f"[crawl]\njudge_processes = {processes}\n", 1
    )
    path = tmp_path / f"judge-{processes}.toml"
    path.write_text(text, "utf-8")
    return path


def _audit(site: LocalSite, tmp_path: Path, processes: int) -> list[tuple[object, ...]]:
    work = tmp_path / f"run-{processes}"
    work.mkdir()
    profile = _profile(tmp_path, processes)
    result = CliRunner().invoke(cli, audit_args(site.base, work, "--today", TODAY, config=profile))
    assert result.exit_code == 2, result.output  # the company site has non-compliant pages
    with sqlite3.connect(work / "a.db") as db:
        pages = db.execute(
            "SELECT p.url, p.verdict, p.footer_found, p.is_homepage, p.footer_text, p.numbers,"
            " p.footer_fingerprint, p.error, group_concat(f.rule || ':' || f.message, '|')"
            " FROM pages p LEFT JOIN findings f ON f.page_id = p.id GROUP BY p.id ORDER BY p.url"
        ).fetchall()
    return [tuple(row) for row in pages]


def test_a_run_judged_in_a_process_stores_what_a_run_judged_here_stores(
    company_site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = _audit(company_site, tmp_path, 0)

    async def nowhere_here(*args: object) -> Judged:
        raise AssertionError("a page was judged in the crawler's process")

    monkeypatch.setattr(judge_pool, "_in_process", nowhere_here)
    elsewhere = _audit(company_site, tmp_path, 2)
    assert len(here) >= 25
    # Style sheets (hidden-sheet.html), footer frames, GBK pages and JavaScript shells are all in it.
    assert {row[1] for row in here} >= {"compliant", "hidden", "missing", "wrong-number", "not-html"}
    assert elsewhere == here


def _policy() -> Policy:
    return make_policy(load_profile(LOCAL_PROFILE), date.fromisoformat(TODAY))


def _page(html: str, n: int = 0) -> PageInput:
    url = f"http://127.0.0.1:9/p{n}.html"
    return PageInput(url, url, False, html.encode("gb18030"), "text/html; charset=gbk")


def test_a_page_is_decoded_and_judged_in_the_process_as_here() -> None:
    async def judge() -> tuple[Judged, int]:
        judges = Judges(_policy(), 1)
        try:
            await judges.start()
            judged = await judges.judge(_page(PAGE), {}, {})
            return judged, judges.workers[0].answered
        finally:
            await judges.close()

    there, answered = asyncio.run(judge())
    here = judge_html(PAGE, _page(PAGE), _policy(), {}, {})
    assert answered == 1  # it was judged there, from its GBK bytes
    assert there == here
    assert there.judgement.verdict.value == "compliant"


def test_a_page_goes_to_a_process_as_bytes_even_once_decoded_here() -> None:
    page = _page(PAGE)
    assert page.text == PAGE  # decoded (from GBK) and kept for this process
    sent = pickle.loads(pickle.dumps(page))
    assert "text" not in vars(sent)
    assert sent == page
    assert sent.text == PAGE


def test_an_exception_in_the_process_names_the_page_problem_as_here() -> None:
    deep = "<div>" * (MAX_NESTING + 10) + "x"

    async def judge() -> tuple[JudgingFailed, int]:
        judges = Judges(_policy(), 1)
        try:
            await judges.start()
            with pytest.raises(JudgingFailed) as failed:
                await judges.judge(_page(deep), {}, {})
            # the process lives on and judges the next page
            assert (await judges.judge(_page(PAGE, 1), {}, {})).judgement.verdict.value == "compliant"
            return failed.value, judges.workers[0].answered
        finally:
            await judges.close()

    failed, answered = asyncio.run(judge())
    assert answered == 2
    assert failed.kind == "PageTooDeep"
    assert "nest more than" in str(failed)


def test_pages_are_judged_here_until_a_process_is_ready() -> None:
    async def scenario() -> tuple[int, int]:
        judges = Judges(_policy(), 1)
        try:
            first = await judges.judge(_page(PAGE), {}, {})  # the process is only starting
            assert first.judgement.verdict.value == "compliant"
            await judges.start()
            await judges.judge(_page(PAGE, 1), {}, {})
            return len(judges.workers), judges.workers[0].answered
        finally:
            await judges.close()

    assert asyncio.run(scenario()) == (1, 1)


def test_a_killed_process_fails_its_pages_and_a_new_one_takes_over() -> None:
    async def scenario() -> tuple[list[BaseException | Judged], Judged, int, int]:
        judges = Judges(_policy(), 1)
        try:
            await judges.start()
            first = judges.workers[0]
            big = PAGE.replace("关于我们", "关于我们" * 20_000)
            pending = [asyncio.ensure_future(judges.judge(_page(big, n), {}, {})) for n in range(8)]
            await asyncio.sleep(0)
            os.kill(first.process.pid, signal.SIGKILL)
            outcomes = await asyncio.gather(*pending, return_exceptions=True)
            await judges.start()  # a replacement
            after = await judges.judge(_page(PAGE, 9), {}, {})
            replacement = judges.workers[0]
            assert replacement.answered == 1
            return outcomes, after, first.process.pid, replacement.process.pid
        finally:
            await judges.close()

    outcomes, after, killed, replacement = asyncio.run(scenario())
    died = [o for o in outcomes if isinstance(o, JudgingFailed)]
    assert died
    assert all(o.kind == WORKER_DIED for o in died)
    assert "exit code -9" in str(died[0])
    assert after.judgement.verdict.value == "compliant"
    assert replacement != killed


def test_processes_that_keep_dying_hand_judging_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(judge_pool, "MAX_DEATHS", 1)

    async def scenario() -> tuple[Judged, int]:
        judges = Judges(_policy(), 1)
        try:
            await judges.start()
            worker = judges.workers[0]
            worker.process.kill()
            await worker.reader
            return await judges.judge(_page(PAGE, 1), {}, {}), judges.processes
        finally:
            await judges.close()

    judged, processes = asyncio.run(scenario())
    assert judged.judgement.verdict.value == "compliant"
    assert processes == 0


@pytest.mark.parametrize("executable", ["/nonexistent/python", "/bin/false"])
def test_a_process_that_cannot_start_leaves_judging_here(
    executable: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(judge_pool.sys, "executable", executable)

    async def scenario() -> tuple[list[Judged], int]:
        judges = Judges(_policy(), 1)
        try:
            await judges.start()
            return [await judges.judge(_page(PAGE, n), {}, {}) for n in range(3)], judges.processes
        finally:
            await judges.close()

    judged, processes = asyncio.run(scenario())
    assert [j.judgement.verdict.value for j in judged] == ["compliant"] * 3
    assert processes == 0
    assert "judging in the crawler's process from now on" in caplog.text


def test_auto_judges_a_small_site_here_and_starts_processes_past_the_warmup() -> None:
    async def scenario() -> tuple[int, int]:
        judges = Judges(_policy(), 1, warmup=3)
        try:
            for n in range(3):
                await judges.judge(_page(PAGE, n), {}, {})
            await asyncio.sleep(0.3)
            small = len(judges.started)
            await judges.judge(_page(PAGE, 3), {}, {})
            await judges.start()
            return small, len(judges.started)
        finally:
            await judges.close()

    assert asyncio.run(scenario()) == (0, 1)


def test_a_run_that_ends_while_its_process_starts_reaps_it() -> None:
    async def scenario() -> tuple[int, int | None]:
        judges = Judges(_policy(), 1, warmup=1)
        await judges.judge(_page(PAGE), {}, {})
        await judges.judge(_page(PAGE, 1), {}, {})  # past the warmup: a process is being started
        await judges.close()  # at once, as at the end of a small site's run
        (worker,) = judges_started
        return len(judges.workers), worker.process.returncode

    judges_started: list[judge_pool._Worker] = []
    original = judge_pool._Worker.start

    async def recording(policy: Policy, cpu_limit: float) -> judge_pool._Worker:
        worker = await original(policy, cpu_limit)
        judges_started.append(worker)
        return worker

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(judge_pool._Worker, "start", staticmethod(recording))
        workers, code = asyncio.run(scenario())
    assert workers == 0
    assert code is not None  # ended and reaped, not left running


_ORPHAN = """
import asyncio, sys
sys.path.insert(0, {root!r})
from tests.integration.test_judge_processes import _page, _policy, PAGE
from crawler.judge_pool import Judges

async def main():
    judges = Judges(_policy(), 1)
    await judges.start()
    await judges.judge(_page(PAGE), {{}}, {{}})
    print(judges.workers[0].process.pid, flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


def test_a_judging_process_ends_when_the_crawler_is_killed() -> None:
    root = str(Path(__file__).resolve().parents[2])
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN.format(root=root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        os.kill(worker, 0)  # alive
        parent.kill()
        parent.wait(5)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _alive(worker):
            time.sleep(0.05)
        assert not _alive(worker), "the judging process outlived its killed parent"
    finally:
        parent.kill()
        parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, ended but not yet reaped by init, counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
