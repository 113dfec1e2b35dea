"""Section 1 of the view context: last quarter's goals against results, skills, plays, lessons.

Seed 001's first questions to a rep are what they said they would do and what they did: the
metrics, the focus skills and last quarter's plays each stand beside what came of them. Rates
against their goals read as point differences ("−4 pts"), the way a sales leader says them;
amounts and counts as a percent of their goal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.document.sandbox import BLANK

if TYPE_CHECKING:
    from qsrkit.answers.models import PreviousQuarter


def text(value: object) -> str:
    """What a rep typed, or a blank to write on."""
    return BLANK if value in (None, "") else str(value)


def _ratio(actual: Decimal | int | None, goal: Decimal | int | None) -> str:
    if actual is None or not goal:
        return fmt.percent(None)
    return fmt.percent(Decimal(actual) * 100 / Decimal(goal))


def points(actual: Decimal | None, goal: Decimal | None, unit: str) -> str:
    """`+3 pts`, `−4 pts` or `0 pts`: a rate against its goal, as a difference."""
    if actual is None or goal is None:
        return f"___ {unit}"
    difference = actual - goal
    shown = fmt.number(abs(difference))
    sign = "+" if difference > 0 else "−" if difference < 0 else ""
    return f"{sign}{shown} {unit}"


def reflection(prev: PreviousQuarter, labels: dict[str, str], symbol: str) -> dict[str, Any]:
    """The context entries of Section 1."""
    m = prev.metrics

    def money(value: Decimal | None) -> str:
        return fmt.money(value, symbol)

    rows = [
        (labels["revenue_vs_quota"], money(m.quota), money(m.actual_revenue),
         fmt.percent(m.percent_of_quota)),
        (labels["revenue_vs_personal_goal"], money(m.personal_goal), money(m.actual_revenue),
         fmt.percent(m.percent_of_personal_goal)),
        (labels["weekly_meetings"], fmt.number(m.weekly_meetings.goal),
         fmt.number(m.weekly_meetings.actual),
         _ratio(m.weekly_meetings.actual, m.weekly_meetings.goal)),
        (labels["weekly_opportunities"], fmt.number(m.weekly_opportunities.goal),
         fmt.number(m.weekly_opportunities.actual),
         _ratio(m.weekly_opportunities.actual, m.weekly_opportunities.goal)),
        (labels["weekly_pipeline"], money(m.weekly_pipeline.goal), money(m.weekly_pipeline.actual),
         _ratio(m.weekly_pipeline.actual, m.weekly_pipeline.goal)),
        (labels["win_rate"], fmt.percent(m.win_rate.goal), fmt.percent(m.win_rate.actual),
         points(m.win_rate.actual, m.win_rate.goal, labels["points"])),
        (labels["opportunities_won"], fmt.number(m.opportunities_won.goal),
         fmt.number(m.opportunities_won.actual),
         _ratio(m.opportunities_won.actual, m.opportunities_won.goal)),
        (labels["average_deal_size"], money(m.average_deal_size.goal),
         money(m.average_deal_size.actual),
         _ratio(m.average_deal_size.actual, m.average_deal_size.goal)),
    ]
    focus = [
        {"skill": text(s.skill), "target": text(s.target), "actual": text(s.actual)}
        for s in prev.focus_skills
    ] or [{"skill": BLANK, "target": BLANK, "actual": BLANK}] * 2
    replicate = [text(x) for x in prev.diagnosis.replicate]
    improve = [text(x) for x in prev.diagnosis.improve]
    count = max(len(replicate), len(improve)) or 3
    diagnosis = [
        {"replicate": replicate[i] if i < len(replicate) else BLANK,
         "improve": improve[i] if i < len(improve) else BLANK}
        for i in range(count)
    ]
    # Optional in the answers file: only plays that were named are shown, each with its outcome.
    plays = [{"headline": text(p.headline), "outcome": text(p.outcome)}
             for p in prev.plays if p.headline or p.outcome]
    return {
        "previous_quarter": prev.quarter or "",
        "metrics": [dict(zip(("metric", "goal", "actual", "attainment"), r, strict=True))
                    for r in rows],
        "focus_skills": focus,
        "previous_plays": plays,
        "diagnosis": diagnosis,
        "lessons": {"learned": text(prev.lessons.learned),
                    "environment": text(prev.lessons.environment)},
    }
