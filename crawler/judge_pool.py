"""Where pages are judged: in the crawler's event loop, or in judging processes on the other cores; I/O.

Extraction and the page rules cost about as much CPU as fetching a page (DESIGN.md §9): in one
process they halve the crawl's speed. With `[crawl] judge_processes` above 0 the crawler's process
fetches, stores and follows links while `crawler.judge_worker` processes judge; a page's verdict is the
same either way (both run `crawler.judging.judge_html`). "auto" uses every core but one (at most
four), and only once the site has shown itself larger than WARMUP_PAGES: starting a process costs more
than judging a small site. Until a process is ready, pages are judged in the crawler's process.

Wherever a page is judged, `[crawl] judge_timeout` seconds of CPU time end its judging with
`JudgeTimeout` (crawler.deadline); in the crawler's process a stop signal ends it too, so SIGTERM is
honoured at once while a page is judged there, and judging processes busy with a page are killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import pickle
import struct
import sys
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from crawler.deadline import Stopped, judging_limits
from crawler.judge_worker import HEADER, Reply, pack
from crawler.judging import Judged, PageInput, judge_html
from rules.policy import Policy

STOP_GRACE = 2.0  # seconds a stopped judging waits for the stop signal's callback to cancel the run
WARMUP_PAGES = 32  # "auto": pages judged in the crawler's process before judging processes start
MAX_PROCESSES = 4  # "auto": more rarely pays, as the crawler's own process becomes the bottleneck
MAX_DEATHS = 3  # judging processes that may die in one run before judging returns to the crawler's process
CLOSE_TIMEOUT = 5.0
PIPE_BYTES = 1 << 20  # Linux's default /proc/sys/fs/pipe-max-size
WORKER_DIED = "WorkerDied"

log = logging.getLogger("icp_audit.run")

_ROOT = str(Path(__file__).resolve().parents[1])  # where `crawler` is importable from, installed or not


class JudgingFailed(Exception):
    """A page could not be judged in a judging process: `kind` names the exception (or WorkerDied)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def processes_for(setting: int | Literal["auto"]) -> int:
    """How many judging processes a run uses: the profile's number, or for "auto" every core but one."""
    if setting != "auto":
        return setting
    return max(0, min(len(os.sched_getaffinity(0)) - 1, MAX_PROCESSES))


class _Worker:
    """One judging process and the answers it owes, in the order the pages were sent."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.pending: deque[asyncio.Future[Judged]] = deque()
        self.sheets_sent: set[str] = set()
        self.answered = 0
        self.ready = False  # it has loaded its modules and the policy
        self.alive = True
        self.settled = asyncio.Event()  # ready, or dead before that
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, policy: Policy, cpu_limit: float) -> _Worker:
        """Start `python -m crawler.judge_worker` with this interpreter and hand it the run's policy."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, env.get("PYTHONPATH", "")) if p)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "crawler.judge_worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        _widen(process)
        worker = cls(process)
        worker._send((policy, cpu_limit))
        return worker

    def _send(self, message: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(pack(message))

    async def judge(self, page: PageInput, sheets: Mapping[str, str], frames: Mapping[str, str]) -> Judged:
        """Send the page (with the style sheets this process has not seen yet) and wait for its answer."""
        new = {url: css for url, css in sheets.items() if url not in self.sheets_sent}
        self.sheets_sent.update(new)
        answer: asyncio.Future[Judged] = asyncio.get_running_loop().create_future()
        self.pending.append(answer)  # before any await: answers come back in the order pages are sent
        self._send((page, new, frames))
        assert self.process.stdin is not None
        with contextlib.suppress(ConnectionError):  # the process died: _read fails every pending answer
            await self.process.stdin.drain()
        return await answer

    async def _read(self) -> None:
        assert self.process.stdout is not None
        stdout = self.process.stdout
        try:
            (size,) = HEADER.unpack(await stdout.readexactly(HEADER.size))
            await stdout.readexactly(size)  # the ready message
            self.ready = True
            self.settled.set()
            while True:
                (size,) = HEADER.unpack(await stdout.readexactly(HEADER.size))
                reply: Reply = pickle.loads(await stdout.readexactly(size))
                answer = self.pending.popleft()
                self.answered += 1
                if answer.done():  # the page's visit was cancelled
                    continue
                judged, kind, detail = reply
                if judged is not None:
                    answer.set_result(judged)
                else:
                    answer.set_exception(JudgingFailed(kind, detail))
        except (
            asyncio.IncompleteReadError,
            ConnectionError,
            struct.error,
            pickle.UnpicklingError,
            IndexError,
        ):
            pass
        finally:
            self.alive = False
            self.settled.set()
            if self.process.stdin is not None:
                self.process.stdin.close()  # with stdout at its end, lets asyncio close the transport
            detail = "the judging process ended"
            with contextlib.suppress(TimeoutError):
                detail += f" (exit code {await asyncio.wait_for(self.process.wait(), 1.0)})"
            while self.pending:
                answer = self.pending.popleft()
                if not answer.done():
                    answer.set_exception(JudgingFailed(WORKER_DIED, detail))

    async def close(self) -> None:
        """End the process: close its input and wait, then kill it if it does not end; reap it. One
        still judging is killed at once: the run is being cancelled, nobody waits for its pages."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        if self.pending and self.process.returncode is None:
            self.process.kill()
        try:
            await asyncio.wait_for(asyncio.shield(self.process.wait()), CLOSE_TIMEOUT)
        except TimeoutError:
            pass
        finally:
            if self.process.returncode is None:  # stuck on a page, or we are being cancelled
                self.process.kill()
            await self.process.wait()
            await self.reader  # ends at the end of its output; asyncio then closes the transport


def _widen(process: asyncio.subprocess.Process) -> None:
    """A pipe of PIPE_BYTES instead of 64 KB holds every page in flight: fewer writes and wake-ups."""
    if process.stdin is None:
        return
    pipe = process.stdin.transport.get_extra_info("pipe")
    with contextlib.suppress(OSError, AttributeError, ValueError):  # not Linux, or over pipe-max-size
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


class Judges:
    """Judges a run's pages in the crawler's process or in judging processes; closed by the run."""

    def __init__(self, policy: Policy, processes: int, *, warmup: int = 0, timeout: float = 10.0) -> None:
        self.policy, self.processes, self.warmup, self.timeout = policy, processes, warmup, timeout
        self.started: list[_Worker] = []  # every process of the run, dead ones too: all are reaped at the end
        self.judged = 0
        self._starting: asyncio.Task[None] | None = None

    @property
    def workers(self) -> list[_Worker]:
        """The judging processes alive now."""
        return [w for w in self.started if w.alive]

    async def judge(self, page: PageInput, sheets: Mapping[str, str], frames: Mapping[str, str]) -> Judged:
        """The page's judgement; raises what extraction raised (JudgingFailed when it was raised elsewhere).

        Pages are judged here until a judging process is ready, so starting one never stalls the crawl.
        """
        self.judged += 1
        worker = self._worker() if self.judged > self.warmup else None
        if worker is None:
            return await _in_process(page, self.policy, sheets, frames, self.timeout)
        return await worker.judge(page, sheets, frames)

    async def start(self) -> None:
        """Start the judging processes now and wait until each is ready or dead (tests, benchmarks)."""
        self._worker()
        if self._starting is not None:
            await self._starting
        await asyncio.gather(*(w.settled.wait() for w in self.workers))

    def _worker(self) -> _Worker | None:
        """The ready judging process with the fewest pages waiting, or None; starts or replaces processes."""
        if self.processes == 0:
            return None
        dead = [w for w in self.started if not w.alive]
        if not all(w.ready for w in dead):  # one could not even start: a broken install, no memory
            self._give_up("a judging process ended before it was ready")
            return None
        if len(dead) >= MAX_DEATHS:
            self._give_up(f"{len(dead)} judging processes died")
            return None
        live = self.workers
        if self._starting is None or (self._starting.done() and len(live) < self.processes):
            self._starting = asyncio.ensure_future(self._start())
        ready = [w for w in live if w.ready]
        return min(ready, key=lambda w: len(w.pending)) if ready else None

    def _give_up(self, problem: str) -> None:
        if self.processes:
            log.warning("judging in the crawler's process from now on: %s", problem)
        self.processes = 0

    async def _start(self) -> None:
        missing = self.processes - len(self.workers)
        try:
            started = (_Worker.start(self.policy, self.timeout) for _ in range(missing))
            self.started += await asyncio.gather(*started)
        except OSError as exc:  # no such interpreter, no memory to fork
            self._give_up(f"no judging process could start: {exc}")

    async def close(self) -> None:
        """End every judging process (also when the run is being cancelled)."""
        if self._starting is not None:  # let it finish (a fork and exec): a process it started is then reaped
            await asyncio.gather(self._starting, return_exceptions=True)
        workers, self.started = self.started, []
        await asyncio.gather(*(w.close() for w in workers), return_exceptions=True)


async def _in_process(
    page: PageInput, policy: Policy, sheets: Mapping[str, str], frames: Mapping[str, str], cpu_limit: float
) -> Judged:
    """Judge in the event loop, within the CPU-time limit and open to stop signals.

    Not in a thread, even for a huge page: a thread can neither be held to the limit nor stopped, and
    the interpreter waits for it at exit. Judging is linear, so a page at max_body_bytes stalls the
    other fetches for a fraction of a second. A stop signal's handler has cancelled the run (or will,
    as soon as the loop runs its callback): the grace sleep is where that cancellation lands; a handler
    that did not stop the run lets the page be judged again.
    """
    while True:
        try:
            with judging_limits(cpu_limit, stoppable=True):
                return judge_html(page.text, page, policy, sheets, frames)
        except Stopped:
            await asyncio.sleep(STOP_GRACE)
