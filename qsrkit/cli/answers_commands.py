"""`qsrkit new`, `check` and `schema`: writing and checking answers files."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from qsrkit.cli.application import app, org_config, run, usage_error
from qsrkit.cli.options import (
    AsOfOption,
    ColumnsOption,
    ConfigOption,
    CrmOption,
    QuotasOption,
    TeamListOption,
    TrailingOption,
)
from qsrkit.errors import ExitCode


@app.command()
def new(
    path: Annotated[
        str | None,
        typer.Argument(
            help="File or folder to write (a trailing / means a folder). Default: "
            "<rep>-<quarter>.yaml in the current folder.",
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
    trailing: TrailingOption = 1,
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

    # Path() drops a trailing slash, and with it the user's word that this is a folder.
    into_folder = path is not None and path.endswith(("/", os.sep))
    target = Path(path) if path is not None else None
    if crm is not None or team is not None:
        _new_from_crm(target, into_folder, rep, quarter, previous, force, crm, team, team_list,
                      columns, quotas, as_of, config, trailing)
        return
    if any(o is not None for o in (team_list, columns, quotas, as_of)) or trailing != 1:
        run(lambda: usage_error("--team-list, --columns, --quotas, --as-of and --trailing go with "
                                "--crm FILE"))
    from qsrkit.scaffold.writer import new_answers

    result = run(
        lambda: new_answers(
            target, rep=rep, quarter=quarter, previous=previous, force=force,
            config=org_config(config), into_folder=into_folder,
            inputs=[(config, "org config")] if config is not None else [],
        )
    )
    console.success(f"wrote {result.path}")
    if result.schema_path:
        console.note(f"wrote {result.schema_path} (editors use it to complete and check answers)")
    console.note(f"next: fill it in, then run `qsrkit check {result.path}`")


def _new_from_crm(path: Path | None, into_folder: bool, rep: str | None, quarter: str | None, previous: Path | None,
                  force: bool, crm: Path | None, team: Path | None, team_list: Path | None,
                  columns: Path | None, quotas: Path | None, as_of: str | None,
                  config: Path | None, trailing: int = 1) -> None:
    from qsrkit import console
    from qsrkit.crm.prefill import CrmRequest
    from qsrkit.scaffold.team import new_with_crm

    def work() -> Any:
        if crm is None:
            usage_error("--team needs --crm FILE: the export to take the reps and numbers from")
        assert crm is not None
        request = CrmRequest(export=crm, columns=columns, quotas=quotas, team_list=team_list,
                             quarter=quarter, as_of=as_of, trailing=trailing)
        return new_with_crm(path, request, rep=rep, previous=previous, team=team, force=force,
                            config=org_config(config), into_folder=into_folder)

    result = run(work)
    console.problems(result.warnings)
    for message in result.notes:
        console.warning(message)
    if result.single is not None:
        single = result.single
        console.success(f"wrote {single.path} ({single.prefilled} answers from the CRM export)")
        console.note(f"next: fill in the rest, then run `qsrkit check {single.path}`")
        return
    for written in result.team.written:
        console.success(f"wrote {written.path}")
    for skipped in result.team.skipped:
        console.note(f"skipped {skipped}: it exists (use --force to replace it)")
    console.note(f"{len(result.team.written)} written, {len(result.team.skipped)} skipped")


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Answers files to check.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    errors_only: Annotated[
        bool, typer.Option("--errors-only", help="Hide the warnings about unanswered fields.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 3) on warnings too.")] = False,
    config: ConfigOption = None,
) -> None:
    """Check answers files and list every problem as file:line:col: field: message.

    Errors (exit 3) break a rule; warnings point at answers still missing, listed even in a file
    with errors. The findings and the summary go to standard output, as a linter's do. Exit 0
    when every file is valid.

    Example: qsrkit check jordan-lee-2026-Q4.yaml
    """
    from qsrkit import console
    from qsrkit.answers.checking import check_files
    from qsrkit.answers.screenshots import Folder
    from qsrkit.filenames import without_logs

    def work() -> Any:
        # The org's screenshots folder is where answers files may name pictures too.
        org = org_config(config)
        shared = org.screenshots_path
        folder = Folder(shared, "the org's screenshots_folder") if shared is not None else None
        return check_files(answers, folder, lambda quarter: org.calendar.quarter_bounds(quarter)[0],
                           org.answers_model)

    answers, logs = run(lambda: without_logs(files))
    for note in logs:
        console.note(note)
    reports = run(work)
    if errors_only:
        for report in reports:
            report.problems = report.errors
    failed = [r for r in reports if not r.valid or (strict and r.warnings)]
    if as_json:
        console.print_json({"valid": not failed, "files": [r.as_dict() for r in reports]})
    else:
        # The findings are check's output, so they go to stdout as a linter's do:
        # `qsrkit check team/*.yaml > status.txt` keeps every line.
        for report in reports:
            console.problems(report.problems, to_stdout=True)
        errors = sum(len(r.errors) for r in reports)
        warnings = sum(len(r.warnings) for r in reports)
        summary = (
            f"{len(reports)} file(s) checked: {len(reports) - len(failed)} ok, {len(failed)} failed "
            f"({errors} error(s), {warnings} warning(s))"
        )
        (console.summary if failed else console.success)(summary)
    if failed:
        raise typer.Exit(int(ExitCode.INVALID_INPUT))


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of printing.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    config: ConfigOption = None,
) -> None:
    """Print the JSON schema of the answers file, for editors that complete and check YAML.

    `qsrkit new` writes it beside new answers files as qsrkit-answers.schema.json. The
    questions your org adds in qsrkit.yaml are part of it.
    """
    from qsrkit import console
    from qsrkit.scaffold.writer import schema_json

    text = run(lambda: schema_json(org_config(config).answers_model))
    if output is None:
        sys.stdout.write(text)
        return
    from qsrkit.fileio import write_atomic

    run(lambda: write_atomic(output, text.encode("utf-8"), force=force))
    console.success(f"wrote {output}")
