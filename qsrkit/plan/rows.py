"""The calculator's figures as people read them: one labelled row per figure, one cell per target.

Shared by `qsrkit calc` in the terminal and the QSR document, so both show the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from qsrkit.formatting import money, money_up, number, significant
from qsrkit.plan.calculator import TargetPlan


def target_label(percent_of_quota: Decimal, personal_goal: bool = False,
                 personal_word: str = "personal goal") -> str:
    """`100% of quota`, or `130% of quota (personal goal)` for the rep's own goal."""
    label = f"{significant(percent_of_quota)}% of quota"
    return f"{label} ({personal_word})" if personal_goal else label


def rate(fraction: Decimal | None) -> str:
    """A win rate as the rep typed it (33.333333%), not rounded to a figure that gives other sums."""
    if fraction is None:
        return "___%"
    percent = (fraction * 100).normalize()
    places = max(0, -percent.as_tuple().exponent)  # type: ignore[operator]
    return f"{significant(percent, min(max(places, 1), 6))}%" if places else f"{percent:f}%"


def plan_rows(plans: Sequence[TargetPlan], symbol: str = "$") -> list[tuple[str, list[str]]]:
    """The calculator as rows (label, one cell per target), in the order of the QSR template.

    Every figure a seller must reach is rounded up, and each follows from the ones above it.
    """
    rows: list[tuple[str, list[str]]] = [
        ("Target", [money(p.target, symbol, whole=True) for p in plans]),
        ("Closed won to date", [money(getattr(p, "closed_won", None), symbol) for p in plans]),
        # A blank plan (unanswered inputs) stands in an unknown that makes any product unknown.
        ("Win rate", [rate(p.win_rate * 1) for p in plans]),
        ("Gap to goal", [money(p.gap_to_goal, symbol, whole=True) for p in plans]),
        ("Pipeline needed", [money_up(p.pipeline_needed, symbol) for p in plans]),
        ("Open pipeline", [money(p.open_pipeline, symbol) for p in plans]),
        ("Pipeline to create", [money_up(p.pipeline_to_create, symbol) for p in plans]),
        ("Average deal size", [money(p.avg_deal_size, symbol) for p in plans]),
        ("Deals to close won", [number(getattr(p, "wins_needed", None)) for p in plans]),
        ("Opportunities needed", [number(p.opps_needed) for p in plans]),
        ("Weeks to work", [significant(p.weeks_to_work) for p in plans]),
        ("Opportunities per week", [significant(p.opps_per_week, up=True) for p in plans]),
        ("Pipeline per week", [money_up(p.pipeline_per_week, symbol) for p in plans]),
    ]
    if plans and plans[0].meetings_per_week is not None:
        rows.append(("Meetings per week",
                     [significant(p.meetings_per_week or Decimal(0), up=True) for p in plans]))
    return rows
