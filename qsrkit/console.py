"""The only module that talks to the terminal through rich."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from qsrkit.errors import Problem, QsrError

if TYPE_CHECKING:
    from qsrkit.calculator import TargetPlan

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def problems(found: Sequence[Problem]) -> None:
    for p in found:
        style = "red" if p.severity == "error" else "yellow"
        err.print(f"[{style}]{escape(p.format())}[/{style}]")


def error(exc: QsrError) -> None:
    from qsrkit.errors import InvalidInput

    if isinstance(exc, InvalidInput):
        problems(exc.problems)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        if errors != 1 or len(exc.problems) != 1:
            err.print(f"[red]error:[/red] {errors} problem(s); nothing was written")
        return
    err.print(f"[red]error:[/red] {escape(exc.message)}")
    if exc.hint:
        err.print(f"[dim]hint:[/dim] {escape(exc.hint)}")


def internal_error(exc: BaseException) -> None:
    err.print(
        f"[red]internal error:[/red] {escape(type(exc).__name__)}: {escape(str(exc))}\n"
        "This is a bug in qsrkit. Run again with --debug for the details and report it."
    )


def note(message: str) -> None:
    err.print(escape(message))


def success(message: str) -> None:
    out.print(f"[green]✓[/green] {escape(message)}")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def plan_table(plans: Sequence[TargetPlan], symbol: str, title: str | None = None) -> None:
    from qsrkit.formatting import plan_rows, target_label

    table = Table(title=title, title_justify="left", header_style="bold")
    table.add_column("Metric")
    for p in plans:
        table.add_column(target_label(p.percent_of_quota), justify="right")
    for label, cells in plan_rows(plans, symbol):
        table.add_row(label, *cells)
    out.print(table)
