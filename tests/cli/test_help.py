"""Every command and group has help text, and --help works without a config."""

from __future__ import annotations

import click
from click.testing import CliRunner

from gworkspace_reviews import __version__
from gworkspace_reviews.cli import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append(((*prefix, name), command))
        if isinstance(command, click.Group):
            out += _commands(command, (*prefix, name))
    return out


def test_every_command_has_help() -> None:
    runner = CliRunner()
    commands = _commands(cli)
    assert len(commands) >= 15
    for path, command in commands:
        assert command.help and command.help.strip(), path
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert " ".join(command.help.split()[:4]) in " ".join(result.output.split())
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (path, param.name)


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_an_os_error_is_a_message_not_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where init wants a folder")
    result = CliRunner().invoke(cli, ["init", str(blocked / "demo")])
    assert result.exit_code == 1
    assert "error:" in result.output and str(blocked) in result.output and "Traceback" not in result.output
