"""The README documents every command and every exit code, and the CHANGELOG keeps its shape."""

from __future__ import annotations

import re

import typer
from conftest import ROOT

from qsrkit.cli import app
from qsrkit.errors import ExitCode

README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_names(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or c.callback.__name__).replace("_", "-")  # type: ignore[union-attr]
             for c in group.registered_commands]
    for sub in group.registered_groups:
        names += command_names(sub.typer_instance, f"{prefix}{sub.name} ")  # type: ignore[arg-type]
    return names


def test_every_command_has_a_readme_section() -> None:
    names = command_names(app)
    assert {"new", "check", "calc", "schema"} <= set(names)
    for name in names:
        assert f"### `qsrkit {name}" in README, f"README has no section for `qsrkit {name}`"


def test_every_exit_code_is_documented() -> None:
    table = README.split("## Exit codes", 1)[1]
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", table, re.M), f"exit code {int(code)} missing"


def test_every_command_has_help(run) -> None:
    for name in command_names(app):
        result = run(*name.split(), "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout, name


def test_changelog_has_an_unreleased_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog")
    assert "## [Unreleased]" in changelog


def test_every_command_is_in_the_map_main_loads_it_from() -> None:
    # `qsrkit X` imports only the module COMMANDS names for X; a command missing from the map
    # would still run (main then loads every module), but slower: keep the map whole.
    from qsrkit.cli import COMMANDS

    top_level = {name.split()[0] for name in command_names(app)}
    assert set(COMMANDS) == top_level
