"""`qsrkit check-in FILE`: a monthly check-in appended to the answers file, and what it shows.

The new entry is dated `--as-of` (default today), inside the file's quarter and after its last
check-in. Its closed won and open pipeline come from a CRM export for the file's rep and
quarter (the figures `qsrkit refresh` and `new --crm` use), or else are copied from the file's
calculator for the rep to correct; this quarter's skills and plays are listed for the rep to
fill in. The calculator is then re-run for the weeks left that day and set beside the QSR's
own plan and the last check-in, with the pace against a straight line to each target
(`plan.pace`). Nothing here prints; `write` replaces the file atomically, keeping its mode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.errors import InvalidInput, Problem, UsageError
from qsrkit.living.checkin_entry import Entry, splice

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers
    from qsrkit.answers.yamlsource import YamlDocument
    from qsrkit.config import OrgConfig
    from qsrkit.crm.prefill import CrmRequest
    from qsrkit.plan.pace import Standing


@dataclass
class CheckInResult:
    """The file with the new entry (not written yet) and where the quarter stands that day."""

    file: Path
    rep: str
    quarter: str
    day: dt.date
    source: str  # where closed won and open pipeline came from
    added: str  # the text appended, line ends as in the file
    line: int  # the line it starts on
    removed: str  # what it replaced (the `[]` of an empty list), usually ""
    data: bytes  # the whole new file
    now: Standing
    plan: Standing  # the QSR's own calculator
    last: Standing | None  # the check-in before this one
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_in(path: Path, config: OrgConfig, *, as_of: str | None = None,
             request: CrmRequest | None = None, today: dt.date | None = None) -> CheckInResult:
    """The answers file with a prefilled check-in appended, and the day's figures."""
    from qsrkit.answers.loading import validate_document
    from qsrkit.answers.parse import parse_date
    from qsrkit.answers.yamlsource import parse
    from qsrkit.plan.pace import planned, standing_on
    from qsrkit.scaffold.refresh import open_for_edit

    name = str(path)
    opened = open_for_edit(path, config, "check-in adds to")
    prefix, encoding, text = opened.prefix, opened.encoding, opened.text
    model, document = opened.model, opened.document
    quarter = _needed(model.quarter, "quarter", "to know the weeks left", name, document)
    try:
        day = parse_date(as_of) if as_of else (today or dt.date.today())
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None
    first, last_day = config.calendar.quarter_bounds(quarter)
    if not first <= day <= last_day:
        given = f"--as-of {day.isoformat()}" if as_of else f"today ({day.isoformat()})"
        raise UsageError(f"{given} is outside {quarter}, the quarter of {name} "
                         f"({first.isoformat()} to {last_day.isoformat()})",
                         hint="pass --as-of the date of the check-in, a day in the quarter")
    _after_last(model, document, day, name)
    calc = model.current_quarter.calculator
    rep = model.account_executive or ""
    warnings: list[Problem] = []
    notes: list[str] = []
    if request is not None:
        rep = _needed(model.account_executive, "account_executive",
                      "to find the rep's numbers in the export", name, document)
        closed, pipeline, source = _from_crm(request, config, quarter, day, rep, name, document)
        warnings, notes = request.warnings, request.notes
    else:
        closed, pipeline = calc.closed_won, calc.open_pipeline
        when = f" (as of {calc.as_of.isoformat()})" if calc.as_of else ""
        source = (f"copied from current_quarter.calculator{when}; type the figure of "
                  f"{day.isoformat()} if it changed")
        if closed is None and pipeline is None:
            source = f"the figure of {day.isoformat()}, an amount"
        notes.append(f"closed won and open pipeline were copied from the file's calculator"
                     f"{when}; correct them in the new entry if they changed, or run again with "
                     "--crm EXPORT" if closed is not None or pipeline is not None else
                     "the file's calculator has no closed won or open pipeline: type them into "
                     "the new entry, or run again with --crm EXPORT")
    entry = Entry(day, closed, pipeline, source,
                  skills=[s.skill for s in model.skill_development if s.skill],
                  plays=[p.headline for p in model.current_quarter.plays if p.headline])
    spliced = splice(text, name, entry)
    again = validate_document(parse(spliced.text, name), config.answers_model).model
    assert again.check_ins[-1].date == day  # the entry is the file's last check-in
    targets = list(config.targets)
    now = standing_on(model, config.calendar, targets, day=day, closed_won=closed,
                      open_pipeline=pipeline)
    previous = model.check_ins[-1] if model.check_ins else None
    last = (standing_on(model, config.calendar, targets, day=previous.date,
                        closed_won=previous.closed_won, open_pipeline=previous.open_pipeline)
            if previous is not None and previous.date is not None else None)
    return CheckInResult(path, rep, quarter, day, source, spliced.added, spliced.line,
                         spliced.removed, prefix + spliced.text.encode(encoding), now,
                         planned(model, config.calendar, targets), last, list(warnings),
                         list(notes))


def write(result: CheckInResult) -> None:
    """Replace the file atomically (it is the rep's own, so on purpose); it keeps its mode."""
    from qsrkit.fileio import replace_in_place

    replace_in_place(result.file, result.data)


def _needed(value: str | None, key: str, why: str, name: str, document: YamlDocument) -> str:
    if not value:
        line, col = document.position((key,))
        raise InvalidInput.at(name, f"check-in needs {key} {why}; fill it in and run again",
                              line=line, column=col, field=key)
    return value


def _after_last(model: Answers, document: YamlDocument, day: dt.date, name: str) -> None:
    """A new check-in comes after every one the file has (`check` keeps them in order)."""
    dated = [(entry.date, index) for index, entry in enumerate(model.check_ins) if entry.date]
    if not dated:
        return
    last, index = max(dated)
    if day > last:
        return
    line, col = document.position(("check_ins", index, "date"))
    message = (f"the file already has a check-in dated {day.isoformat()}; edit that entry, or "
               "pass --as-of a later day" if day == last else
               f"the last check-in is dated {last.isoformat()}, after {day.isoformat()}; a new "
               f"check-in comes after it: pass --as-of a day after {last.isoformat()}")
    raise InvalidInput.at(name, message, line=line, column=col, field=f"check_ins[{index}].date")


def _from_crm(request: CrmRequest, config: OrgConfig, quarter: str, day: dt.date, rep: str,
              name: str, document: YamlDocument) -> tuple[Any, Any, str]:
    """The rep's closed won and open pipeline on `day` in the export, as `refresh` finds them."""
    from qsrkit.crm.prefill import metrics_for
    from qsrkit.scaffold.refresh import check_export_date

    request.quarter, request.as_of = quarter, day.isoformat()
    first, _ = config.calendar.quarter_bounds(quarter)
    check_export_date(request, first, day)
    found = metrics_for(request, config)
    try:
        metrics = found.find(rep)
    except UsageError as exc:
        line, col = document.position(("account_executive",))
        raise InvalidInput.at(name, f"{exc.message}; {exc.hint}", line=line, column=col,
                              field="account_executive") from None
    source = f"from {request.export.name} (CRM), {quarter} as of {day.isoformat()}"
    return metrics.closed_won, metrics.open_pipeline, source
