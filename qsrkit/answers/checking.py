"""`qsrkit check`: validate many answers files and collect every problem in each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qsrkit.answers.checkin_rules import check_in_problems
from qsrkit.answers.timing import early_as_of
from qsrkit.answers.yamlsource import dotted
from qsrkit.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers
    from qsrkit.answers.screenshots import Folder


@dataclass
class FileReport:
    file: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "valid": self.valid,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.as_dict() for p in self.problems],
        }


def check_file(path: Path, shared: Folder | None = None,
               quarter_start: Callable[[str], dt.date] | None = None,
               answers_class: type[Answers] | None = None) -> FileReport:
    """Every problem of one answers file, with each screenshot checked as `render` checks it
    (inside the file's folder or the org's `shared` screenshots folder, a real picture)."""
    from qsrkit.answers.loading import load_answers
    from qsrkit.answers.models import Answers
    from qsrkit.answers.screenshots import Folder, load_screenshot

    report = FileReport(str(path))
    try:
        loaded = load_answers(path, with_warnings=True, model=answers_class or Answers)
    except InvalidInput as exc:
        report.problems.extend(exc.problems)
        return report
    report.problems.extend(loaded.warnings)
    model = loaded.model
    if quarter_start is not None and model.quarter and model.current_quarter.calculator.as_of:
        early = early_as_of(model.current_quarter.calculator.as_of, model.quarter,
                            quarter_start(model.quarter))
        if early is not None:
            at = ("current_quarter", "calculator", "as_of")
            line, col = loaded.document.position(at)
            report.problems.append(Problem(str(path), line, col, dotted(at), early,
                                           severity="warning"))
    report.problems.extend(check_in_problems(model, loaded.document, quarter_start))
    folders = [Folder(path.parent, "the answers file's folder"), *([shared] if shared else [])]
    for index, board in enumerate(loaded.model.current_quarter.dashboards):
        if not board.screenshot:
            continue
        picture = load_screenshot(board.screenshot, path.parent, folders)
        if isinstance(picture, str):
            field = ("current_quarter", "dashboards", index, "screenshot")
            line, col = loaded.document.position(field)
            report.problems.append(Problem(str(path), line, col, dotted(field), picture,
                                           severity="warning"))
    return report


def check_files(paths: list[Path], shared: Folder | None = None,
                quarter_start: Callable[[str], dt.date] | None = None,
                model: type[Answers] | None = None) -> list[FileReport]:
    """`shared`: the org config's screenshots folder, where answers files may name pictures too;
    `quarter_start`: the org's fiscal calendar, to check that numbers are from the quarter;
    `model`: the answers model with the org's added questions."""
    return [check_file(p, shared, quarter_start, model) for p in paths]
