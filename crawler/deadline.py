"""A CPU-time limit on judging one page, and stop signals that cut judging short; process state.

Judging is synchronous Python: while it runs, neither the event loop nor its signal callbacks do. So
`judging_limits` arms a CPU timer (ITIMER_PROF, whose SIGPROF handler raises `JudgeTimeout`) and, in
the crawler's process, wraps the handlers of SIGTERM and SIGINT so that they still run and then raise
`Stopped` inside the judging. Both are raised between two bytecodes, so a limit holds within one
regular-expression or parser call: every such call is linear in the page (tests/fuzz). Signal
handlers belong to the main thread: elsewhere judging runs without limits.
"""

from __future__ import annotations

# The C module behind `signal`: its functions without the enum conversions, which cost `signal.signal`
# and `signal.getsignal` 3-4 µs a call, a page's limits 30 µs (2% of judging a typical page).
import _signal  # type: ignore[import-not-found]
import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

STOP_SIGNALS = (int(signal.SIGTERM), int(signal.SIGINT))
_PROF = int(signal.SIGPROF)
Handler = Callable[[int, FrameType | None], object]


class JudgeTimeout(Exception):
    """Judging one page took more CPU time than `[crawl] judge_timeout`."""


class Stopped(BaseException):
    """A stop signal came while a page was being judged; its own handler has already run.

    A BaseException, as CancelledError is: no `except Exception` may record it as the page's error.
    """


class _Armed:
    """Whether the limits still apply: a signal delivered after judging ended raises nothing."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.on = True

    def expire(self, signum: int, frame: FrameType | None) -> None:
        if self.on:
            self.on = False
            raise JudgeTimeout(f"judging the page took more than {self.seconds:g} s of CPU time")

    def stopper(self, handler: Handler) -> Handler:
        def stop(signum: int, frame: FrameType | None) -> None:
            handler(signum, frame)  # asyncio's own: its callback (cancel the run) runs once judging stops
            if self.on:
                self.on = False
                raise Stopped(signal.Signals(signum).name)

        return stop


@contextlib.contextmanager
def judging_limits(seconds: float, *, stoppable: bool) -> Iterator[None]:
    """Raise `JudgeTimeout` in the block after `seconds` of process CPU time and, if `stoppable`,
    `Stopped` when SIGTERM or SIGINT comes (only where a Python handler listens for it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = _Armed(seconds)
    previous: dict[int, Handler] = {}
    for sig in STOP_SIGNALS if stoppable else ():
        handler = _signal.getsignal(sig)
        if callable(handler):  # SIG_DFL ends the process anyway; SIG_IGN asks for nothing
            previous[sig] = handler
            _signal.signal(sig, armed.stopper(handler))
    timer = _signal.signal(_PROF, armed.expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        armed.on = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        _signal.signal(_PROF, _signal.SIG_DFL if timer is None else timer)
        for stop, handler in previous.items():
            _signal.signal(stop, handler)
