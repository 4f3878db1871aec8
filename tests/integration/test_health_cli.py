"""`icp-audit health` checks every scheduled profile (a folder, repeated --config or ICP_AUDIT_CONFIG)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from tests.conftest import LOCAL_PROFILE, LocalSite, audit_args


def _profiles(site: LocalSite, folder: Path) -> Path:
    """A folder of two profiles: the audited company site, and a second site never audited."""
    folder.mkdir()
    text = LOCAL_PROFILE.read_text("utf-8").replace("http://127.0.0.1:9/", site.base)
    (folder / "a.toml").write_text(text, "utf-8")
    (folder / "b.toml").write_text(text.replace('name = "朝前科技官网"', 'name = "第二个站点"'), "utf-8")
    return folder


def test_health_is_healthy_only_when_every_scheduled_site_is(company_site: LocalSite, tmp_path: Path) -> None:
    folder, db = _profiles(company_site, tmp_path / "profiles"), str(tmp_path / "a.db")
    assert CliRunner().invoke(cli, audit_args(company_site.base, tmp_path)).exit_code == 2  # complete

    both = CliRunner().invoke(cli, ["health", "--config", str(folder), "--db", db])
    assert both.exit_code == 1, both.output
    assert both.output.splitlines()[0].startswith("healthy: 朝前科技官网: ")
    assert both.output.splitlines()[1].startswith("unhealthy: 第二个站点: ")
    assert len(both.output.splitlines()) == 2

    only_a = CliRunner().invoke(cli, ["health", "--config", str(folder / "a.toml"), "--db", db])
    assert only_a.exit_code == 0, only_a.output


def test_health_reads_the_profiles_from_icp_audit_config(company_site: LocalSite, tmp_path: Path) -> None:
    folder, db = _profiles(company_site, tmp_path / "profiles"), str(tmp_path / "a.db")
    assert CliRunner().invoke(cli, audit_args(company_site.base, tmp_path)).exit_code == 2
    result = CliRunner().invoke(cli, ["health", "--db", db], env={"ICP_AUDIT_CONFIG": str(folder / "a.toml")})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("healthy: 朝前科技官网: ")
    result = CliRunner().invoke(cli, ["health", "--db", db], env={"ICP_AUDIT_CONFIG": str(folder)})
    assert result.exit_code == 1, result.output
