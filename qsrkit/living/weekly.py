"""`qsrkit one-on-one FILE`: the weekly 1:1 log kept beside the QSR, one entry a week.

The seed's weekly 1:1 keeps a record so no meeting starts from scratch: the rep's topics first,
then the manager's, last week's objectives with done / not done, next steps with owners and
dates, and the date last updated. Here each run adds this week's entry at the end of the log
(`<rep>-<quarter>-1on1.yaml`, created with a header on first use):

- **objectives**: every objective and next step of the last entry not marked `done: yes`,
  carried forward with its owner, due date and the week it was first agreed;
- **numbers**: this week's opportunities created against the QSR's weekly need, and the
  pipeline changes since an older export (`weekly_numbers`);
- blanks for the topics and next steps, filled in during the meeting.

The new entry is appended as text, so every byte already in the file stays as it was; the
result is read back and must hold the old entries unchanged plus the new one. A log of another
rep or quarter than FILE, a date not after the last entry's, or a log broken by hand is refused
with its file, line and field. Nothing here prints; `write` replaces the file atomically.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.errors import InvalidInput, Problem, UsageError, unreadable
from qsrkit.living.weekly_log import Objective, WeeklyLog, last_week, log_path, read_log

if TYPE_CHECKING:
    from qsrkit.answers.loading import Loaded
    from qsrkit.answers.models import Answers
    from qsrkit.answers.yamlsource import YamlDocument
    from qsrkit.living.weekly_numbers import WeekNumbers


@dataclass
class WeekRequest:
    answers_file: Path
    crm: Path | None = None
    since: Path | None = None
    columns: Path | None = None
    day: str | None = None  # YYYY-MM-DD as typed; default today


@dataclass
class Added:
    """A week worked out and ready to write (nothing written yet)."""

    log: Path
    new_log: bool
    rep: str
    quarter: str
    day: dt.date
    text: str  # the appended text (the whole file for a new log)
    data: bytes  # the whole file as it will be
    carried: list[Objective]
    numbers: WeekNumbers
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class OpenLog:
    """A log read and checked against its QSR."""

    path: Path
    answers: Answers
    answers_doc: YamlDocument  # where each answer stands, to locate messages about FILE
    log: WeeklyLog | None  # None when the file does not exist yet
    raw: bytes
    text: str
    weeks_at: tuple[int, int]  # where `weeks:` or its last entry starts (line, column)
    warnings: list[Problem]


def open_log(answers_file: Path, config: Any) -> OpenLog:
    """The QSR `answers_file` and its 1:1 log (if any), checked to belong together."""
    from qsrkit.answers.loading import load_answers
    from qsrkit.filenames import slug

    loaded = load_answers(answers_file, model=config.answers_model)
    answers = loaded.model
    _require(loaded, answers_file)
    path = log_path(answers_file, slug(answers.account_executive or ""), answers.quarter or "")
    if not path.exists():
        if path.is_symlink():  # writing would follow the link: say where it leads instead
            raise InvalidInput.at(str(path), f"is a link that leads to {os.readlink(path)}, which "
                                  "does not exist; put the log back there, or delete the link to start "
                                  "a new log")
        return OpenLog(path, answers, loaded.document, None, b"", "", (0, 0), [])
    raw, text = _read(path)
    log, document, warnings = read_log(text, str(path))
    _belongs(log, document, answers, str(path), str(answers_file))
    weeks = log.weeks or []
    at = document.position(("weeks", len(weeks) - 1) if weeks else ("weeks",))
    if "weeks" not in (document.data or {}):
        at = (0, 0)
    return OpenLog(path, answers, loaded.document, log, raw, text, at, warnings)


def add_week(request: WeekRequest, config: Any, today: dt.date | None = None) -> Added:
    """This week's entry for the log of `request.answers_file`, appended to the log's text."""
    from qsrkit.living.weekly_numbers import week_numbers

    found = open_log(request.answers_file, config)
    answers, name = found.answers, str(request.answers_file)
    day = _day(request.day, today)
    first, last = config.calendar.quarter_bounds(answers.quarter)
    if not first <= day <= last:
        line, column = found.answers_doc.position(("quarter",))
        raise InvalidInput([Problem(
            name, line, column, "quarter",
            f"the 1:1's date {day.isoformat()} is outside {answers.quarter} ({first.isoformat()} "
            f"to {last.isoformat()}); pass --date within the quarter, or the next quarter's QSR")])
    previous = last_week(found.log) if found.log else None
    if previous is not None and day <= previous.week:
        index = len(found.log.weeks or []) - 1 if found.log else 0
        raise InvalidInput([Problem(
            str(found.path), found.weeks_at[0], found.weeks_at[1], f"weeks[{index}].week",
            f"the last entry is the week of {previous.week.isoformat()}, and a new one must "
            f"come after it, not on {day.isoformat()}; pass --date with a later day, or edit "
            "that entry instead")])
    numbers = week_numbers(answers, name, config, day, crm=request.crm, since=request.since,
                           columns=request.columns,
                           rep_line=found.answers_doc.position(("account_executive",)))
    carried = previous.open_items() if previous is not None else []
    text, data = _appended(found, day, carried, numbers, request.answers_file.name)
    return Added(found.path, found.log is None, answers.account_executive or "",
                 answers.quarter or "", day, text, data, carried, numbers,
                 [*found.warnings, *numbers.warnings])


def write(added: Added) -> None:
    """Write the log: a new file is never put over one that appeared meanwhile; an existing
    log is replaced atomically, keeping its mode (it is the same file with a week added)."""
    from qsrkit.fileio import replace_in_place, write_atomic

    if added.new_log:
        write_atomic(added.log, added.data)
    else:
        replace_in_place(added.log, added.data)


def _require(loaded: Loaded[Answers], answers_file: Path) -> None:
    for key in ("account_executive", "quarter"):
        if not getattr(loaded.model, key):
            line, column = loaded.document.position((key,))
            raise InvalidInput.at(str(answers_file), f"the 1:1 log needs {key} to name its "
                                  "file; fill it in and run again", line=line, column=column,
                                  field=key)


def _belongs(log: WeeklyLog, document: Any, answers: Answers, name: str, qsr: str) -> None:
    from qsrkit.crm import names

    rep = answers.account_executive or ""
    if names.key(log.rep) != names.key(rep):
        line, column = document.position(("rep",))
        raise InvalidInput([Problem(name, line, column, "rep",
                                    f"this 1:1 log is {log.rep}'s, but {qsr} is {rep}'s QSR; "
                                    "give the QSR this log belongs to, or move the log away")])
    if log.quarter != answers.quarter:
        line, column = document.position(("quarter",))
        raise InvalidInput([Problem(name, line, column, "quarter",
                                    f"this 1:1 log is for {log.quarter}, but {qsr} plans "
                                    f"{answers.quarter}; a new quarter starts a new log beside "
                                    "its own QSR")])


def _read(path: Path) -> tuple[bytes, str]:
    from qsrkit.answers.yamlsource import MAX_FILE_BYTES, decode
    from qsrkit.fileio import read_input

    try:
        raw = read_input(path, limit=MAX_FILE_BYTES, kind="YAML file",
                         why="a 1:1 log of a quarter is a few dozen KB; check the file")
    except OSError as exc:  # pragma: no cover - read_input reports its own OS errors
        raise unreadable(str(path), exc, "YAML file") from None
    return raw, decode(raw, str(path))


def _day(typed: str | None, today: dt.date | None) -> dt.date:
    from qsrkit.answers.parse import parse_date

    if typed is None:
        return today or dt.date.today()
    try:
        return parse_date(typed)
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None


def _appended(found: OpenLog, day: dt.date, carried: list[Objective], numbers: WeekNumbers,
              qsr: str) -> tuple[str, bytes]:
    from qsrkit.living import weekly_text

    answers = found.answers
    newline = "\r\n" if "\r\n" in found.text else "\n"
    indent = _entry_indent(found)
    lines = [indent + line for line in weekly_text.entry(day, carried, numbers, qsr)]
    if found.log is None:
        text = weekly_text.header(answers.account_executive or "", answers.quarter or "", qsr)
        text += "\n".join(lines) + "\n"
        _check_appended(found, text, str(found.path))
        return text, text.encode("utf-8")
    if found.weeks_at == (0, 0):
        raise InvalidInput.at(str(found.path), "has no `weeks:` key, so a week cannot be added "
                              "at its end; add a last line `weeks:` and run again")
    gap = "" if found.text.endswith(("\n", "\r")) or not found.text else newline
    added = gap + newline.join(lines) + newline
    _check_appended(found, found.text + added, str(found.path))
    return added, found.raw + _encode(added, found.raw)


def _entry_indent(found: OpenLog) -> str:
    """The spaces before the `-` of the last entry, so the new one lines up with it (entries
    are usually written at the start of the line, as qsrkit writes them)."""
    if not (found.log and found.log.weeks):
        return ""
    lines = found.text.splitlines()
    line = lines[found.weeks_at[0] - 1] if 0 < found.weeks_at[0] <= len(lines) else ""
    stripped = line.lstrip(" ")
    return line[: len(line) - len(stripped)] if stripped.startswith("-") else ""


def _check_appended(found: OpenLog, text: str, name: str) -> None:
    """The appended text must read back as the old entries, unchanged, and the new one."""
    try:
        again, _, _ = read_log(text, name)
    except InvalidInput:
        again = None
    before = (found.log.weeks or []) if found.log else []
    after = (again.weeks or []) if again else []
    if again is None or len(after) != len(before) + 1 or after[:-1] != before:
        line, column = found.weeks_at if found.weeks_at != (0, 0) else (0, 0)
        raise InvalidInput.at(name, "a new week cannot be added at the end of this log: "
                              "`weeks:` must be its last key, with each week a `- week: ...` "
                              "entry under it; move anything after the weeks above `weeks:` "
                              "and run again", line=line, column=column, field="weeks")


def _encode(text: str, raw: bytes) -> bytes:
    """The appended text in the file's own encoding (no second byte-order mark)."""
    if raw.startswith(codecs.BOM_UTF16_LE):
        return text.encode("utf-16-le")
    if raw.startswith(codecs.BOM_UTF16_BE):
        return text.encode("utf-16-be")
    return text.encode("utf-8")
