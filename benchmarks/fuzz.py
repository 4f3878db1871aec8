"""Fuzz benchmark: the size families at larger sizes, and the judging property over fresh random pages.

Not a test: it prints, per family, the CPU time at n and at `--factor` × n (best of `--repeat`) and
their ratio (linear growth is about the factor, quadratic its square), then judges `--examples`
random pages (tests/fuzz/test_properties.py, not derandomized) and reports any that raise. The CI
check (tests/fuzz) runs the same table at small sizes with a fixed seed.

    python -m benchmarks.fuzz [--examples 5000] [--factor 8] [--scale 4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere in a checkout
    sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.fuzz.families import (  # noqa: E402
    FAMILIES,
    Family,
    cpu_cost,
    judge,
)
from tests.fuzz.test_properties import PAGES, valid  # noqa: E402


def growth_table(families: tuple[Family, ...], factor: int, scale: int, repeat: int) -> int:
    """Print each family's growth; the number of families that grew faster than 3 × linear."""
    print(f"{'family':28} {'n':>8} {'cpu ms':>9} {'at ' + str(factor) + 'n':>10} {'growth':>7}")
    slow = 0
    for family in families:
        n = family.n * scale
        small, large = cpu_cost(family, n, repeat), cpu_cost(family, n * factor, repeat)
        ratio = large / max(small, 1e-4)
        slow += ratio > 3 * factor
        flag = "  superlinear" if ratio > 3 * factor else ""
        print(f"{family.name:28} {n:>8} {small * 1000:>9.1f} {large * 1000:>10.1f} {ratio:>7.1f}{flag}")
    return slow


def fuzz(examples: int) -> None:
    """Judge `examples` random pages; hypothesis raises (and shrinks) the first that fails."""
    started = time.process_time()

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(PAGES)
    def judged_validly(html: str) -> None:
        valid(judge(html))

    judged_validly()
    print(f"{examples} random pages judged to valid verdicts in {time.process_time() - started:.1f} s CPU")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="random pages to judge")
    parser.add_argument("--factor", type=int, default=8, help="size ratio between the two runs")
    parser.add_argument("--scale", type=int, default=4, help="multiplies every family's base size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best counts")
    args = parser.parse_args()
    families = FAMILIES
    slow = growth_table(families, args.factor, args.scale, args.repeat)
    fuzz(args.examples)
    return 2 if slow else 0  # 1 stays Python's own exit code for an exception


if __name__ == "__main__":
    sys.exit(main())
