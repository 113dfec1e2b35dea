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


def rate(fraction: Decimal) -> str:
    """A win rate as the rep typed it (33.333333%), not rounded to a figure that gives other sums."""
    percent = (fraction * 100).normalize()
    places = max(0, -percent.as_tuple().exponent)  # type: ignore[operator]
    return f"{significant(percent, min(max(places, 1), 6))}%" if places else f"{percent:f}%"


def plan_rows(plans: Sequence[TargetPlan], symbol: str = "$") -> list[tuple[str, list[str]]]:
    """The calculator as rows (label, one cell per target), in the order of the QSR template.

    Every figure a seller must reach is rounded up, and each follows from the ones above it.
    """
    cells = [
        [money(p.target, symbol, whole=True) for p in plans],
        [money(p.closed_won, symbol) for p in plans],
        [rate(p.win_rate) for p in plans],
        [money(p.gap_to_goal, symbol, whole=True) for p in plans],
        [money_up(p.pipeline_needed, symbol) for p in plans],
        [money(p.open_pipeline, symbol) for p in plans],
        [money_up(p.pipeline_to_create, symbol) for p in plans],
        [money(p.avg_deal_size, symbol) for p in plans],
        [number(p.wins_needed) for p in plans],
        [number(p.opps_needed) for p in plans],
        [significant(p.weeks_to_work) for p in plans],
        [significant(p.opps_per_week, up=True) for p in plans],
        [money_up(p.pipeline_per_week, symbol) for p in plans],
    ]
    rows = list(zip(ROW_LABELS, cells, strict=True))
    if plans and plans[0].meetings_per_week is not None:
        rows.append(("Meetings per week",
                     [significant(p.meetings_per_week or Decimal(0), up=True) for p in plans]))
    return rows


def blank_rows(count: int, symbol: str = "$") -> list[tuple[str, list[str]]]:
    """The same rows with blanks to write on, for a plan whose inputs are not answered yet."""
    money_blank, number_blank = money(None, symbol), number(None)
    blanks = {"Win rate": "___%", "Closed won to date": money_blank, "Target": money_blank,
              "Gap to goal": money_blank, "Pipeline needed": money_blank,
              "Open pipeline": money_blank, "Pipeline to create": money_blank,
              "Average deal size": money_blank, "Pipeline per week": money_blank}
    return [(label, [blanks.get(label, number_blank)] * count) for label in ROW_LABELS]


# The rows' labels in order, for tables that must exist before there are figures.
ROW_LABELS = ("Target", "Closed won to date", "Win rate", "Gap to goal", "Pipeline needed",
              "Open pipeline", "Pipeline to create", "Average deal size", "Deals to close won",
              "Opportunities needed", "Weeks to work", "Opportunities per week",
              "Pipeline per week")
