"""Size families of hostile pages for the linear-time checks (tests/fuzz) and `benchmarks/fuzz.py`.

A family is a generator `build(n)` of one page whose cost should grow linearly with `n`, run through
one entry point: "judge" (crawler.judging.judge_html: extraction, then the page rules) or "plan" (the
`--render auto` planner, crawler.render.plan.render_reason). `n` is the family's base size, chosen so
that the page costs a few milliseconds there; the checks compare it with 8n. To add a case, add a row.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from crawler.audit import make_policy
from crawler.judging import Judged, PageInput, judge_html
from crawler.profiles import load_profile
from crawler.render.plan import render_reason
from rules.model import Verdict
from rules.policy import Policy

PROFILE = Path(__file__).parents[1] / "profiles" / "local.toml"
TODAY = date(2026, 11, 27)
URL = "http://127.0.0.1:9/page.html"
PAGE = PageInput(URL, URL, False, b"", "text/html; charset=utf-8")


@dataclass(frozen=True)
class Family:
    """One kind of hostile page: its name, its generator, the entry point it goes through, its base size."""

    name: str
    build: Callable[[int], str]
    entry: str  # "judge" or "plan"
    n: int


def _body(inner: str) -> str:
    return f"<html><body><main>关于我们</main>{inner}</body></html>"


def _footer(inner: str) -> str:
    return _body(f"<footer>{inner}</footer>")


FAMILIES: tuple[Family, ...] = (
    # markup the walk reads as source text (<noscript>, <template>): comments and tags left open
    Family("noscript-open-comments", lambda n: _body("<noscript><!--" * n), "judge", 2000),
    Family("noscript-open-tags", lambda n: _body("<noscript>" + "<a " * n + "</noscript>"), "judge", 20000),
    Family(
        "many-noscript", lambda n: _body("<noscript><p>京ICP备12345678号</p></noscript>" * n), "judge", 300
    ),
    Family("template-open-comments", lambda n: _body("<template>" + "<!--<b" * n), "judge", 8000),
    Family("open-comments", lambda n: _body("<p>a<!-- x" * n), "judge", 16000),
    # thousands of numbers, and of near-numbers, in one footer
    Family(
        "icp-numbers",
        lambda n: _footer(" ".join(f"京ICP备{10000000 + i}号" for i in range(n))),
        "judge",
        1000,
    ),
    Family(
        "gongan-numbers",
        lambda n: _footer(" ".join(f"京公网安备{11010502000000 + i}号" for i in range(n))),
        "judge",
        200,
    ),
    Family(
        "licence-numbers", lambda n: _footer(" ".join(f"陕B2-{20100000 + i}" for i in range(n))), "judge", 300
    ),
    Family(
        "zheng-numbers", lambda n: _footer(" ".join(f"京ICP证{100000 + i}号" for i in range(n))), "judge", 300
    ),
    Family("same-number", lambda n: _footer("陕B2-20210271 京ICP备12345678号-1 " * n), "judge", 150),
    Family("near-icp", lambda n: _footer("京ICP备 " * n), "judge", 2000),
    Family("near-licence", lambda n: _footer("B2-2010 " * n), "judge", 2000),
    Family("near-gongan", lambda n: _footer("京公网安备1234 " * n), "judge", 2000),
    Family("licence-class-chain", lambda n: _footer("B2." * n), "judge", 30000),
    Family("licence-class-chain-dash", lambda n: _footer("A1、B2·" * n + "-"), "judge", 15000),
    Family("digit-run", lambda n: _footer("京ICP备" + "1" * (20 * n)), "judge", 10000),
    Family("dash-run", lambda n: _footer("B2" + "-" * (20 * n)), "judge", 2000),
    Family("digit-dash-run", lambda n: _footer("1-" * (10 * n)), "judge", 2000),
    Family("space-run", lambda n: _footer("京" + " " * (20 * n) + "ICP"), "judge", 16000),
    Family("long-word", lambda n: _body("<p>" + "a" * (50 * n) + "</p>"), "judge", 2000),
    Family("long-cjk-word", lambda n: _body("<p>" + "备案号" * (10 * n) + "</p>"), "judge", 2000),
    Family("numbers-in-alt", lambda n: _body('<img alt="京ICP备12345678号">' * n), "judge", 300),
    Family("many-links", lambda n: _body("".join(f'<a href="/p{i}">p</a>' for i in range(n))), "judge", 500),
    Family("many-paragraphs", lambda n: _body("<p>x" * n), "judge", 1000),
    Family("script-pairs", lambda n: _body("<p>x</p><script>" * n), "judge", 5000),
    Family("srcdoc-frames", lambda n: _body('<iframe srcdoc="<p>x</p>"></iframe>' * n), "judge", 300),
    # issue 13 variants: a separator between province and ICP, a suffix with text after it, 公安 wording
    # without a prefix, a licence after an ICP证 label (which looks back for the label's province)
    Family("province-separator-run", lambda n: _footer("京｜" * (10 * n) + "ICP备12345678号"), "judge", 2000),
    Family("near-icp-separated", lambda n: _footer("京 | ICP备 " * n), "judge", 2000),
    Family(
        "icp-suffix-words",
        lambda n: _footer(" ".join(f"京ICP备{10000000 + i}号-3Powered" for i in range(n))),
        "judge",
        300,
    ),
    Family("icp-suffix-dash-run", lambda n: _footer("京ICP备12345678号-" + "1-" * (10 * n)), "judge", 2000),
    Family(
        "icp-suffix-look-alikes", lambda n: _footer("京ICP备12345678号-3" + "O" * (10 * n)), "judge", 2000
    ),
    Family("near-gongan-no-prefix", lambda n: _footer("公安机关备案号1234 " * n), "judge", 2000),
    Family(
        "gongan-no-prefix-numbers",
        lambda n: _footer(" ".join(f"公安备案号{11010502000000 + i}" for i in range(n))),
        "judge",
        200,
    ),
    Family(
        "licences-after-zheng-labels",
        lambda n: _footer(" ".join(f"沪ICP证 B2-{20100000 + i}" for i in range(n))),
        "judge",
        300,
    ),
    Family("zheng-label-run", lambda n: _footer("沪ICP证 " * n + "B2-20100000"), "judge", 2000),
    # the JavaScript-shell markup checks (crawler.js_shell), reached by a page showing a little text
    Family(
        "shell-nested-mounts",
        lambda n: _body("<p>朝前</p>" + "<div data-v-app>" * n + "<script>x()</script>"),
        "judge",
        500,
    ),
    Family(
        "shell-noscripts",
        lambda n: _body("<p>朝前</p><script>x()</script>" + "<noscript>JavaScript 说明</noscript>" * n),
        "judge",
        500,
    ),
    Family(
        "shell-script-srcs",
        lambda n: _body("<p>朝前</p>" + "".join(f'<script src="/js/app-{i}.js"></script>' for i in range(n))),
        "judge",
        300,
    ),
    # the render planner reads the page's source with patterns of its own
    Family("plan-script-pairs", lambda n: _body("<p>x</p><script>" * n), "plan", 30000),
    Family("plan-open-style", lambda n: _body("<p>x</p><style>" * n), "plan", 40000),
    Family("plan-script-no-close", lambda n: _body("<script " * n), "plan", 100000),
    Family("plan-css-no-braces", lambda n: _body("<style>" + "a" * (20 * n) + "</style>"), "plan", 16000),
    Family("plan-css-open-braces", lambda n: _body("<style>" + "a{" * n + "</style>"), "plan", 20000),
    Family("plan-media-no-brace", lambda n: _body("<style>" + "@media " * n + "</style>"), "plan", 12000),
    Family(
        "plan-generated-open", lambda n: _body("<style>a{" + 'content:"x' * n + "}</style>"), "plan", 2000
    ),
    # the style-sheet parser (crawler/css.py): `@import` without its `;`, open comments and brackets
    Family(
        "css-import-no-semicolon", lambda n: _body("<style>" + "@import x " * n + "</style>"), "judge", 10000
    ),
    Family("css-open-comments", lambda n: _body("<style>" + "/*" * n + "</style>"), "judge", 20000),
    Family(
        "css-open-attribute", lambda n: _body("<style>" + "a[" * n + "{color:red}</style>"), "judge", 20000
    ),
    # right-to-left bidi contexts beside many numbers (rules.numbers.drop_reversed)
    Family("bidi-spans-and-numbers", lambda n: _footer("\u202e1\u202c 京ICP备12345678号 " * n), "judge", 300),
    Family("bidi-open-isolates", lambda n: _footer("\u2067" * n + "陕B2-20210271"), "judge", 20000),
)


@cache
def policy() -> Policy:
    """The rules' view of the test profile (the site's licence is 陕B2-20210271)."""
    return make_policy(load_profile(PROFILE), TODAY)


def judge(html: str) -> Judged:
    """Judge `html` as a fetched page with no style sheets or frame documents."""
    return judge_html(html, PAGE, policy(), {}, {})


def plan(html: str) -> str | None:
    """The planner's reason to render `html` (a non-homepage, judged missing, phone viewport too)."""
    return render_reason(mode="auto", is_homepage=False, verdict=Verdict.MISSING, html=html, phone=True)


def run(family: Family, html: str) -> object:
    """The family's entry point applied to `html`."""
    return judge(html) if family.entry == "judge" else plan(html)


def cpu_cost(family: Family, n: int, repeats: int = 3) -> float:
    """Process CPU seconds of the family's page at size `n`, best of `repeats` (built once, not timed)."""
    html = family.build(n)
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run(family, html)
        best = min(best, time.process_time() - start)
    return best


def growth(family: Family, factor: int = 8, repeats: int = 3) -> float:
    """How many times the cost grows from n to factor × n (linear: about `factor`; quadratic: its square)."""
    small = cpu_cost(family, family.n, repeats)
    large = cpu_cost(family, family.n * factor, repeats)
    return large / max(small, 1e-4)
