"""`--render auto` reaches the verdicts of `--render always` on the labelled corpus (tests/corpus), while
rendering only the pages it must: each page is judged statically as an inner page, rendered once in
the machine's Chromium (its document served from memory, every other request blocked), and auto's
verdict is the rendered one where `render_reason` asks for the browser, else the static one.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from datetime import date

from crawler.decode import decode_body
from crawler.extract import extract
from crawler.render.browser import Renderer, find_chromium
from crawler.render.plan import render_reason
from crawler.render.rendered import parse_snapshot, rendered_facts
from rules.judge import judge_page
from rules.model import LicenceFacts, Verdict
from rules.policy import Policy
from tests.integration.test_corpus_gate import CORPUS, URL, page_names
from tests.integration.test_corpus_gate import LICENCE as CORPUS_LICENCE

LICENCE = LicenceFacts(
    number=CORPUS_LICENCE, holder="西安朝前智能科技有限公司", valid_until=date(2026, 8, 30)
)
TODAY = date(2026, 1, 15)
PAGE = URL + "page.html"  # an inner page: auto does not render it for being the homepage


@dataclass(frozen=True, slots=True)
class Judged:
    static: Verdict
    rendered: Verdict
    auto_renders: bool

    @property
    def auto(self) -> Verdict:
        return self.rendered if self.auto_renders else self.static


async def _nothing(url: str) -> bool:
    return False  # corpus pages stand alone: no subresource, no third party


async def _judge_all() -> dict[str, Judged]:
    policy = Policy(licence=LICENCE, today=TODAY)
    renderer = await Renderer.launch(find_chromium(""), concurrency=8, page_timeout=10.0)
    try:

        async def one(name: str) -> tuple[str, Judged]:
            html, _ = decode_body((CORPUS / f"{name}.html").read_bytes(), None)
            facts = extract(html, PAGE, PAGE, is_homepage=False).facts
            static = judge_page(facts, policy).verdict
            snap = parse_snapshot(await renderer.snapshot(PAGE, html, _nothing))
            rendered = judge_page(rendered_facts(snap, PAGE, PAGE, is_homepage=False), policy).verdict
            why = render_reason(mode="auto", is_homepage=False, verdict=static, html=html)
            return name, Judged(static, rendered, why is not None)

        return dict(await asyncio.gather(*(one(n) for n in page_names())))
    finally:
        await renderer.close()


@functools.cache
def judged() -> dict[str, Judged]:
    return asyncio.run(_judge_all())


def test_auto_reaches_the_verdicts_of_always_on_the_corpus() -> None:
    differ = {n: (j.auto.value, j.rendered.value) for n, j in judged().items() if j.auto != j.rendered}
    assert differ == {}


def test_auto_renders_the_needs_render_pages_and_few_others() -> None:
    pages = judged().values()
    assert all(j.auto_renders for j in pages if j.static is Verdict.NEEDS_RENDER)
    rendered = sum(j.auto_renders for j in pages)
    print(f"\nauto renders {rendered} of {len(judged())} corpus pages")
    assert rendered <= len(judged()) // 3


def test_the_browser_settles_what_static_analysis_cannot() -> None:
    assert not any(j.rendered is Verdict.NEEDS_RENDER for j in judged().values())
    assert judged()["needs-render-document-write"].rendered is Verdict.COMPLIANT
