"""The browser pass of one run: open Chromium as `crawl.render` asks, pick the pages to render,
and turn a rendered page into facts and a judgement; I/O.

`--render auto` degrades to the static judgement when no browser is usable (TECH-003 counts the
pages left unconfirmed); `--render always` refuses to start without one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from crawler.config import CrawlConfig
from crawler.errors import AuditError
from crawler.extract import Extracted
from crawler.render.browser import (
    DESKTOP,
    MOBILE,
    Allow,
    BrowserUnavailable,
    Renderer,
    RenderFailed,
    Viewport,
    find_chromium,
)
from crawler.render.plan import render_reason
from crawler.render.rendered import parse_snapshot, rendered_facts
from rules.judge import Judgement, judge_page
from rules.model import PageFacts
from rules.policy import Policy
from rules.records import FooterShot
from rules.templates import facts_fingerprint
from rules.verdict import shown

SHOTS_MAX = 50  # footer pictures per run (as many as the report's template table shows): one per template

# crawl.viewport → the viewport the verdict comes from, then the one only checked against it.
VIEWPORTS: dict[str, tuple[Viewport, ...]] = {
    "desktop": (DESKTOP,),
    "mobile": (MOBILE,),
    "both": (DESKTOP, MOBILE),
}


class BrowserPass:
    """What the browser adds to one run; counts the pages rendered and those it could not confirm."""

    def __init__(self, crawl: CrawlConfig, renderer: Renderer | None, problem: str, policy: Policy) -> None:
        self.mode, self.renderer, self.problem, self.policy = crawl.render, renderer, problem, policy
        self.viewports = VIEWPORTS[crawl.viewport]
        self.rendered = 0
        self.unconfirmed = 0
        self.reasons: dict[str, int] = {}  # why pages were rendered: homepage, needs-render, script, css
        self.shots: dict[str, FooterShot] = {}  # footer template fingerprint → its picture (desktop)
        digits = re.findall(r"\d{6,}", policy.licence.number)
        self._outline = digits[-1] if digits else None

    @classmethod
    async def open(cls, crawl: CrawlConfig, policy: Policy) -> BrowserPass:
        """Launch the browser unless `crawl.render` is never; `AuditError` under always when none
        is usable (exit 3), a degraded pass under auto."""
        if crawl.render == "never":
            return cls(crawl, None, "", policy)
        try:
            executable = find_chromium(crawl.chromium)
            renderer = await Renderer.launch(
                executable,
                concurrency=crawl.render_concurrency,
                page_timeout=crawl.render_timeout,
                viewports=VIEWPORTS[crawl.viewport],
            )
        except BrowserUnavailable as exc:
            if crawl.render == "always":
                raise AuditError(f"--render always needs a browser: {exc}") from exc
            return cls(crawl, None, str(exc), policy)
        return cls(crawl, renderer, "", policy)

    async def close(self) -> None:
        """Close the browser, if one was launched."""
        if self.renderer is not None:
            await self.renderer.close()

    async def confirm(
        self, html: str, static: Extracted, judgement: Judgement, sheets: Iterable[str], allow: Allow
    ) -> tuple[Extracted, Judgement]:
        """The page's facts and judgement as a browser shows it, when it needs one; else the static
        ones unchanged. A page the browser cannot render, or renders incompletely (it navigated away,
        never finished loading, kept changing), keeps its static facts and judgement (counted in
        TECH-003): a verdict is never replaced by a worse-founded one."""
        facts = static.facts
        reason = render_reason(
            mode=self.mode,
            is_homepage=facts.is_homepage,
            verdict=judgement.verdict,
            html=html,
            sheets=sheets,
            phone=any(v.mobile for v in self.viewports),
        )
        if reason is None:
            return static, judgement
        if self.renderer is None:
            self.unconfirmed += 1
            return static, judgement
        views: list[PageFacts] = []
        links = list(static.links)
        shot: object = None
        try:
            for viewport in self.viewports:
                desktop = not viewport.mobile
                data = await self.renderer.snapshot(
                    facts.final_url,
                    html,
                    allow,
                    viewport.name,
                    outline=self._outline if desktop else None,
                    picture=self._picture_wanted(facts) if desktop else None,
                )
                if isinstance(data, dict) and data.get("incomplete"):
                    raise RenderFailed(f"{facts.final_url}: render incomplete, {data['incomplete']}")
                shot = shot or (data.get("footer_shot") if isinstance(data, dict) else None)
                snap = parse_snapshot(data)
                views.append(
                    rendered_facts(
                        snap, facts.url, facts.final_url, is_homepage=facts.is_homepage, signals=facts.signals
                    )
                )
                links += snap.links
        except RenderFailed as exc:
            self.unconfirmed += 1
            self.problem = self.problem or f"render failed: {exc}"
            return static, judgement
        self.rendered += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        seen = frozenset(h.key for h in facts.numbers if shown(h))
        rendered = replace(
            views[0],
            server_keys=seen,
            viewport_gaps=viewport_gaps(views, [v.name for v in self.viewports]),
            footer_shape=facts.footer_shape,  # the server's template: pages group alike rendered or not
        )
        if isinstance(shot, FooterShot):
            fingerprint = facts_fingerprint(rendered)
            self.shots.setdefault(fingerprint, replace(shot, fingerprint=fingerprint))
        extracted = replace(static, facts=rendered, links=tuple(dict.fromkeys(links)))
        return extracted, judge_page(rendered, self.policy)

    def _picture_wanted(self, facts: PageFacts) -> Callable[[Any], bool]:
        """Whether a rendered page's footer is still to be pictured: its template (known only once the
        page is rendered) has no picture yet, and the run has fewer than SHOTS_MAX."""

        def wanted(data: Any) -> bool:
            if len(self.shots) >= SHOTS_MAX:
                return False
            view = rendered_facts(
                parse_snapshot(data),
                facts.url,
                facts.final_url,
                is_homepage=facts.is_homepage,
                signals=facts.signals,
            )
            return facts_fingerprint(replace(view, footer_shape=facts.footer_shape)) not in self.shots

        return wanted


def viewport_gaps(views: list[PageFacts], names: list[str]) -> tuple[tuple[str, str], ...]:
    """(number, viewport) for each footer number a visitor reads on one viewport but not on another
    (hidden there, or absent), naming the viewport that does not show it."""
    shown_on = [{h.value for h in view.numbers if shown(h) and h.in_footer} for view in views]
    everywhere = set.union(set(), *shown_on)
    gaps = {
        (value, name) for values, name in zip(shown_on, names, strict=True) for value in everywhere - values
    }
    return tuple(sorted(gaps))
