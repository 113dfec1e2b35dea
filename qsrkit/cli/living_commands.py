"""`qsrkit pipeline diff` and `qsrkit refresh`: the QSR kept alive during the quarter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qsrkit.cli.application import app, org_config, run
from qsrkit.cli.options import AsOfOption, ColumnsOption, ConfigOption

pipeline_app = typer.Typer(
    help="What changed in the pipeline between two CRM exports.",
    no_args_is_help=True,
)
app.add_typer(pipeline_app, name="pipeline")


@pipeline_app.command("diff")
def pipeline_diff(
    old: Annotated[Path, typer.Argument(help="The older CRM export (CSV), last week's say.",
                                        dir_okay=False, show_default=False)],
    new: Annotated[Path, typer.Argument(help="The newer CRM export (CSV).", dir_okay=False,
                                        show_default=False)],
    rep: Annotated[str | None, typer.Option("--rep", help="Show only this rep (the team "
                                            "totals stay the team's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the changes as JSON.")] = False,
    columns: ColumnsOption = None,
    as_of: AsOfOption = None,
    quarter: Annotated[str | None, typer.Option("--quarter", help="The quarter whose open "
                                                "pipeline to compare, e.g. 2026-Q4. Default: "
                                                "the quarter of --as-of.")] = None,
    config: ConfigOption = None,
) -> None:
    """The deals that are new, won, lost, pushed out of the quarter, pulled in, changed amount
    and moved stage between two exports, per rep and for the team, with totals that reconcile:
    old open pipeline + additions − removals ± amount changes = new open pipeline.

    Deals are matched by the opportunity id column when both exports have one, else by owner +
    opportunity name + created date; the output says which. Exit codes: 0 shown, 2 bad option
    or unknown --rep, 3 an export has problems (or both are the same file).

    Examples:

      qsrkit pipeline diff 2026-10-05.csv 2026-10-12.csv

      qsrkit pipeline diff last-week.csv this-week.csv --rep "Avery Quinn" --json
    """
    from qsrkit import console
    from qsrkit.crm.changes import diff_exports
    from qsrkit.crm.prefill import resolve_dates

    settings = run(lambda: org_config(config))
    planned, _ = run(lambda: resolve_dates(settings, quarter, as_of))
    found = run(lambda: diff_exports(old, new, settings.calendar, planned, columns=columns,
                                     rep=rep))
    console.problems(found.warnings)
    if as_json:
        console.print_json(found.as_json())
    else:
        console.pipeline_diff(found, settings.currency_symbol)
