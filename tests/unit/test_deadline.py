"""crawler.deadline: the CPU-time limit on judging a page, and stop signals that cut it short."""

from __future__ import annotations

import os
import signal
import time
from types import FrameType

import pytest

from crawler.deadline import JudgeTimeout, Stopped, judging_limits


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def _signal_then_spin(sig: int) -> None:
    os.kill(os.getpid(), sig)
    _spin(5)


def test_cpu_time_past_the_limit_raises_judge_timeout() -> None:
    with (
        pytest.raises(JudgeTimeout, match=r"more than 0\.05 s of CPU time"),
        judging_limits(0.05, stoppable=False),
    ):
        _spin(5)


def test_work_within_the_limit_is_untouched_and_the_timer_is_disarmed() -> None:
    with judging_limits(0.5, stoppable=False):
        _spin(0.01)
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    _spin(0.6)  # no late SIGPROF


def test_a_stop_signal_runs_its_handler_then_stops_the_judging() -> None:
    seen: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        seen.append(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        with pytest.raises(Stopped), judging_limits(30, stoppable=True):
            _signal_then_spin(signal.SIGTERM)
        assert seen == [signal.SIGTERM]
        assert signal.getsignal(signal.SIGTERM) is handler  # restored
        os.kill(os.getpid(), signal.SIGTERM)  # after the judging: the handler alone
        assert seen == [signal.SIGTERM, signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_without_stoppable_a_stop_signal_only_runs_its_handler() -> None:
    seen: list[int] = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
    try:
        with judging_limits(30, stoppable=False):
            os.kill(os.getpid(), signal.SIGTERM)
            _spin(0.05)
        assert seen == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, previous)
