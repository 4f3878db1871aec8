"""`icp-audit schedule` as the container runs it: starts, announces its next run, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import LOCAL_PROFILE


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_schedule_stops_cleanly_on_signal(tmp_path: Path, sig: signal.Signals) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler",
            "schedule",
            "--config",
            str(LOCAL_PROFILE),
            "--db",
            str(tmp_path / "s.db"),
            "--out",
            str(tmp_path / "out"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    with proc.stdout:
        seen = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any("next run" in line for line in seen):
            seen.append(proc.stdout.readline())
            if not seen[-1] and proc.poll() is not None:
                break
        assert any("next run" in line and "02:30:00+08:00" in line for line in seen), seen
        proc.send_signal(sig)
        assert proc.wait(timeout=10) == 0
