"""Options that several commands share, declared once so they read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Org settings file (currency, fiscal year, targets). Default: ./qsrkit.yaml if present.",
        dir_okay=False,
    ),
]


CrmOption = Annotated[
    Path | None,
    typer.Option("--crm", help="A CRM opportunity export (CSV) to fill in the numbers from.",
                 dir_okay=False),
]


ColumnsOption = Annotated[
    Path | None,
    typer.Option("--columns", help="A mapping file naming the export's columns (when it is not a "
                 "standard Salesforce or HubSpot export).", dir_okay=False),
]


QuotasOption = Annotated[
    Path | None,
    typer.Option("--quotas", help="A CSV with the columns rep, quarter, quota.", dir_okay=False),
]


AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="The date the numbers are as of (YYYY-MM-DD). Default: today."),
]


TeamListOption = Annotated[
    Path | None,
    typer.Option("--team-list", help="With --team: a text file with one rep name a line (default: "
                 "every owner in the export).", dir_okay=False),
]


TrailingOption = Annotated[
    int,
    typer.Option("--trailing", min=1, max=8,  # 8: qsrkit.crm.samples.MAX_TRAILING
                 help="Compute the plan's win rate, average deal size and days to win over the "
                 "last N completed quarters (1 to 8) instead of the previous quarter alone; last "
                 "quarter's actuals stay that quarter's.", metavar="N"),
]


def no_standard_output(output: Path | None, command: str, instead: str) -> None:
    """Refuse `-o -` where a command writes only files: without this, `-` would be taken as a
    file name and a file called `-` would appear in the folder."""
    if output is not None and str(output) == "-":
        from qsrkit.errors import UsageError

        raise UsageError(f"-o - (standard output) is not supported by {command}",
                         hint=f"give a file name{instead}")
