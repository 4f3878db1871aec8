"""A child Python process the tests talk to one line at a time: it says "ready", then answers each request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any


class LineProcess:
    """`python -c SCRIPT ARGS…` with pipes; `ask` writes one request line and reads one answer line."""

    def __init__(self, script: str, *args: str, cwd: Path | None = None, **popen: Any) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            **popen,
        )
        assert self.ask(None) == "ready"

    def ask(self, line: str | None) -> str:
        """Send `line` (None: just read), return the next answer line."""
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        if line is not None:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()
