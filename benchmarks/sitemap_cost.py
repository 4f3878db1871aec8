"""Sitemap parsing cost: CPU milliseconds to parse well-formed and hostile sitemaps of growing size.

Not a test: it prints a table. Each size is parsed `--repeat` times with `time.process_time`; the
table shows the best, and the growth against the previous size (linear parsing grows as the size).

    python benchmarks/sitemap_cost.py [--repeat 3] [--sizes 1,8,50]   (sizes in MB)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere in a checkout
    sys.path.insert(0, str(ROOT))

from crawler.sitemaps import MAX_SITEMAP_BYTES, parse_sitemap  # noqa: E402

KINDS: dict[str, Callable[[int], bytes]] = {
    "well-formed": lambda n: b"<urlset>" + b"<url><loc>https://a.test/p</loc></url>" * (n // 38),
    "unclosed <loc>": lambda n: b"<urlset>" + b"<loc>https://a.test/x " * (n // 21),
}


def best_ms(body: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        parse_sitemap(body)
        best = min(best, time.process_time() - start)
    return best * 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1,8,50", help="MB, comma-separated (50 = the protocol's cap)")
    args = parser.parse_args(argv)
    sizes = [min(int(float(s) * 1_048_576), MAX_SITEMAP_BYTES) for s in args.sizes.split(",")]
    print(f"{'kind':<16}{'bytes':>12}{'best ms':>10}{'growth':>9}")
    for kind, make in KINDS.items():
        previous: tuple[int, float] | None = None
        for size in sizes:
            ms = best_ms(make(size), args.repeat)
            growth = f"{ms / previous[1]:.1f}x/{size / previous[0]:.0f}x" if previous and previous[1] else ""
            print(f"{kind:<16}{size:>12,}{ms:>10.1f}{growth:>9}")
            previous = (size, ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
