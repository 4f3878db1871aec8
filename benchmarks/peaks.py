"""The peak memory of a process's children, sampled from /proc while it runs (Linux)."""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

INTERVAL = 0.05  # seconds between samples; each costs well under a millisecond


def _children(pid: int) -> list[int]:
    """Every descendant of `pid` alive now."""
    found: list[int] = []
    todo = [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except OSError:  # the task ended while we looked
                continue
            found += kids
            todo += kids
    return found


def _own_peak_kb(pid: int) -> int | None:
    """VmHWM (the process's own peak resident set) in KB, or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakWatcher:
    """Samples the own peak RSS of every child of `pid` until closed; `peak_kb` sums the last values.

    A child's VmHWM only grows, so its last sample is its peak, up to what it allocated in its last
    INTERVAL. The parent's own peak comes from wait4, which a sampler cannot beat.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(INTERVAL):
            for child in _children(self.pid):
                if (kb := _own_peak_kb(child)) is not None:
                    self.peaks[child] = max(kb, self.peaks.get(child, 0))

    def peak_kb(self) -> int:
        """The sum of every child's own peak, KB."""
        return sum(self.peaks.values())
