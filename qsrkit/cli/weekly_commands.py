"""`qsrkit one-on-one`: the weekly 1:1 log kept beside the QSR, and its document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qsrkit.cli.application import app, org_config, run
from qsrkit.cli.options import ColumnsOption, ConfigOption, no_standard_output

if TYPE_CHECKING:
    from typing import Any


@app.command("one-on-one")
def one_on_one(
    file: Annotated[Path, typer.Argument(help="The rep's answers file (the QSR); the log is "
                                         "<rep>-<quarter>-1on1.yaml beside it.",
                                         dir_okay=False, show_default=False)],
    crm: Annotated[Path | None, typer.Option(
        "--crm", help="This week's CRM export (CSV): opportunities created this week.",
        dir_okay=False)] = None,
    since: Annotated[Path | None, typer.Option(
        "--since", help="An older export (last week's, say): with --crm, the pipeline changes "
        "since then.", dir_okay=False)] = None,
    date: Annotated[str | None, typer.Option(
        "--date", help="The day of the 1:1 (YYYY-MM-DD). Default: today.")] = None,
    columns: ColumnsOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the entry; write "
                                          "nothing.")] = False,
    render: Annotated[bool, typer.Option("--render", help="Write the log as a document "
                                         "(newest week first) instead of adding a week.")] = False,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="With --render: docx, md or html. Default: from -o's "
        "extension, else docx.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="With --render: the file to write (default: the log's name "
        "with .docx, .md or .html).", dir_okay=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="With --render: replace an existing "
                                        "document.")] = False,
    config: ConfigOption = None,
) -> None:
    """Add this week's entry to the rep's weekly 1:1 log, or render the log.

    The log (<rep>-<quarter>-1on1.yaml beside FILE) is created on first use. Each run adds a
    week at its end, keeping every byte already there: last week's objectives and next steps
    not marked done carry forward as this week's objectives; blanks wait for the rep's and the
    manager's topics and the next steps; with --crm, the opportunities the rep created in the
    7 days up to --date sit beside the weekly need from the QSR's calculator, and with --since
    the changes in the rep's open pipeline. Exit codes: 0 added (or rendered), 2 bad option,
    3 FILE, the log or an export has problems, 4 the file cannot be written.

    Examples:

      qsrkit one-on-one avery-quinn-2026-Q4.yaml --crm 2026-10-12.csv --since 2026-10-05.csv

      qsrkit one-on-one avery-quinn-2026-Q4.yaml --date 2026-10-19 --dry-run

      qsrkit one-on-one avery-quinn-2026-Q4.yaml --render -o 1on1.docx
    """
    settings = run(lambda: org_config(config))
    if render:
        _render(file, settings, fmt, output, force,
                extra={"--crm": crm, "--since": since, "--date": date, "--dry-run": dry_run})
        return
    _add(file, settings, crm, since, date, columns, dry_run, rendering={
        "--format": fmt, "--output": output, "--force": force})


def _refuse(given: dict[str, object], why: str) -> None:
    from qsrkit.errors import UsageError

    used = [name for name, value in given.items() if value not in (None, False)]
    if used:
        raise UsageError(f"{', '.join(used)} {why}")


def _add(file: Path, settings: Any, crm: Path | None, since: Path | None, date: str | None,
         columns: Path | None, dry_run: bool, rendering: dict[str, object]) -> None:
    from qsrkit import console
    from qsrkit.living.weekly import WeekRequest, add_week, write

    run(lambda: _refuse(rendering, "go with --render only"))
    if since is not None and crm is None:
        run(lambda: _refuse({"--since": since}, "needs --crm: the pipeline changes are from "
                            "the older export to this week's"))
    request = WeekRequest(answers_file=file, crm=crm, since=since, columns=columns, day=date)
    added = run(lambda: add_week(request, settings))
    console.problems(added.warnings)
    for message in added.numbers.notes:
        console.warning(message)
    if dry_run:
        console.summary(added.text.rstrip("\r\n"))
        console.note(f"--dry-run: {added.log} was not {'created' if added.new_log else 'changed'}")
        return
    run(lambda: write(added))
    what = "started" if added.new_log else "added to"
    console.success(f"{what} {added.log}: the week of {added.day.isoformat()}, "
                    f"{len(added.carried)} open item(s) carried forward")
    for item in added.carried:
        console.summary(f"  carried: {item.objective}" + (f" ({item.owner}" + (
            f", due {item.due.isoformat()})" if item.due else ")") if item.owner else ""))


def _render(file: Path, settings: Any, fmt: str | None, output: Path | None, force: bool,
            extra: dict[str, object]) -> None:
    from qsrkit import console
    from qsrkit.living.weekly_view import render_log

    run(lambda: _refuse(extra, "add a week; leave them out with --render"))

    def write() -> tuple[Path, int]:
        from qsrkit.fileio import write_atomic

        no_standard_output(output, "one-on-one --render", "")
        target, data, weeks, warnings = render_log(file, settings, fmt, output)
        for warning in warnings:
            console.warning(warning)
        write_atomic(target, data, force=force)
        return target, weeks

    target, weeks = run(write)
    console.success(f"wrote {target} ({weeks} week(s), newest first)")
