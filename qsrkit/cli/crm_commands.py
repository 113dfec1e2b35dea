"""`qsrkit metrics`: per-rep numbers from a CRM export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from qsrkit.cli.application import app, org_config, run
from qsrkit.cli.options import (
    AsOfOption,
    ColumnsOption,
    ConfigOption,
    QuotasOption,
    TrailingOption,
    no_standard_output,
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
    trailing: TrailingOption = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Every rep's QSR numbers from a CRM opportunity export, as a table.

    Previous quarter: closed won revenue, deals won and lost, win rate, average deal size,
    opportunities and pipeline created per week, average days to win. Current quarter: closed
    won so far, open pipeline closing this quarter, weeks to work. With --trailing N, the win
    rate, deal size and days to win over the last N quarters too. A figure from fewer than 20
    decided or 10 won deals is marked * and warned about. Exit codes: 0 shown, 2 bad option or
    unknown --rep, 3 the export (or mapping or quotas file) has problems.

    Examples:

      qsrkit metrics export.csv --as-of 2026-10-05

      qsrkit metrics export.csv --rep "Jordan Lee" --quarter 2026-Q4 --json

      qsrkit metrics export.csv --trailing 4
    """
    from qsrkit import console
    from qsrkit.crm.prefill import CrmRequest, metrics_for

    def work() -> Any:
        found = metrics_for(CrmRequest(export=export, columns=columns, quotas=quotas,
                                       quarter=quarter, as_of=as_of, trailing=trailing),
                            org_config(config))
        if rep is not None:
            found.reps = [found.find(rep)]
        return found

    found = run(work)
    console.problems(found.warnings)  # located, on standard error: rows left out, say
    for message in [*found.notes, *found.sample_warnings()]:
        console.warning(message)
    if as_json:
        console.print_json({
            "file": found.file, "layout": found.layout, "rows": found.rows,
            "quarter": found.quarter, "previous_quarter": found.previous_quarter,
            "as_of": found.as_of.isoformat(), "trailing": found.trailing,
            "min_sample": found.min_sample, "reps": [r.as_json() for r in found.reps],
            "warnings": [w.as_dict() for w in found.warnings],
        })
        return
    symbol = "$"
    if config is not None or Path("qsrkit.yaml").is_file():
        symbol = run(lambda: org_config(config).currency_symbol)
    console.metrics_table(found, symbol)


@app.command()
def diagnose(
    export: Annotated[Path, typer.Argument(help="A CRM opportunity export (CSV).", dir_okay=False,
                                           show_default=False)],
    history: Annotated[
        Path | None,
        typer.Option("--history", help="A folder of dated snapshot exports (the weekly forecast "
                     "call's), e.g. 2026-09-28.csv: adds commit and stage win rates and pushes.",
                     file_okay=False),
    ] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="Show only this rep (the team "
                                            "medians still come from everyone).")] = None,
    quarters: Annotated[int, typer.Option("--quarters", help="The last N quarters together "
                                          "(default: the previous quarter alone).")] = 1,
    as_of: AsOfOption = None,
    columns: ColumnsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Write coaching notes (a page per rep): docx, md or "
                     "html. Default with -o: from its extension, else docx."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The coaching notes file (default: "
                     "coaching-notes-<quarter>.<format>).", dir_okay=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    config: ConfigOption = None,
) -> None:
    """How each rep sells, beside the team's medians, and the tendencies worth a conversation.

    Win rate (overall, scheduled to win, commits, inside and outside the ICP), days to win and
    to lose (also by revenue tier), deals pushed twice or more, losses to no decision, average
    selling price and, with --history, the win rate from each stage. A tendency (sandbagger,
    happy ears, scattered, flash in the pan) is raised when the figures stand out against the
    team, with the figures that raised it and questions for the 1:1. Exit codes: 0 shown or
    written, 2 bad option or unknown --rep, 3 an input has problems, 4 the notes cannot be
    written.

    Examples:

      qsrkit diagnose export.csv --as-of 2026-10-05

      qsrkit diagnose export.csv --history snapshots/ --quarters 2 --json

      qsrkit diagnose export.csv --history snapshots/ -o coaching.docx
    """
    from qsrkit import console
    from qsrkit.crm.diagnose import DiagnoseRequest
    from qsrkit.crm.diagnose import diagnose as work_out

    request = DiagnoseRequest(export=export, history=history, columns=columns, rep=rep,
                              quarters=quarters, as_of=as_of)
    settings = run(lambda: org_config(config))
    found = run(lambda: work_out(request, settings))
    console.problems(found.warnings)
    for message in found.notes:
        console.warning(message)
    if fmt is None and output is None:
        if as_json:
            console.print_json(found.as_json())
        else:
            console.diagnose_table(found, settings.currency_symbol)
        return

    def write() -> Path:
        from qsrkit.document.coaching import coaching_notes
        no_standard_output(output, "diagnose", ", or use --json for standard output")
        from qsrkit.fileio import write_atomic

        kind = fmt or (output.suffix.lower().lstrip(".") if output is not None else "docx")
        kind = kind if kind in ("md", "html") or fmt else "docx"
        target = output or Path(f"coaching-notes-{found.last_quarter}.{kind}")
        data, warnings = coaching_notes(found, settings, kind)
        for warning in warnings:
            console.warning(warning)
        write_atomic(target, data, force=force)
        return target

    target = run(write)
    if as_json:
        console.print_json(found.as_json())
    console.success(f"wrote {target} ({len(found.reps)} rep(s), {found.period})")
