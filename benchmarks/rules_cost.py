"""Rules cost: CPU microseconds per page to decode, extract and judge the labelled corpus.

Not a test: it prints a table. Each phase runs over every corpus page `--inner` times per repeat,
timed with `time.process_time` (CPU time of this process, so other load on the machine matters
little); the table shows the median of the repeats and their min–max, per page.

    python benchmarks/rules_cost.py [--repeat 5] [--inner 20] [--pages N] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere in a checkout
    sys.path.insert(0, str(ROOT))

from crawler.audit import make_policy  # noqa: E402
from crawler.decode import decode_body  # noqa: E402
from crawler.extract import extract  # noqa: E402
from crawler.profiles import load_profile  # noqa: E402
from rules.judge import judge_page  # noqa: E402
from rules.model import PageFacts  # noqa: E402
from rules.policy import Policy  # noqa: E402
from rules.registry import PAGE_RULES, PageRule  # noqa: E402
from rules.verdict import page_verdict  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
URL = "https://www.chaoqiankeji.com/"
TODAY = date(2026, 1, 15)


def policy() -> Policy:
    """The bundled chaoqiankeji.com profile, with the expected filings set so every rule has work."""
    base = make_policy(load_profile(None), TODAY)
    return replace(
        base, filing_icp="陕ICP备2021012345号-1", filing_public_security="陕公网安备61019002000123号"
    )


def load_pages(corpus: Path, limit: int | None) -> list[bytes]:
    pages = [p.read_bytes() for p in sorted(corpus.glob("*.html"))]
    return pages[:limit] if limit else pages


def cpu_us_per_page(run: Callable[[], object], pages: int, inner: int) -> float:
    """CPU microseconds per page of `inner` calls of `run` (each call handles every page once)."""
    start = time.process_time()
    for _ in range(inner):
        run()
    return (time.process_time() - start) / (inner * pages) * 1e6


def measure(raw: list[bytes], pol: Policy, repeat: int, inner: int) -> dict[str, list[float]]:
    """Per phase, the µs/page of each repeat."""
    texts = [decode_body(body, None)[0] for body in raw]
    facts: list[PageFacts] = [extract(t, URL, URL, is_homepage=True).facts for t in texts]
    key = pol.licence_key

    def decode() -> None:
        for body in raw:
            decode_body(body, None)

    def extraction() -> None:
        for text in texts:
            extract(text, URL, URL, is_homepage=True)

    def verdict() -> None:
        for f in facts:
            page_verdict(f, key)

    def rules() -> None:
        for f in facts:
            judge_page(f, pol)

    def end_to_end() -> None:
        for body in raw:
            judge_page(extract(decode_body(body, None)[0], URL, URL, is_homepage=True).facts, pol)

    phases: dict[str, Callable[[], None]] = {
        "decode": decode,
        "extract": extraction,
        "verdict only": verdict,
        "page rules + verdict": rules,
        "all (decode+extract+rules)": end_to_end,
    }
    for rule_id, rule in PAGE_RULES:
        phases[f"  {rule_id}"] = _one_rule(rule, facts, pol)
    samples: dict[str, list[float]] = {name: [] for name in phases}
    for _ in range(repeat):
        for name, run in phases.items():
            samples[name].append(cpu_us_per_page(run, len(raw), inner))
    return samples


def _one_rule(rule: PageRule, facts: list[PageFacts], pol: Policy) -> Callable[[], None]:
    def run() -> None:
        for f in facts:
            rule(f, pol)

    return run


def table(samples: dict[str, list[float]], pages: int, repeat: int, inner: int) -> list[str]:
    lines = [
        f"corpus: {pages} pages; {repeat} repeats x {inner} passes; CPU time (time.process_time)",
        f"{'phase':<28}{'µs/page median':>16}{'min':>10}{'max':>10}",
    ]
    rules_header = False
    for name, values in samples.items():
        if name.startswith("  ") and not rules_header:
            lines.append("each page rule alone:")
            rules_header = True
        lines.append(f"{name:<28}{statistics.median(values):>16.1f}{min(values):>10.1f}{max(values):>10.1f}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5, help="repeats; the median is shown (default 5)")
    parser.add_argument(
        "--inner", type=int, default=20, help="passes over the corpus per repeat (default 20)"
    )
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages (default: all)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of *.html pages")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.inner < 1:
        parser.error("--repeat and --inner must be at least 1")
    raw = load_pages(args.corpus, args.pages)
    if not raw:
        parser.error(f"no *.html pages in {args.corpus}")
    samples = measure(raw, policy(), args.repeat, args.inner)
    print("\n".join(table(samples, len(raw), args.repeat, args.inner)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
