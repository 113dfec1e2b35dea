"""The `qsrkit` command line: thin commands over the core, one module per command group.

`application` holds the Typer app and `run`, the one place core errors become messages and exit
codes; each command module registers its commands on the app when it is imported. Typer builds
every registered command's parameters when it starts (a few milliseconds for each option), so
`main` imports only the module of the command being run: `qsrkit calc` stays as quick to start
as a one-command Typer app. `qsrkit --help`, an unknown command, and `qsrkit.cli.app` (for a
library or a test) load them all.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

# Every top-level command and the module that registers it (tests/test_docs.py checks the map).
COMMANDS = {
    "new": "answers_commands", "check": "answers_commands", "schema": "answers_commands",
    "calc": "plan_commands",
    "metrics": "crm_commands", "diagnose": "crm_commands",
    "render": "document_commands", "templates": "document_commands",
    "team": "team_commands",
    "pipeline": "living_commands", "refresh": "living_commands",
    "check-in": "checkin_commands", "one-on-one": "weekly_commands",
}
# In the order `qsrkit --help` lists their commands.
MODULES = ("answers_commands", "plan_commands", "crm_commands", "document_commands",
           "team_commands", "living_commands", "checkin_commands", "weekly_commands")

__all__ = ["COMMANDS", "app", "load", "main"]


def load(modules: tuple[str, ...] = MODULES) -> typer.Typer:
    """The application with the commands of `modules` registered (all of them by default)."""
    for module in modules:
        importlib.import_module(f"qsrkit.cli.{module}")
    from qsrkit.cli.application import app

    return app


def main() -> None:
    """The `qsrkit` console script."""
    from qsrkit.cli.application import main as run_app

    command = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    module = COMMANDS.get(command or "")
    load((module,) if module else MODULES)
    run_app()


def __getattr__(name: str) -> object:
    if name == "app":
        return load()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
