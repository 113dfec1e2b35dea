"""`qsrkit render` and `qsrkit templates export`: the QSR documents and the templates behind them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from qsrkit.cli.application import app, run
from qsrkit.cli.options import AsOfOption, ColumnsOption, ConfigOption


@app.command()
def render(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Answers files to render (one or many).", show_default=False, dir_okay=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The file to write (one input only); - writes the "
                     "document to standard output.", dir_okay=False, allow_dash=True),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Folder for the documents (created if missing). Default: "
                     "the current folder; names are <rep>-<quarter>-qsr.<format>.", file_okay=False),
    ] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="docx, md, html or pdf (pdf needs LibreOffice). Default: from "
        "-o's extension (-o qsr.md writes Markdown), else docx.", show_default=False)] = None,
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
    crm: Annotated[
        Path | None,
        typer.Option("--crm", help="A CRM opportunity export (CSV): Section 4 gets each rep's "
                     "dashboards from it (pipeline by stage, win rate, days to close, the deals "
                     "to clean up, opportunities created per week).", dir_okay=False),
    ] = None,
    columns: ColumnsOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write the QSR document for each answers file.

    Unanswered fields show as blanks, so a half-filled file renders too. With many files, a bad
    one does not stop the rest; every failure is listed at the end. With several files, a
    document that exists is skipped and listed (--force replaces it); with one, it is an error.
    No document ever replaces one of the run's inputs, even with --force. Exit codes: 0 all
    written or skipped, 2 bad options, 3 an input (or template, or reference document) is
    invalid, 4 a document could not be written (one file that exists: use --force).

    Examples:

      qsrkit render jordan-lee-2026-Q4.yaml

      qsrkit render team/*.yaml --out-dir out

      qsrkit render --blank -o qsr-template.docx

      qsrkit render jordan-lee-2026-Q4.yaml -f md -o - | less

      qsrkit render team/*.yaml --crm export.csv --as-of 2026-10-05 -f pdf --out-dir out
    """
    from qsrkit import console
    from qsrkit.document import batch

    def work() -> list[batch.Outcome]:
        request = batch.prepare(
            files or [], output=output, out_dir=out_dir, blank=blank, fmt=fmt,
            templates=templates, reference=reference_doc, config_path=config,
            stdout_is_terminal=sys.stdout.isatty(), crm=crm, columns=columns, as_of=as_of,
        )
        for message in request.warnings:
            console.warning(message)
        with console.progress(len(request.jobs), "Rendering") as advance:
            return batch.render_all(
                request.jobs, request.options, out_dir=request.out_dir, force=force,
                on_done=lambda _: advance(), inputs=request.inputs,
                to_stdout=request.to_stdout,
            )

    outcomes = run(work)
    for outcome in outcomes:
        console.problems(outcome.input_warnings)
        for message in outcome.warnings:
            console.warning(f"{outcome.source}: {message}")
        if outcome.document is not None:
            sys.stdout.buffer.write(outcome.document)
            sys.stdout.flush()
        elif outcome.skipped:
            console.note(f"skipped {outcome.output}: it exists (use --force to replace it)")
        elif outcome.ok:
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
    """Copy the built-in templates into FOLDER for editing: qsr.md.j2, reference.docx, team.md.j2,
    coaching.md.j2 and tendencies.yaml.

    Then render with them: qsrkit render FILE --templates FOLDER (or `templates: FOLDER` in
    qsrkit.yaml). Exit codes: 0 copied, 4 a file exists (use --force) or cannot be written.

    Example: qsrkit templates export our-templates
    """
    from qsrkit import console
    from qsrkit.templates_store import export_templates

    written = run(lambda: export_templates(folder, force=force))
    for path in written:
        console.success(f"wrote {path}")
    console.note(f"next: edit them, then `qsrkit render FILE --templates {folder}`")
