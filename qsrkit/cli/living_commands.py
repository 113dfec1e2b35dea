"""`qsrkit pipeline diff` and `qsrkit refresh`: the QSR kept alive during the quarter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qsrkit.cli.application import app, org_config, run
from qsrkit.cli.options import AsOfOption, ColumnsOption, ConfigOption, QuotasOption

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


@app.command()
def refresh(
    file: Annotated[Path, typer.Argument(help="The answers file to refresh (it is changed in "
                                         "place).", dir_okay=False, show_default=False)],
    crm: Annotated[Path, typer.Option("--crm", help="The CRM opportunity export (CSV) with "
                                      "the new numbers.", dir_okay=False)],
    as_of: AsOfOption = None,
    quotas: QuotasOption = None,
    columns: ColumnsOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes; write "
                                          "nothing.")] = False,
    config: ConfigOption = None,
) -> None:
    """Update the CRM numbers of an answers file in place, keeping everything the rep typed.

    This quarter's closed won, open pipeline, weeks to work and as-of date are refreshed from
    the export for the file's rep (account_executive) and quarter; last quarter's actuals (and,
    with --quotas, the quotas) are filled in only where they are blank. Every comment, quote
    and key stays byte for byte as it was. The changes are shown, old → new, before the file is
    replaced (atomically, keeping its permissions). Exit codes: 0 refreshed (or nothing to
    change), 2 bad option, 3 the file has errors `qsrkit check` reports, the rep is not in the
    export or the export is from another time, 4 the file cannot be written.

    Examples:

      qsrkit refresh avery-quinn-2026-Q4.yaml --crm export.csv --as-of 2026-11-02

      qsrkit refresh avery-quinn-2026-Q4.yaml --crm export.csv --dry-run
    """
    from qsrkit import console
    from qsrkit.crm.prefill import CrmRequest
    from qsrkit.scaffold.refresh import refresh as work_out
    from qsrkit.scaffold.refresh import write

    settings = run(lambda: org_config(config))
    request = CrmRequest(export=crm, columns=columns, quotas=quotas, as_of=as_of)
    found = run(lambda: work_out(file, request, settings))
    console.problems(found.warnings)
    for message in found.notes:
        console.warning(message)
    console.refresh_changes(found)
    if not found.changes:
        console.success(f"{file} already has the numbers of {found.export} as of "
                        f"{found.as_of.isoformat()}; nothing written")
    elif dry_run:
        console.note(f"--dry-run: {file} was not changed")
    else:
        run(lambda: write(found))
        console.success(f"refreshed {file} ({len(found.changes)} value(s))")
