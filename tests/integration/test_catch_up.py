"""`icp-audit schedule` catches up at once when no complete run is recent; `health` then says healthy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from rules.records import RunStatus
from storage import Database
from tests.conftest import LOCAL_PROFILE, LocalSite


def _profile_for(site: LocalSite, folder: Path) -> Path:
    text = LOCAL_PROFILE.read_text("utf-8")
    text = text.replace('start_urls = ["http://127.0.0.1:9/"]', f'start_urls = ["{site.base}"]')
    assert site.base in text
    path = folder / "site.toml"
    path.write_text(text + '\n[schedule]\ncron = "30 2 * * *"\ntimezone = "Asia/Shanghai"\n', "utf-8")
    return path


def _health(profile: Path, db: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["health", "--config", str(profile), "--db", str(db)])
    return result.exit_code, result.output


def test_schedule_catches_up_on_start_and_health_follows(tmp_path: Path, company_site: LocalSite) -> None:
    profile, db = _profile_for(company_site, tmp_path), tmp_path / "s.db"
    code, output = _health(profile, db)
    assert (code, output.count("\n")) == (1, 1)
    assert "no run yet" in output

    out = ["--out", str(tmp_path / "out")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler", "schedule", "--config", str(profile), "--db", str(db), *out],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline, done = time.monotonic() + 12, []
        while time.monotonic() < deadline and not done and proc.poll() is None:
            time.sleep(0.2)
            if db.exists():
                runs = Database.open(str(db)).list_runs(limit=5)
                done = [r for r in runs if r.trigger == "catch-up" and r.status == RunStatus.COMPLETE]
        assert done, "no complete catch-up run"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    code, output = _health(profile, db)
    assert code == 0, output
    assert "complete" in output
