"""`qsrkit team`: the manager's pack over a team's answers files, or `--status` for readiness."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qsrkit.cli.application import app, org_config, run
from qsrkit.cli.options import AsOfOption, ConfigOption, CrmOption, no_standard_output


@app.command()
def team(
    paths: Annotated[
        list[Path],
        typer.Argument(help="The team's folder of answers files, or the files themselves.",
                       show_default=False),
    ],
    team_list: Annotated[
        Path | None,
        typer.Option("--team-list", help="A text file with one rep name a line: the reps "
                     "expected (default: `team:` in qsrkit.yaml, else the files found).",
                     dir_okay=False),
    ] = None,
    crm: CrmOption = None,
    history: Annotated[
        Path | None,
        typer.Option("--history", help="With --crm: a folder of weekly snapshots, as for "
                     "`qsrkit diagnose`.", file_okay=False),
    ] = None,
    previous_dir: Annotated[
        Path | None,
        typer.Option("--previous-dir", help="Last quarter's answers files: what each rep said "
                     "they would do.", file_okay=False),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="docx, md, html or json. Default: from -o's "
                     "extension, else docx."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The pack's file (default: team-pack-<quarter>."
                     "<format>; json without -o prints to standard output).", dir_okay=False),
    ] = None,
    status: Annotated[
        bool, typer.Option("--status", help="Print the readiness table only; exit 3 when a rep "
                           "is late, has errors or has no file.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the facts as JSON (with "
                                          "--status: readiness only).")] = False,
    team_quota: Annotated[
        str | None,
        typer.Option("--team-quota", help="The team's number for the quarter (default: "
                     "`team_quota:` in qsrkit.yaml).", metavar="AMOUNT"),
    ] = None,
    as_of: AsOfOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing pack.")] = False,
    config: ConfigOption = None,
) -> None:
    """The manager's team pack: readiness, the team at a glance and a page per rep.

    A rep is late when the QSR is not ready (errors, or answers still blank) after its send-by
    date, two days before the review. Files with errors are listed and the rest still make the
    pack. Exit codes: 0 written (or, with --status, everyone ready or in progress), 2 bad
    option, 3 with --status: a rep is late, has errors or has no file (or an input such as the
    team list or the CRM export is invalid), 4 the pack cannot be written.

    Examples:

      qsrkit team team/ --status --as-of 2026-10-05

      qsrkit team team/ --team-list reps.txt -o pack.docx

      qsrkit team team/ --previous-dir last-quarter/ --crm export.csv -f html -o pack.html
    """
    from qsrkit import console
    from qsrkit.team import pack as core

    request = core.TeamRequest(inputs=list(paths), team_list=team_list, crm=crm,
                               history=history, previous_dir=previous_dir,
                               team_quota=team_quota, as_of=as_of)
    settings = run(lambda: org_config(config))
    if status:
        ready = run(lambda: core.readiness(request, settings))
        for note in ready.notes:
            console.warning(note)
        if as_json:
            console.print_json(core.readiness_json(ready))
        else:
            console.problems(ready.problems)
            console.team_status(ready)
        if ready.needs_attention:
            raise typer.Exit(3)
        return

    from qsrkit.team.output import output_kind, save_pack

    found = run(lambda: core.build(request, settings))
    console.problems(found.readiness.problems)
    for note in found.readiness.notes:
        console.warning(note)
    kind = run(lambda: output_kind("json" if as_json and fmt is None else fmt, output))
    if kind == "json" and output is None:
        console.print_json(core.pack_json(found))
        return
    run(lambda: no_standard_output(output, "team", ", or use --json (without -o) for "
                                   "standard output"))
    target = output or Path(f"team-pack-{found.readiness.quarter or 'qsr'}.{kind}")
    warnings = run(lambda: save_pack(found, settings, request, kind=kind, target=target,
                                     force=force))
    for message in warnings:
        console.warning(message)
    counts = found.readiness.counts
    console.success(f"wrote {target}: {len(found.readiness.reps)} rep(s), {counts['ready']} "
                    f"ready, {counts['in progress']} in progress, {counts['late']} late, "
                    f"{counts['missing']} missing")
