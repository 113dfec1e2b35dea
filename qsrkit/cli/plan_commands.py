"""`qsrkit calc`: the opportunity creation calculator in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qsrkit.cli.application import app, org_config, run
from qsrkit.cli.options import (
    ConfigOption,
)

if TYPE_CHECKING:
    from qsrkit.plan.inputs import CalcFlags


@app.command()
def calc(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="An answers file to take the inputs from (flags override it); "
                       "several files print a line per rep and the team's totals.",
                       show_default=False),
    ] = None,
    quota: Annotated[str | None, typer.Option(help="This quarter's quota, e.g. 300000.")] = None,
    closed: Annotated[str | None, typer.Option(help="Closed won so far this quarter.")] = None,
    win_rate: Annotated[str | None, typer.Option(help="Win rate in percent: 25 or 25%.")] = None,
    open_pipeline: Annotated[
        str | None, typer.Option(help="Open pipeline scheduled to close this quarter.")
    ] = None,
    avg_deal_size: Annotated[str | None, typer.Option(help="Average deal size.")] = None,
    weeks: Annotated[str | None, typer.Option(help="Selling weeks left in the quarter.")] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Count weeks to work from this date (YYYY-MM-DD) to quarter end.")
    ] = None,
    quarter: Annotated[
        str | None, typer.Option(help="The quarter for --as-of. Default: the file's, or the date's.")
    ] = None,
    target: Annotated[
        list[str] | None,
        typer.Option(help="A target in percent of quota; repeat for more. Default: 100 and 150."),
    ] = None,
    meeting_rate: Annotated[
        str | None,
        typer.Option(help="Qualified opportunities per meeting, to add meetings needed per week."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """How much pipeline, and how many opportunities a week, reach each target.

    Examples:

      qsrkit calc jordan-lee-2026-Q4.yaml

      qsrkit calc team/*.yaml

      qsrkit calc --quota 300000 --closed 60000 --win-rate 25 --open-pipeline 400000
      --avg-deal-size 20000 --weeks 10 --target 100 --target 150
    """
    from qsrkit import console
    from qsrkit.plan import calculator
    from qsrkit.plan.inputs import CalcFlags, resolve

    flags = CalcFlags(
        quota=quota, closed=closed, win_rate=win_rate, open_pipeline=open_pipeline,
        avg_deal_size=avg_deal_size, weeks=weeks, as_of=as_of, quarter=quarter,
        meeting_rate=meeting_rate, targets=list(target or []),
    )

    notes: list[str] = []
    if files and len(files) > 1:
        _calc_many(files, flags, config, notes, as_json)
        return
    file = files[0] if files else None

    def compute() -> tuple[list[calculator.TargetPlan], str]:
        answers = None
        symbol, default_targets, calendar = "$", list(calculator.DEFAULT_TARGETS), None
        org = None
        if file is not None or config is not None or Path("qsrkit.yaml").is_file():
            org = org_config(config)
            symbol, default_targets, calendar = org.currency_symbol, org.targets, org.calendar
        if file is not None:
            from qsrkit.answers.loading import load_answers

            assert org is not None  # loaded above whenever a file is given
            answers = load_answers(file, model=org.answers_model).model
        if calendar is None:
            from qsrkit.plan.fiscal import FiscalCalendar

            calendar = FiscalCalendar()
        inputs, targets = resolve(flags, answers, calendar, default_targets, notes=notes)
        return calculator.plan(inputs, targets), symbol

    plans, symbol = run(compute)
    for note in notes:
        console.warning(note)
    if as_json:
        console.print_json({"targets": [p.as_json() for p in plans]})
    else:
        console.plan_table(plans, symbol, title="Opportunity creation calculator")


def _calc_many(files: list[Path], flags: CalcFlags, config: Path | None, notes: list[str],
               as_json: bool) -> None:
    """`qsrkit calc FILE FILE...`: a line per rep and the team's totals (qsrkit.team)."""
    from qsrkit import console
    from qsrkit.team.calc_table import calc_rows, calc_table

    org = run(lambda: org_config(config))
    found = run(lambda: calc_rows(files, flags, org, notes))
    for note in dict.fromkeys(notes):
        console.warning(note)
    if as_json:
        console.print_json(found.as_json())
    else:
        console.calc_team_table(*calc_table(found, org.currency_symbol))
    if len(found.computed) < len(found.lines):
        raise typer.Exit(3)
