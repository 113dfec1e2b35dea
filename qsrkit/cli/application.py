"""The `qsrkit` command line. Each command parses its options, makes one call into the core and
prints the result; errors from the core are turned into messages and exit codes in `run`.

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
from qsrkit.errors import ExitCode, QsrError, Stopped

T = TypeVar("T")

app = typer.Typer(
    name="qsrkit",
    help=(
        "Turn a seller's answers into a finished Quarterly Sales Review (QSR).\n\n"
        "A seller runs `qsrkit new` for a blank answers file, fills it in, runs `qsrkit check` "
        "and `qsrkit calc`, then `qsrkit render` for the Word document.\n\n"
        "Exit codes: 0 ok, 1 internal error, 2 usage, 3 invalid input, 4 could not write, "
        "129/130/143 stopped by a hang-up, Ctrl-C or SIGTERM."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help keeps rich's Markdown renderer (and markdown-it) out of `qsrkit --help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def run(action: Callable[[], T]) -> T:
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
    except Stopped as stop:
        console.note(f"stopped by {_signal_name(stop.signum)}")
        raise typer.Exit(stop.exit_code) from None
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


def org_config(path: Path | None) -> Any:
    from qsrkit.config import load_config

    return load_config(path).config


def usage_error(message: str) -> None:
    from qsrkit.errors import UsageError

    raise UsageError(message)


def _signal_name(signum: int) -> str:
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:  # pragma: no cover - only the signals below are caught
        return f"signal {signum}"


def _stop(signum: int, _frame: object) -> None:
    import signal

    # A second signal while cleaning up ends the process the usual way.
    signal.signal(signum, signal.SIG_DFL)
    raise Stopped(signum)


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP end qsrkit as Ctrl-C does: workers stopped, temp files removed."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)


def main() -> None:
    _stop_on_signals()
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    except Stopped as stop:
        sys.stderr.write(f"stopped by {_signal_name(stop.signum)}\n")
        sys.exit(stop.exit_code)
