"""The rules across the entries of `check_ins:`, as `qsrkit check` reports them.

Entries are kept oldest first, one a day, every date inside the file's quarter; each skill and
play an entry names is one of the file's (`skill_development`, `current_quarter.plays`), so the
history reads against the plan. Each finding is an error at its line. Nothing here prints,
renders or reads a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from qsrkit.answers.checkins import name_key
from qsrkit.answers.parse import shown
from qsrkit.errors import Problem

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers
    from qsrkit.answers.yamlsource import YamlDocument


def next_quarter_name(quarter: str) -> str:
    """`2026-Q4` → `2027-Q1`: fiscal quarters are numbered alike whatever the calendar."""
    match = re.fullmatch(r"(\d{4})-Q([1-4])", quarter)
    if not match:
        raise ValueError(quarter)
    year, number = int(match[1]), int(match[2])
    return f"{year + number // 4}-Q{number % 4 + 1}"


def check_in_problems(answers: Answers, document: YamlDocument,
                      quarter_start: Callable[[str], dt.date] | None) -> list[Problem]:
    """Every check-in dated out of order or outside the quarter, and every skill or play that
    is not one of the file's, located at its line."""
    found: list[Problem] = []

    def problem(path: tuple[str | int, ...], message: str) -> None:
        from qsrkit.answers.yamlsource import dotted

        line, column = document.position(path)
        found.append(Problem(document.file, line, column, dotted(path), message))

    bounds = _bounds(answers.quarter, quarter_start)
    skills = [s.skill for s in answers.skill_development if s.skill]
    plays = [p.headline for p in answers.current_quarter.plays if p.headline]
    last: tuple[dt.date, int] | None = None
    for index, entry in enumerate(answers.check_ins):
        here: tuple[str | int, ...] = ("check_ins", index)
        if entry.date is not None:
            if last is not None and entry.date <= last[0]:
                line = document.position(("check_ins", last[1], "date"))[0]
                same = "the same day as" if entry.date == last[0] else "before"
                problem((*here, "date"), f"{entry.date.isoformat()} is {same} the check-in above "
                        f"it ({last[0].isoformat()}, line {line}); check-ins are kept oldest "
                        "first, one a day: correct the date or move the entry")
            if bounds is not None and not bounds[0] <= entry.date <= bounds[1]:
                problem((*here, "date"), f"{entry.date.isoformat()} is outside {answers.quarter} "
                        f"({bounds[0].isoformat()} to {bounds[1].isoformat()}); a check-in "
                        "reviews this quarter's plan: correct the date")
            last = (entry.date, index) if last is None or entry.date > last[0] else last
        for number, skill in enumerate(entry.skills):
            if skill.skill and not _known(skill.skill, skills):
                problem((*here, "skills", number, "skill"), _unknown(
                    skill.skill, "skill", skills, "skill_development", "skill"))
        for number, play in enumerate(entry.plays):
            if play.headline and not _known(play.headline, plays):
                problem((*here, "plays", number, "headline"), _unknown(
                    play.headline, "play", plays, "current_quarter.plays", "headline"))
    return found


def _bounds(quarter: str | None,
            quarter_start: Callable[[str], dt.date] | None) -> tuple[dt.date, dt.date] | None:
    if quarter is None or quarter_start is None:
        return None
    try:
        end = quarter_start(next_quarter_name(quarter)) - dt.timedelta(days=1)
        return quarter_start(quarter), end
    except (ValueError, OverflowError):  # the last quarter Python's dates can count to
        return None


def _known(name: str, names: Iterable[str]) -> bool:
    return name_key(name) in {name_key(n) for n in names}


def _unknown(name: str, kind: str, names: list[str], where: str, key: str) -> str:
    if not names:
        return (f"'{shown(name)}' is not one of this quarter's {kind}s: {where} names none "
                f"yet; add it there first")
    listed = ", ".join(f"'{shown(n)}'" for n in names)
    return (f"'{shown(name)}' is not one of this quarter's {kind}s ({where}: {listed}); write "
            f"the {key} as it is there, or change {where} if the plan changed")
