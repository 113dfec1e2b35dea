"""A check-in's result as the lines `qsrkit check-in` prints, and as JSON with the same facts.

Weekly needs are compared as they are shown (rounded up to one decimal), so "up from 4.6" never
sits beside a 4.6. Nothing here prints.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.plan.pace import Standing, pace_words
from qsrkit.plan.rows import target_label

if TYPE_CHECKING:
    from qsrkit.living.checkins import CheckInResult
    from qsrkit.plan.calculator import TargetPlan


def lines(found: CheckInResult, symbol: str, *, written: bool) -> list[str]:
    """The entry added (or that would be), then where the quarter stands that day."""
    verb = "Adding" if written else "Would add"
    replaced = f" (in place of `{found.removed}`)" if found.removed else ""
    text = [f"{found.file}: {found.rep or '(no rep)'}, {found.quarter}: check-in of "
            f"{found.day.isoformat()}",
            f"{verb} at line {found.line}{replaced}:"]
    shown = found.added.lstrip("\r\n")
    text += [f"  {line}" for line in shown.splitlines()]
    now = found.now
    text.append("")
    text.append(f"On {found.day.isoformat()}: {fmt.significant(now.weeks_left or Decimal(0))} "
                f"weeks left, {_share(now.elapsed)} of the quarter gone; closed won "
                f"{fmt.money(now.closed_won, symbol)}, open pipeline "
                f"{fmt.money(now.open_pipeline, symbol)}")
    if not now.plans:
        text.append(f"The calculator cannot be re-run for this check-in: {now.missing}")
        return text
    for index, target in enumerate(now.plans):
        text.append(f"{_label(target)}: {_need_sentence(index, found, symbol)}")
    for pace in now.pace:
        text.append(f"Pace to {target_label(pace.percent_of_quota, pace.personal_goal)}: "
                    f"{fmt.money(pace.expected, symbol, whole=True)} closed won by now on a "
                    f"straight line to {fmt.money(pace.target, symbol, whole=True)}; "
                    f"{fmt.money(pace.closed_won, symbol)} closed, {pace_words(pace, symbol)}")
    return text


def as_json(found: CheckInResult, *, written: bool) -> dict[str, Any]:
    now = found.now
    targets = []
    for index, target in enumerate(now.plans):
        pace = now.pace[index] if index < len(now.pace) else None
        targets.append({
            "percent_of_quota": float(target.percent_of_quota),
            "personal_goal": target.personal_goal,
            "target": _cents(target.target),
            "opps_per_week": _two(target.opps_per_week),
            "pipeline_per_week": _two(target.pipeline_per_week),
            "opps_per_week_in_plan": _need(found.plan, index),
            "opps_per_week_at_last_check_in": _need(found.last, index),
            "expected_closed_won": _cents(pace.expected) if pace else None,
            "pace": _cents(pace.difference) if pace else None,
        })
    return {
        "file": str(found.file), "rep": found.rep, "quarter": found.quarter,
        "date": found.day.isoformat(), "written": written, "line": found.line,
        "entry": found.added.lstrip("\r\n"), "source": found.source,
        "closed_won": _cents(now.closed_won), "open_pipeline": _cents(now.open_pipeline),
        "weeks_left": float(now.weeks_left) if now.weeks_left is not None else None,
        "elapsed_share": _two(now.elapsed),
        "plan_as_of": found.plan.day.isoformat() if found.plan.day else None,
        "last_check_in": found.last.day.isoformat() if found.last and found.last.day else None,
        "targets": targets,
        "calculator_missing": now.missing or None,
    }


def _need_sentence(index: int, found: CheckInResult, symbol: str) -> str:
    target = found.now.plans[index]
    now = fmt.significant(target.opps_per_week, up=True)
    sentence = (f"you need {now} opportunities a week now "
                f"({fmt.money_up(target.pipeline_per_week, symbol)} of pipeline a week)")
    before = []
    for standing, where in ((found.plan, "in the QSR's plan"),
                            (found.last, "at the last check-in")):
        shown = _shown_need(standing, index)
        if shown is None or standing is None:
            continue
        day = f" ({standing.day.isoformat()})" if standing.day else ""
        before.append(f"{_direction(now, shown)} {shown} {where}{day}")
    return sentence + (", " + " and ".join(before) if before else "")


def _direction(now: str, before: str) -> str:
    new, old = Decimal(now), Decimal(before)
    return "up from" if new > old else "down from" if new < old else "the same as"


def _shown_need(standing: Standing | None, index: int) -> str | None:
    if standing is None or index >= len(standing.plans):
        return None
    return fmt.significant(standing.plans[index].opps_per_week, up=True)


def _need(standing: Standing | None, index: int) -> float | None:
    if standing is None or index >= len(standing.plans):
        return None
    return _two(standing.plans[index].opps_per_week)


def _label(target: TargetPlan) -> str:
    return f"For {target_label(target.percent_of_quota, target.personal_goal)}"


def _share(elapsed: Decimal | None) -> str:
    return fmt.percent(None if elapsed is None else fmt.rounded(elapsed * 100, 0))


def _cents(value: Decimal | None) -> float | None:
    return None if value is None else float(fmt.rounded(value, 2))


def _two(value: Decimal | None) -> float | None:
    return None if value is None else float(fmt.rounded(value, 2))

