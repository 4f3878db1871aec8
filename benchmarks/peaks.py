"""The peak memory of a process and its children, sampled from /proc while it runs (Linux)."""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

INTERVAL = 0.02  # seconds between samples; each reads two or three small /proc files


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


def _status_kb(pid: int, field: str) -> int:
    """A size field of /proc/PID/status (VmRSS: resident now, VmHWM: its own peak) in KB; 0 once gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


class PeakWatcher:
    """Samples a process tree until closed.

    `together_kb`: the largest sum of the processes' resident sets seen at one sample (a peak between
    two samples can be missed; the caller adds wait4's own peak of the parent).
    `children_peak_kb`: the sum of each child's own peak (VmHWM, which only grows, so its last sample
    is its peak): added to the parent's own peak it bounds the processes' peak together from above.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.together_kb = 0
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
            children = _children(self.pid)
            now = _status_kb(self.pid, "VmRSS:") + sum(_status_kb(c, "VmRSS:") for c in children)
            self.together_kb = max(self.together_kb, now)
            for child in children:
                if kb := _status_kb(child, "VmHWM:"):
                    self.peaks[child] = max(kb, self.peaks.get(child, 0))

    @property
    def children_peak_kb(self) -> int:
        """The sum of every child's own peak, KB."""
        return sum(self.peaks.values())
