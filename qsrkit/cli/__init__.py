"""The `qsrkit` command line: thin commands over the core, one module per command group.

`app` holds the Typer application and `run`, the one place core errors become messages and exit
codes; the command modules register themselves on it when imported here, in the order `--help`
lists them.
"""

from __future__ import annotations

from qsrkit.cli import (
    answers_commands,
    crm_commands,
    document_commands,
    plan_commands,
    team_commands,
)
from qsrkit.cli.app import app, main

__all__ = ["answers_commands", "app", "crm_commands", "document_commands", "main", "plan_commands", "team_commands"]
