"""Gather the calculator's inputs from an answers file, the command line and the org config.

Flags win over the file; the file wins over nothing. Every input still missing is named at once,
with both the flag and the answers-file field that would supply it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit.answers.timing import early_as_of
from qsrkit.errors import CalculationError, UsageError
from qsrkit.plan.calculator import CalculatorInputs
from qsrkit.plan.fiscal import FiscalCalendar

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers


@dataclass
class CalcFlags:
    """Values typed on the command line, as text, exactly as given."""

    quota: str | None = None
    closed: str | None = None
    win_rate: str | None = None
    open_pipeline: str | None = None
    avg_deal_size: str | None = None
    weeks: str | None = None
    as_of: str | None = None
    quarter: str | None = None
    meeting_rate: str | None = None
    targets: list[str] = field(default_factory=list)


def _parse_flag(flag: str, text: str, parser: Callable[[Any], Any]) -> Any:
    try:
        return parser(text)
    except ValueError as exc:
        raise CalculationError(f"{flag} {text}: {exc}") from None


def resolve(
    flags: CalcFlags,
    answers: Answers | None,
    calendar: FiscalCalendar,
    default_targets: list[Decimal],
    today: dt.date | None = None,
    notes: list[str] | None = None,
) -> tuple[CalculatorInputs, tuple[Decimal, ...]]:
    """The calculator inputs and targets, or UsageError naming every missing input.

    `notes` collects what is worth a warning but still computes (numbers dated before the
    quarter they plan)."""
    from qsrkit.answers import parse as values

    outlook = answers.current_quarter.outlook if answers else None
    calc = answers.current_quarter.calculator if answers else None
    missing: list[str] = []

    def pick(flag: str, text: str | None, parser: Callable[[Any], Any], from_file: Any, where: str) -> Any:
        if text is not None:
            return _parse_flag(flag, text, parser)
        if from_file is None:
            missing.append(f"{flag} (or {where} in the answers file)")
        return from_file

    quota = pick("--quota", flags.quota, values.parse_money,
                 outlook.quota if outlook else None, "current_quarter.outlook.quota")
    closed = pick("--closed", flags.closed, values.parse_money,
                  calc.closed_won if calc else None, "current_quarter.calculator.closed_won")
    win_rate = pick("--win-rate", flags.win_rate, values.parse_rate,
                    outlook.win_rate if outlook else None, "current_quarter.outlook.win_rate")
    open_pipeline = pick("--open-pipeline", flags.open_pipeline, values.parse_money,
                         calc.open_pipeline if calc else None,
                         "current_quarter.calculator.open_pipeline")
    avg_deal = pick("--avg-deal-size", flags.avg_deal_size, values.parse_money,
                    outlook.average_deal_size if outlook else None,
                    "current_quarter.outlook.average_deal_size")
    weeks = _weeks(flags, answers, calendar, today, missing, notes if notes is not None else [])
    meeting_rate = (
        _parse_flag("--meeting-rate", flags.meeting_rate, values.parse_count)
        if flags.meeting_rate is not None
        else None
    )
    if missing:
        raise UsageError(
            "the calculator is missing: " + "; ".join(missing),
            hint="pass the flags, or give an answers file that holds these answers",
        )
    assert weeks is not None  # a missing value was reported above
    typed = tuple(_parse_flag("--target", t, values.parse_percent) for t in flags.targets)
    personal = outlook.personal_goal_percent if outlook else None
    inputs = CalculatorInputs(
        quota=quota,
        closed_won=closed,
        win_rate=win_rate / 100,
        open_pipeline=open_pipeline,
        avg_deal_size=avg_deal,
        weeks_to_work=weeks,
        meeting_rate=meeting_rate,
        personal_goal_percent=personal,
    )
    return inputs, typed or with_personal_goal(default_targets, personal)


def with_personal_goal(targets: list[Decimal], personal: Decimal | None) -> tuple[Decimal, ...]:
    """The org's columns, the last (the stretch goal, 150% by default) replaced by the rep's own
    personal goal when the answers file sets one: the QSR's second column is the rep's goal."""
    if personal is None or not targets:
        return tuple(targets)
    columns = [*targets[:-1], personal] if len(targets) > 1 else [*targets, personal]
    return tuple(dict.fromkeys(columns))  # a 100% personal goal is one column, not two


def _weeks(
    flags: CalcFlags,
    answers: Answers | None,
    calendar: FiscalCalendar,
    today: dt.date | None,
    missing: list[str],
    notes: list[str],
) -> Decimal | None:
    from qsrkit.answers import parse as values

    if flags.weeks is not None:
        weeks: Decimal = _parse_flag("--weeks", flags.weeks, values.parse_count)
        if weeks <= 0:
            raise CalculationError("--weeks must be above 0: the quarter has no selling time left")
        return weeks
    calc = answers.current_quarter.calculator if answers else None
    as_of = _parse_flag("--as-of", flags.as_of, values.parse_date) if flags.as_of else None
    if as_of is None and calc is not None and calc.weeks_to_work is not None:
        return calc.weeks_to_work
    if as_of is None and calc is not None:
        as_of = calc.as_of
    if as_of is None:
        missing.append(
            "--weeks or --as-of (or current_quarter.calculator.weeks_to_work or .as_of "
            "in the answers file)"
        )
        return None
    quarter = (
        _parse_flag("--quarter", flags.quarter, values.parse_quarter)
        if flags.quarter
        else (answers.quarter if answers and answers.quarter else calendar.quarter_of(as_of))
    )
    try:
        early = early_as_of(as_of, quarter, calendar.quarter_bounds(quarter)[0])
        if early is not None:
            notes.append(f"as of {early}")
        weeks = calendar.weeks_left(quarter, as_of)
    except ValueError:
        # Python's dates end at years 1 and 9999, so the first or last quarter there (or one a
        # fiscal year pushes past them) has no end date to count the weeks to.
        raise CalculationError(
            f"{quarter} has no end date qsrkit can count weeks to; give the weeks to work "
            "instead (--weeks, or current_quarter.calculator.weeks_to_work)"
        ) from None
    if weeks <= 0:
        _, end = calendar.quarter_bounds(quarter)
        raise CalculationError(
            f"as of {as_of.isoformat()} there are no weeks left in {quarter} (it ended "
            f"{end.isoformat()}); pick an earlier date or give --weeks"
        )
    return weeks
