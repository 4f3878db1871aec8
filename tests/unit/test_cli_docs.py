"""The command line and the README stay in sync: every command has help text and a README example."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crawler.cli import cli

README = (Path(__file__).parents[2] / "README.md").read_text("utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


COMMANDS = _commands(cli)


def test_the_documented_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"audit", "export", "report", "runs", "config check", "demo", "schedule"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help_and_a_readme_example(name: str, command: click.Command) -> None:
    assert command.help
    assert len(command.help.split()) > 4
    assert f"icp-audit {name}" in README
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert block[0].endswith("icp-audit audit")
    assert block[1].endswith("pytest")
