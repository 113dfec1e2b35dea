"""`qsrkit metrics`: per-rep numbers from a CRM export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from qsrkit.cli.app import app, org_config, run
from qsrkit.cli.options import (
    AsOfOption,
    ColumnsOption,
    ConfigOption,
    QuotasOption,
)


@app.command()
def metrics(
    export: Annotated[Path, typer.Argument(help="A CRM opportunity export (CSV).", dir_okay=False,
                                           show_default=False)],
    rep: Annotated[str | None, typer.Option("--rep", help="Show only this rep.")] = None,
    quarter: Annotated[
        str | None,
        typer.Option("--quarter", help="The quarter being planned, e.g. 2026-Q4 (the previous "
                     "quarter is the one reflected on). Default: the quarter of --as-of."),
    ] = None,
    as_of: AsOfOption = None,
    columns: ColumnsOption = None,
    quotas: QuotasOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Every rep's QSR numbers from a CRM opportunity export, as a table.

    Previous quarter: closed won revenue, deals won and lost, win rate, average deal size,
    opportunities and pipeline created per week, average days to win. Current quarter: closed
    won so far, open pipeline closing this quarter, weeks to work. Exit codes: 0 shown, 2 bad
    option or unknown --rep, 3 the export (or mapping or quotas file) has problems.

    Examples:

      qsrkit metrics export.csv --as-of 2026-10-05

      qsrkit metrics export.csv --rep "Jordan Lee" --quarter 2026-Q4 --json
    """
    from qsrkit import console
    from qsrkit.crm.prefill import CrmRequest, metrics_for

    def work() -> Any:
        found = metrics_for(CrmRequest(export=export, columns=columns, quotas=quotas,
                                       quarter=quarter, as_of=as_of), org_config(config))
        if rep is not None:
            found.reps = [found.find(rep)]
        return found

    found = run(work)
    console.problems(found.warnings)  # located, on standard error: rows left out, say
    if as_json:
        console.print_json({
            "file": found.file, "layout": found.layout, "rows": found.rows,
            "quarter": found.quarter, "previous_quarter": found.previous_quarter,
            "as_of": found.as_of.isoformat(), "reps": [r.as_json() for r in found.reps],
            "warnings": [w.as_dict() for w in found.warnings],
        })
        return
    for message in found.notes:
        console.warning(message)
    symbol = "$"
    if config is not None or Path("qsrkit.yaml").is_file():
        symbol = run(lambda: org_config(config).currency_symbol)
    console.metrics_table(found, symbol)
