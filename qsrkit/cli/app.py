"""The `qsrkit` command line. Each command parses its options, makes one call into the core and
prints the result; errors from the core are turned into messages and exit codes in `_run`.

Heavy libraries (pydantic models, python-docx, jinja2, markdown-it) are imported inside the
commands that need them, so `qsrkit --help` and `qsrkit calc` start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from qsrkit import __version__
from qsrkit.errors import ExitCode, QsrError

T = TypeVar("T")

app = typer.Typer(
    name="qsrkit",
    help=(
        "Turn a seller's answers into a finished Quarterly Sales Review (QSR).\n\n"
        "A seller runs `qsrkit new` for a blank answers file, fills it in, runs `qsrkit check` "
        "and `qsrkit calc`, then `qsrkit render` for the Word document.\n\n"
        "Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid input, 4 could not write, "
        "130 interrupted."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help keeps rich's Markdown renderer (and markdown-it) out of `qsrkit --help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _run(action: Callable[[], T]) -> T:
    """The one place where errors become messages and exit codes."""
    from qsrkit import console

    try:
        return action()
    except QsrError as exc:
        console.error(exc)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        console.note("interrupted")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except typer.Exit:
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        console.internal_error(exc)
        raise typer.Exit(int(ExitCode.INTERNAL)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qsrkit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
) -> None:
    _state["debug"] = debug


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


def _config(path: Path | None) -> Any:
    from qsrkit.config import load_config

    return load_config(path).config


@app.command()
def new(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="File or folder to write. Default: <rep>-<quarter>.yaml in the current folder.",
            show_default=False,
        ),
    ] = None,
    rep: Annotated[str | None, typer.Option("--rep", help="The account executive's name.")] = None,
    quarter: Annotated[
        str | None, typer.Option("--quarter", help="The quarter to plan, e.g. 2026-Q4. Default: the current one.")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Last quarter's answers file: carries its personal goal, skill targets and plays "
            "into this quarter's reflection section.",
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    crm: CrmOption = None,
    team: Annotated[
        Path | None,
        typer.Option("--team", help="With --crm: write one file per rep into this folder.",
                     file_okay=False),
    ] = None,
    team_list: TeamListOption = None,
    columns: ColumnsOption = None,
    quotas: QuotasOption = None,
    as_of: AsOfOption = None,
    config: ConfigOption = None,
) -> None:
    """Write a blank answers file whose comments explain every answer.

    With --crm, the numbers a CRM opportunity export already knows (last quarter's revenue, win
    rate, deal size, weekly opportunities; this quarter's closed won, open pipeline, weeks to
    work) are filled in, each with a comment saying where it came from.

    Examples:

      qsrkit new --rep "Jordan Lee" --quarter 2026-Q4

      qsrkit new --crm export.csv --rep "Jordan Lee" --quotas quotas.csv

      qsrkit new --crm export.csv --team team/
    """
    from qsrkit import console

    if crm is not None or team is not None:
        _new_from_crm(path, rep, quarter, previous, force, crm, team, team_list, columns,
                      quotas, as_of, config)
        return
    if any(o is not None for o in (team_list, columns, quotas, as_of)):
        _run(lambda: _usage("--team-list, --columns, --quotas and --as-of go with --crm FILE"))
    from qsrkit.scaffold.writer import new_answers

    result = _run(
        lambda: new_answers(
            path, rep=rep, quarter=quarter, previous=previous, force=force, config=_config(config)
        )
    )
    console.success(f"wrote {result.path}")
    if result.schema_path:
        console.note(f"wrote {result.schema_path} (editors use it to complete and check answers)")
    console.note(f"next: fill it in, then run `qsrkit check {result.path}`")


def _usage(message: str) -> None:
    from qsrkit.errors import UsageError

    raise UsageError(message)


def _new_from_crm(path: Path | None, rep: str | None, quarter: str | None, previous: Path | None,
                  force: bool, crm: Path | None, team: Path | None, team_list: Path | None,
                  columns: Path | None, quotas: Path | None, as_of: str | None,
                  config: Path | None) -> None:
    from qsrkit import console
    from qsrkit.crm.prefill import CrmRequest
    from qsrkit.scaffold.team import new_from_crm, new_team

    def work() -> Any:
        if crm is None:
            _usage("--team needs --crm FILE: the export to take the reps and numbers from")
        assert crm is not None
        request = CrmRequest(export=crm, columns=columns, quotas=quotas, team_list=team_list,
                             quarter=quarter, as_of=as_of)
        if team is not None:
            if rep is not None or path is not None or previous is not None:
                _usage("--team writes every rep's file into its folder; leave out --rep, PATH "
                       "and --previous (or leave out --team to write one rep's file)")
            return new_team(team, request, force=force, config=_config(config))
        if rep is None:
            _usage('--crm needs --rep NAME (the owner as the export writes it), or --team DIR '
                   'for a file per rep')
        assert rep is not None
        return new_from_crm(path, request, rep=rep, previous=previous, force=force,
                            config=_config(config))

    result = _run(work)
    if team is None:
        console.success(f"wrote {result.path} ({result.prefilled} answers from the CRM export)")
        console.note(f"next: fill in the rest, then run `qsrkit check {result.path}`")
        return
    for message in result.notes:
        console.warning(message)
    for written in result.written:
        console.success(f"wrote {written.path}")
    for skipped in result.skipped:
        console.note(f"skipped {skipped}: it exists (use --force to replace it)")
    console.note(f"{len(result.written)} written, {len(result.skipped)} skipped")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Answers files to check.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    errors_only: Annotated[
        bool, typer.Option("--errors-only", help="Hide the warnings about unanswered fields.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 3) on warnings too.")] = False,
) -> None:
    """Check answers files and list every problem as file:line:col: field: message.

    Errors (exit 3) break a rule; warnings point at answers still missing. Exit 0 when every
    file is valid.

    Example: qsrkit check jordan-lee-2026-Q4.yaml
    """
    from qsrkit import console
    from qsrkit.answers.checking import check_files

    reports = _run(lambda: check_files(files))
    if errors_only:
        for report in reports:
            report.problems = report.errors
    failed = [r for r in reports if not r.valid or (strict and r.warnings)]
    if as_json:
        console.print_json({"valid": not failed, "files": [r.as_dict() for r in reports]})
    else:
        for report in reports:
            console.problems(report.problems)
        errors = sum(len(r.errors) for r in reports)
        warnings = sum(len(r.warnings) for r in reports)
        summary = (
            f"{len(reports)} file(s) checked: {len(reports) - len(failed)} ok, {len(failed)} failed "
            f"({errors} error(s), {warnings} warning(s))"
        )
        (console.note if failed else console.success)(summary)
    if failed:
        raise typer.Exit(int(ExitCode.INVALID_INPUT))


@app.command()
def calc(
    file: Annotated[
        Path | None,
        typer.Argument(help="An answers file to take the inputs from (flags override it).", show_default=False),
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

    def compute() -> tuple[list[calculator.TargetPlan], str]:
        answers = None
        symbol, default_targets, calendar = "$", list(calculator.DEFAULT_TARGETS), None
        if file is not None or config is not None or Path("qsrkit.yaml").is_file():
            org = _config(config)
            symbol, default_targets, calendar = org.currency_symbol, org.targets, org.calendar
        if file is not None:
            from qsrkit.answers.loading import load_answers

            answers = load_answers(file).model
        if calendar is None:
            from qsrkit.plan.fiscal import FiscalCalendar

            calendar = FiscalCalendar()
        inputs, targets = resolve(flags, answers, calendar, default_targets)
        return calculator.plan(inputs, targets), symbol

    plans, symbol = _run(compute)
    if as_json:
        console.print_json({"targets": [p.as_json() for p in plans]})
    else:
        console.plan_table(plans, symbol, title="Opportunity creation calculator")


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
                                       quarter=quarter, as_of=as_of), _config(config))
        if rep is not None:
            found.reps = [found.find(rep)]
        return found

    found = _run(work)
    if as_json:
        console.print_json({
            "file": found.file, "layout": found.layout, "rows": found.rows,
            "quarter": found.quarter, "previous_quarter": found.previous_quarter,
            "as_of": found.as_of.isoformat(), "reps": [r.as_json() for r in found.reps],
        })
        return
    for message in found.notes:
        console.warning(message)
    symbol = "$"
    if config is not None or Path("qsrkit.yaml").is_file():
        symbol = _run(lambda: _config(config).currency_symbol)
    console.metrics_table(found, symbol)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of printing.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
) -> None:
    """Print the JSON schema of the answers file, for editors that complete and check YAML.

    `qsrkit new` writes it beside new answers files as qsrkit-answers.schema.json.
    """
    from qsrkit import console
    from qsrkit.scaffold.writer import schema_json

    if output is None:
        sys.stdout.write(schema_json())
        return
    from qsrkit.fileio import write_atomic

    _run(lambda: write_atomic(output, schema_json().encode("utf-8"), force=force))
    console.success(f"wrote {output}")


@app.command()
def render(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Answers files to render (one or many).", show_default=False, dir_okay=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (one input only).", dir_okay=False),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Folder for the documents (created if missing). Default: "
                     "the current folder; names are <rep>-<quarter>-qsr.<format>.", file_okay=False),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="docx, md or html.")] = "docx",
    force: Annotated[bool, typer.Option("--force", help="Replace documents that exist.")] = False,
    blank: Annotated[
        bool, typer.Option("--blank", help="Render the empty template, with blanks to fill in.")
    ] = False,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Folder of custom templates (see `qsrkit templates export`).",
                     file_okay=False),
    ] = None,
    reference_doc: Annotated[
        Path | None,
        typer.Option("--reference-doc", help="A .docx whose styles, header and footer to use.",
                     dir_okay=False),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write the QSR document for each answers file.

    Unanswered fields show as blanks, so a half-filled file renders too. With many files, a bad
    one does not stop the rest; every failure is listed at the end. Exit codes: 0 all written,
    2 bad options, 3 an input (or template, or reference document) is invalid, 4 a document
    could not be written (it exists: use --force).

    Examples:

      qsrkit render jordan-lee-2026-Q4.yaml

      qsrkit render team/*.yaml --out-dir out

      qsrkit render --blank -o qsr-template.docx
    """
    from qsrkit import console
    from qsrkit.document import batch

    def work() -> list[batch.Outcome]:
        request = batch.prepare(
            files or [], output=output, out_dir=out_dir, blank=blank, fmt=fmt,
            templates=templates, reference=reference_doc, config_path=config,
        )
        for message in request.warnings:
            console.warning(message)
        with console.progress(len(request.jobs), "Rendering") as advance:
            return batch.render_all(
                request.jobs, request.options, out_dir=request.out_dir, force=force,
                on_done=lambda _: advance(),
            )

    outcomes = _run(work)
    for outcome in outcomes:
        console.problems(outcome.input_warnings)
        for message in outcome.warnings:
            console.warning(f"{outcome.source}: {message}")
        if outcome.ok:
            console.success(f"wrote {outcome.output}")
    failed = [o for o in outcomes if not o.ok]
    if failed:
        if len(outcomes) > 1:
            console.note(f"{len(failed)} of {len(outcomes)} file(s) failed:")
        for outcome in failed:
            console.render_failure(outcome)
        raise typer.Exit(int(batch.exit_code(outcomes)))


templates_app = typer.Typer(
    help="The templates behind the QSR document: copy them to make them your own.",
    no_args_is_help=True,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("export")
def templates_export(
    folder: Annotated[Path, typer.Argument(help="Folder to copy the templates into.", file_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace template files that exist.")] = False,
) -> None:
    """Copy the built-in document templates (qsr.md.j2, reference.docx) into FOLDER for editing.

    Then render with them: qsrkit render FILE --templates FOLDER (or `templates: FOLDER` in
    qsrkit.yaml). Exit codes: 0 copied, 4 a file exists (use --force) or cannot be written.

    Example: qsrkit templates export our-templates
    """
    from qsrkit import console
    from qsrkit.templates_store import export_templates

    written = _run(lambda: export_templates(folder, force=force))
    for path in written:
        console.success(f"wrote {path}")
    console.note(f"next: edit them, then `qsrkit render FILE --templates {folder}`")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
