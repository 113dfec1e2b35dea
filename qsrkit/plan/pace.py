"""Where the quarter stands on a day: the calculator re-run for the weeks left, and the pace.

Used by the monthly check-ins (`qsrkit check-in`, the document's Check-ins section). Pure: the
answers and the numbers of the day in, figures out; no I/O, no printing.

For a day D of a quarter running from S to E (both counted), closed won C and open pipeline P
that day:

    weeks left      = the fiscal calendar's weeks from D to E (D counted in full), as `calc --as-of`
    calculator      = `plan.calculator` with C, P and the weeks left; quota, win rate and average
                      deal size from the file's outlook, targets as `qsrkit calc FILE` picks them
    elapsed share   = (D − S) days ÷ (E − S + 1) days, the part of the quarter behind us
    expected by D   = target × elapsed share   (a straight line from 0 on day S to the target)
    pace            = C − expected: ahead when positive, behind when negative

The day D itself is a selling day still to come, as in the weeks left, so the first day of the
quarter expects nothing yet and the last expects all but one day's share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from qsrkit.errors import QsrError
from qsrkit.plan.calculator import TargetPlan, plan
from qsrkit.plan.fiscal import FiscalCalendar
from qsrkit.plan.inputs import CalcFlags, resolve

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers


@dataclass(frozen=True)
class Pace:
    """Closed won against a straight line to one target."""

    percent_of_quota: Decimal
    personal_goal: bool
    target: Decimal
    expected: Decimal  # what a straight line to the target has closed by the day
    closed_won: Decimal

    @property
    def difference(self) -> Decimal:
        """Ahead of the line when positive, behind it when negative."""
        return self.closed_won - self.expected


@dataclass(frozen=True)
class Standing:
    """One day's numbers and what follows from them; `plans` is empty when `missing` says why."""

    day: dt.date | None
    closed_won: Decimal | None
    open_pipeline: Decimal | None
    weeks_left: Decimal | None
    elapsed: Decimal | None  # the share of the quarter gone, 0 to 1
    plans: tuple[TargetPlan, ...] = ()
    pace: tuple[Pace, ...] = ()
    missing: str = ""


def elapsed_share(calendar: FiscalCalendar, quarter: str, day: dt.date) -> Decimal:
    start, end = calendar.quarter_bounds(quarter)
    total = (end - start).days + 1
    gone = min(max((day - start).days, 0), total)
    return Decimal(gone) / Decimal(total)


def standing_on(answers: Answers, calendar: FiscalCalendar, targets: list[Decimal], *,
                day: dt.date, closed_won: Decimal | None,
                open_pipeline: Decimal | None) -> Standing:
    """The calculator and the pace for the numbers of `day` (a check-in's)."""
    quarter = answers.quarter or calendar.quarter_of(day)
    try:
        weeks = calendar.weeks_left(quarter, day)
        elapsed = elapsed_share(calendar, quarter, day)
    except ValueError:  # a quarter at the end of Python's dates (year 9999) has no end to count to
        return Standing(day, closed_won, open_pipeline, None, None,
                        missing=f"{quarter} has no end date to count the weeks left to")
    bare = Standing(day, closed_won, open_pipeline, weeks, elapsed)
    blank = [name for name, value in (("closed won", closed_won),
                                      ("open pipeline", open_pipeline)) if value is None]
    if blank:
        return replace(bare, missing=f"the check-in has no {' or '.join(blank)}")
    assert closed_won is not None and open_pipeline is not None
    try:
        # Weeks and the day's numbers are the check-in's; quota, rates, targets the file's.
        inputs, chosen = resolve(CalcFlags(closed="0", open_pipeline="0", weeks="1"), answers,
                                 calendar, targets)
        plans = plan(replace(inputs, closed_won=closed_won, open_pipeline=open_pipeline,
                             weeks_to_work=weeks), chosen)
    except QsrError as exc:
        return replace(bare, missing=exc.message)
    return replace(bare, plans=tuple(plans), pace=tuple(_pace(p, closed_won, elapsed)
                                                        for p in plans))


def planned(answers: Answers, calendar: FiscalCalendar, targets: list[Decimal]) -> Standing:
    """The QSR's own calculator (`current_quarter.calculator`), as `qsrkit calc FILE` has it."""
    calc = answers.current_quarter.calculator
    day = calc.as_of
    try:
        elapsed = (elapsed_share(calendar, answers.quarter, day)
                   if day is not None and answers.quarter else None)
    except ValueError:  # as above
        elapsed = None
    bare = Standing(day, calc.closed_won, calc.open_pipeline, None, elapsed)
    try:
        inputs, chosen = resolve(CalcFlags(), answers, calendar, targets)
        plans = plan(inputs, chosen)
    except QsrError as exc:
        return replace(bare, missing=exc.message)
    pace = (tuple(_pace(p, inputs.closed_won, elapsed) for p in plans)
            if elapsed is not None else ())
    return replace(bare, weeks_left=inputs.weeks_to_work, plans=tuple(plans), pace=pace)


def _pace(target: TargetPlan, closed_won: Decimal, elapsed: Decimal) -> Pace:
    return Pace(target.percent_of_quota, target.personal_goal, target.target,
                target.target * elapsed, closed_won)


def pace_words(pace: Pace, symbol: str, ahead: str = "ahead", behind: str = "behind",
               on_pace: str = "on pace") -> str:
    """`$15,000 behind`, `$2,500 ahead` or `on pace`, in whole currency units."""
    from qsrkit.formatting import money, rounded

    difference = rounded(pace.difference, 0)
    if not difference:
        return on_pace
    return f"{money(abs(difference), symbol, whole=True)} {ahead if difference > 0 else behind}"
