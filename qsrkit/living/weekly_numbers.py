"""This week's numbers for the 1:1, against the QSR's plan. Nothing here prints or writes.

- **Opportunities created this week**: the rep's deals in the `--crm` export whose created date
  is in the 7 days up to the 1:1's date (the date itself and the 6 days before it), counted and
  summed; the export is read by `crm.deals.read_deals`, as `diagnose` reads it.
- **Weekly need**: the calculator's opportunities per week for each target, from the answers
  file exactly as `qsrkit calc FILE` computes it (`plan.inputs.resolve`, `plan.calculator`),
  rounded up to one decimal as the calculator shows it. `qsrkit refresh` first keeps it current.
- **Pipeline changes** (with `--since OLD`): `crm.changes.diff_exports` from the older export
  to the `--crm` one, for this rep, in the QSR's quarter: each group's deal count and total.

An export from another time is refused: one with deals created after the 1:1's date is from a
later day, and one whose newest deal is more than STALE_DAYS older than it is from an earlier
quarter (the rule `qsrkit refresh` applies).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.errors import InvalidInput, Problem, QsrError

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers
    from qsrkit.crm.deals import DealExport

STALE_DAYS = 45
WEEK_DAYS = 7


@dataclass
class Created:
    export: str  # the file's name, as the log records it
    count: int
    cents: int
    first_day: dt.date
    last_day: dt.date


@dataclass
class Changes:
    since: str
    old_open: int  # cents
    new_open: int
    groups: list[tuple[str, int, int]]  # (group, deals, cents), groups with deals only


@dataclass
class WeekNumbers:
    created: Created | None = None
    need: list[tuple[Decimal, Decimal]] = field(default_factory=list)  # (percent, per week)
    changes: Changes | None = None
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def week_numbers(answers: Answers, answers_file: str, config: Any, day: dt.date, *,
                 crm: Path | None, since: Path | None, columns: Path | None,
                 rep_line: tuple[int, int]) -> WeekNumbers:
    """Everything the week's `numbers:` holds; `rep_line` locates account_executive."""
    found = WeekNumbers()
    found.need = weekly_need(answers, config, found.notes)
    if crm is None:
        return found
    from qsrkit.crm.columns import load_layout
    from qsrkit.crm.deals import read_deals

    layout = load_layout(columns) if columns else None
    first, _ = config.calendar.quarter_bounds(answers.quarter)
    start = min(first, day - dt.timedelta(days=STALE_DAYS))
    export = read_deals(crm, start.toordinal(), layout)
    found.warnings.extend(export.warnings)
    _check_date(export, day, "--crm")
    rep = answers.account_executive or ""
    _check_rep(export, rep, answers_file, rep_line)
    found.created = _created(export, crm, rep, day)
    if since is not None:
        older = read_deals(since, start.toordinal(), layout)
        _check_date(older, day, "--since")
        _check_order(older, export)
        found.changes = _changes(since, crm, config, answers.quarter or "", rep, columns)
    return found


def weekly_need(answers: Answers, config: Any, notes: list[str]) -> list[tuple[Decimal, Decimal]]:
    """(percent of quota, opportunities a week) per target, as `qsrkit calc FILE` shows them."""
    from qsrkit.formatting import significant
    from qsrkit.plan import calculator
    from qsrkit.plan.inputs import CalcFlags, resolve

    try:
        inputs, targets = resolve(CalcFlags(), answers, config.calendar, config.targets,
                                  notes=notes)
        plans = calculator.plan(inputs, targets)
    except QsrError as exc:
        notes.append(f"the weekly need is left out: {exc.message}"
                     + (f" ({exc.hint})" if exc.hint else ""))
        return []
    return [(p.percent_of_quota,
             Decimal(significant(p.opps_per_week, up=True).replace(",", "")))
            for p in plans]


def _created(export: DealExport, path: Path, rep: str, day: dt.date) -> Created:
    from qsrkit.crm import names

    first = day - dt.timedelta(days=WEEK_DAYS - 1)
    low, high = first.toordinal(), day.toordinal()
    wanted = names.key(rep)
    mine = [d for d in export.deals if names.key(d.owner) == wanted and low <= d.created <= high]
    return Created(path.name, len(mine), sum(d.cents for d in mine), first, day)


def _check_rep(export: DealExport, rep: str, answers_file: str,
               where: tuple[int, int]) -> None:
    from qsrkit.crm import names

    owners = sorted({d.owner.strip() for d in export.deals}, key=str.casefold)
    if any(names.key(owner) == names.key(rep) for owner in owners):
        return
    raise InvalidInput([Problem(
        answers_file, where[0], where[1], "account_executive",
        f"'{rep}' owns no opportunity in {export.file}{names.did_you_mean(rep, owners)}; "
        f"the owners there are: {names.listing(owners)}")])


def _check_date(export: DealExport, day: dt.date, option: str) -> None:
    newest = max((d.created for d in export.deals), default=0)
    if newest > day.toordinal():
        shown = dt.date.fromordinal(newest).isoformat()
        raise InvalidInput.at(
            export.file, f"({option}) has opportunities created after the 1:1's date "
            f"{day.isoformat()} (the newest on {shown}): it is an export of a later day; pass "
            f"--date {shown}, or give the export of {day.isoformat()}")
    if newest < (day - dt.timedelta(days=STALE_DAYS)).toordinal():
        shown = dt.date.fromordinal(newest).isoformat() if newest else "none in the quarter"
        raise InvalidInput.at(
            export.file, f"({option}) has no opportunity created in the {STALE_DAYS} days "
            f"before the 1:1's date {day.isoformat()} (the newest: {shown}): it looks like an "
            "export from an earlier quarter; export the report again")


def _check_order(older: DealExport, newer: DealExport) -> None:
    newest_old = max((d.created for d in older.deals), default=0)
    newest_new = max((d.created for d in newer.deals), default=0)
    if newest_old > newest_new:
        raise InvalidInput.at(
            older.file, f"(--since) has opportunities created after the newest of "
            f"{newer.file}: it is the newer export; give last week's export to --since and "
            "this week's to --crm")


def _changes(since: Path, crm: Path, config: Any, quarter: str, rep: str,
             columns: Path | None) -> Changes:
    from qsrkit.crm.changes import GROUPS, diff_exports

    found = diff_exports(since, crm, config.calendar, quarter, columns=columns, rep=rep)
    diff = found.reps[0]
    groups = [(g, diff.count(g), diff.total(g)) for g in GROUPS if diff.count(g)]
    return Changes(since.name, diff.old_open, diff.new_open, groups)
