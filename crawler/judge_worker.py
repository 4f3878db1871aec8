"""The judging process: reads pages from its parent on stdin, writes their judgements to stdout; I/O.

Started by crawler.judge_pool as `python -m crawler.judge_worker`. Messages are pickles behind a 4-byte
length, over the private pipes of a parent and its child. The first message is the run's `Policy` and
the CPU seconds a page may take (`[crawl] judge_timeout`), answered with `None` once the process is
ready; each next one is `(PageInput, new style sheets, frame documents)`, answered in order with
`(Judged, "", "")` or `(None, exception name, message)`. The process ends at the end of its input,
which also comes when the parent dies (the kernel closes the parent's end of the pipe).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
from collections.abc import Mapping
from typing import BinaryIO

from crawler.deadline import judging_limits
from crawler.judging import Judged, PageInput, judge_html
from rules.policy import Policy

HEADER = struct.Struct(">I")
Job = tuple[PageInput, Mapping[str, str], Mapping[str, str]]
Reply = tuple[Judged | None, str, str]  # (judged, "", "") or (None, exception name, message)


def pack(message: object) -> bytes:
    """One message as it goes through the pipe: its length, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def read_message(stream: BinaryIO) -> object | None:
    """The next message, or None at the end of the input (a message cut short counts as the end)."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def judge_job(job: Job, policy: Policy, sheets: dict[str, str], timeout: float) -> Reply:
    """Judge one page within `timeout` CPU seconds; an exception (JudgeTimeout too) becomes an
    answer, so one bad page never ends the process."""
    page, new_sheets, frames = job
    sheets.update(new_sheets)
    try:
        with judging_limits(timeout, stoppable=False):
            return (judge_html(page.text, page, policy, sheets, frames), "", "")
    except Exception as exc:  # the parent records it as the page's RULE-ERROR, as for a page judged there
        return (None, type(exc).__name__, str(exc)[:300])


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """Answer jobs until the input ends."""
    first = read_message(source)
    if not (isinstance(first, tuple) and len(first) == 2 and isinstance(first[0], Policy)):
        return
    policy, timeout = first
    sink.write(pack(None))  # ready: imports done, the parent may send pages now
    sink.flush()
    sheets: dict[str, str] = {}  # every style sheet the parent has sent, as its own cache holds them
    while (job := read_message(source)) is not None:
        sink.write(pack(judge_job(job, policy, sheets, timeout)))  # type: ignore[arg-type]
        sink.flush()


def main() -> None:
    """Serve the parent on stdin/stdout; anything else printed goes to stderr, never into the channel."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    sink = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with contextlib.suppress(BrokenPipeError):  # the parent is gone: nobody is waiting for the answer
        serve(sys.stdin.buffer, sink)


if __name__ == "__main__":
    main()
