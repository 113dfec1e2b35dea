"""`qsrkit check-in`: the monthly check-in appended to the answers file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qsrkit.cli.application import app, org_config, run
from qsrkit.cli.options import ColumnsOption, ConfigOption


@app.command("check-in")
def check_in(
    file: Annotated[Path, typer.Argument(help="The answers file (the entry is appended in "
                                         "place).", dir_okay=False, show_default=False)],
    crm: Annotated[Path | None, typer.Option("--crm", help="A CRM opportunity export (CSV) "
                                             "for closed won and open pipeline. Default: the "
                                             "file's calculator figures.",
                                             dir_okay=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The date of the check-in "
                                              "(YYYY-MM-DD), in the file's quarter and after "
                                              "its last check-in. Default: today.")] = None,
    columns: ColumnsOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the entry and the figures; "
                                          "write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the entry and the figures as "
                                          "JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Append this month's check-in to an answers file, and show where the quarter stands.

    The entry is dated --as-of (default today), with closed won and open pipeline from --crm
    for the file's rep and quarter (else copied from the file's calculator), each of this
    quarter's skills with its actual so far left blank, and each play with a blank status (on
    track, at risk, done or dropped) and note, for you to fill in. Every other byte of the
    file stays as it was. The calculator is re-run for the weeks left: the opportunities a week
    you need now against the QSR's plan and the last check-in, and the pace against a straight
    line to each target. Exit codes: 0 added (or shown, with --dry-run), 2 bad option or a date
    outside the quarter, 3 the file has errors, the date is not after the last check-in, or the
    export is from another time or lacks the rep, 4 the file cannot be written.

    Examples:

      qsrkit check-in avery-quinn-2026-Q4.yaml --crm export.csv --as-of 2026-11-02

      qsrkit check-in avery-quinn-2026-Q4.yaml --dry-run
    """
    from qsrkit import console
    from qsrkit.crm.prefill import CrmRequest
    from qsrkit.living.checkin_report import as_json as facts
    from qsrkit.living.checkin_report import lines
    from qsrkit.living.checkins import check_in as work_out
    from qsrkit.living.checkins import write

    settings = run(lambda: org_config(config))
    request = CrmRequest(export=crm, columns=columns) if crm is not None else None
    found = run(lambda: work_out(file, settings, as_of=as_of, request=request))
    console.problems(found.warnings)
    for message in found.notes:
        console.warning(message)
    if not dry_run:
        run(lambda: write(found))
    if as_json:
        console.print_json(facts(found, written=not dry_run))
    else:
        for line in lines(found, settings.currency_symbol, written=not dry_run):
            console.summary(line)
    if dry_run:
        console.note(f"--dry-run: {file} was not changed")
    elif not as_json:
        console.success(f"added the check-in of {found.day.isoformat()} to {file}; fill in the "
                        "skills, the plays' status and the audibles agreed")
