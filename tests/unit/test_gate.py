"""crawler.gate: the refusals a run's gate makes, from the profile's excludes and robots.txt."""

from __future__ import annotations

import asyncio
import re

import httpx
from protego import Protego

from crawler.fetch import FetchSettings
from crawler.gate import EXCLUDED, Gate, robots_refusal
from crawler.pacing import HostPacer
from crawler.robots import Robots

ORIGIN = "http://127.0.0.1:9"


def test_robots_refusal_names_a_disallowed_url_and_an_unreachable_robots_txt() -> None:
    robots = Robots(ORIGIN, Protego.parse("User-agent: *\nDisallow: /private\n"))
    assert robots_refusal(robots, f"{ORIGIN}/private/x") == "disallowed by robots.txt"
    assert robots_refusal(robots, f"{ORIGIN}/public") is None
    down = Robots(ORIGIN, None, unreachable=True, detail="timeout")
    assert robots_refusal(down, f"{ORIGIN}/public") == "robots.txt unreachable (timeout)"


def test_excluded_urls_are_refused_before_any_robots_txt_is_read() -> None:
    async def refusals() -> tuple[str | None, str | None, int]:
        async with httpx.AsyncClient() as client:
            gate = Gate(client, FetchSettings(), (re.compile(r"/admin"),), False, HostPacer(0))
            return (
                await gate.refusal(f"{ORIGIN}/admin/x"),
                await gate.refusal(f"{ORIGIN}/a"),
                len(gate.robots),
            )

    assert asyncio.run(refusals()) == (EXCLUDED, None, 0)


def test_a_known_refusal_uses_only_a_robots_txt_already_loaded() -> None:
    async def known() -> tuple[str | None, str | None]:
        async with httpx.AsyncClient() as client:
            gate = Gate(client, FetchSettings(), (), True, HostPacer(0))
            before = gate.known_refusal(f"{ORIGIN}/private")
            done: asyncio.Future[Robots] = asyncio.get_running_loop().create_future()
            done.set_result(Robots(ORIGIN, Protego.parse("User-agent: *\nDisallow: /private\n")))
            gate.robots[ORIGIN] = done  # type: ignore[assignment]
            return before, gate.known_refusal(f"{ORIGIN}/private")

    assert asyncio.run(known()) == (None, "disallowed by robots.txt")
