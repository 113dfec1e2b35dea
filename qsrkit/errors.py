"""One family of errors for the whole core, and the exit codes the CLI maps them to.

Core modules raise these and never print or exit; `qsrkit.cli` catches them in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented process exit codes (README, "Exit codes")."""

    OK = 0
    INTERNAL = 1  # a bug in qsrkit: please report it
    USAGE = 2  # the command line itself is wrong (unknown option, missing argument)
    INVALID_INPUT = 3  # an input file or value breaks a rule; the message says which
    WRITE_FAILED = 4  # an output could not be written (exists, read-only, disk full)
    HANGUP = 129  # SIGHUP (128 + 1): the terminal or session that ran qsrkit went away
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + 15): a script, a scheduler or `kill` stopped qsrkit


@dataclass(frozen=True)
class Problem:
    """One finding about an input, located as precisely as we can."""

    file: str
    line: int  # 1-based; 0 when the problem is about the file as a whole
    column: int  # 1-based; 0 when unknown
    field: str  # dotted path such as `previous_quarter.metrics.quota`, or "" for the file
    message: str
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = self.field or "(file)"
        return f"{where}: {field}: {self.severity}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "severity": self.severity,
            "message": self.message,
        }


class Stopped(BaseException):
    """A signal (SIGTERM, SIGHUP) asked qsrkit to stop: clean up, like Ctrl-C, and exit 128+N.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way up
    swallows it; `finally` blocks still remove temp files and stop worker processes.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class QsrError(Exception):
    """Base of every error qsrkit reports to a user."""

    exit_code: ExitCode = ExitCode.INVALID_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(QsrError):
    """The options given do not make sense together, or a required one is missing."""

    exit_code = ExitCode.USAGE


class InvalidInput(QsrError):
    """An input file or value breaks a rule. Carries every problem found, not just the first."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(message or f"{len(errors)} problem(s) found")
        self.problems = problems

    @classmethod
    def at(cls, file: str, message: str, *, line: int = 0, column: int = 0,
           field: str = "") -> InvalidInput:
        """One located problem; `message` says what is wrong and what to do about it."""
        return cls([Problem(file, line, column, field, message)])


class TemplateError(InvalidInput):
    """A custom (or built-in) template cannot be read, compiled or rendered."""


class ReferenceDocError(InvalidInput):
    """A --reference-doc file cannot be used as a template (field: the part inside the .docx)."""


def unreadable(name: str, exc: OSError, kind: str = "file") -> InvalidInput:
    """The located problem for an input that the OS would not let us read."""
    if isinstance(exc, FileNotFoundError):
        message = "no such file; check the path"
    elif isinstance(exc, IsADirectoryError):
        message = f"is a folder, not a {kind}"
    elif isinstance(exc, PermissionError):
        message = "cannot be read (permission denied)"
    else:
        message = f"cannot be read: {exc.strerror or exc}"
    return InvalidInput([Problem(name, 0, 0, "", message)])


class CalculationError(QsrError):
    """The calculator's inputs cannot give a meaningful answer (win rate 0, no weeks left)."""

    exit_code = ExitCode.INVALID_INPUT


class WriteError(QsrError):
    """An output file could not be written; nothing was created or replaced."""

    exit_code = ExitCode.WRITE_FAILED
