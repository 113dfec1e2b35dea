"""`qsrkit check`: validate many answers files and collect every problem in each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qsrkit.errors import InvalidInput, Problem


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


def check_file(path: Path) -> FileReport:
    from qsrkit.answers.loading import load_answers

    report = FileReport(str(path))
    try:
        loaded = load_answers(path, with_warnings=True)
    except InvalidInput as exc:
        report.problems.extend(exc.problems)
        return report
    report.problems.extend(loaded.warnings)
    for index, board in enumerate(loaded.model.current_quarter.dashboards):
        if board.screenshot and not (path.parent / board.screenshot).is_file():
            line, col = loaded.document.position(("current_quarter", "dashboards", index, "screenshot"))
            report.problems.append(
                Problem(str(path), line, col, f"current_quarter.dashboards[{index}].screenshot",
                        f"no image at {board.screenshot} (paths are relative to this file); "
                        "the document will show the link only", severity="warning")
            )
    return report


def check_files(paths: list[Path]) -> list[FileReport]:
    return [check_file(p) for p in paths]
