"""The calculator's figures as people read them: one labelled row per figure, one cell per target.

Shared by `qsrkit calc` in the terminal and the QSR document, so both show the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from qsrkit.formatting import money, number, percent
from qsrkit.plan.calculator import TargetPlan


def target_label(percent_of_quota: Decimal) -> str:
    return f"{number(percent_of_quota)}% of quota"


def plan_rows(plans: Sequence[TargetPlan], symbol: str = "$") -> list[tuple[str, list[str]]]:
    """The calculator as rows (label, one cell per target), in the order of the QSR template."""
    rows: list[tuple[str, list[str]]] = [
        ("Target", [money(p.target, symbol, whole=True) for p in plans]),
        ("Win rate", [percent(p.win_rate * 100) for p in plans]),
        ("Gap to goal", [money(p.gap_to_goal, symbol, whole=True) for p in plans]),
        ("Pipeline needed", [money(p.pipeline_needed, symbol, whole=True) for p in plans]),
        ("Open pipeline", [money(p.open_pipeline, symbol) for p in plans]),
        ("Pipeline to create", [money(p.pipeline_to_create, symbol, whole=True) for p in plans]),
        ("Average deal size", [money(p.avg_deal_size, symbol) for p in plans]),
        ("Opportunities needed", [number(p.opps_needed) for p in plans]),
        ("Weeks to work", [number(p.weeks_to_work) for p in plans]),
        ("Opportunities per week", [number(p.opps_per_week) for p in plans]),
        ("Pipeline per week", [money(p.pipeline_per_week, symbol, whole=True) for p in plans]),
    ]
    if plans and plans[0].meetings_per_week is not None:
        rows.append(("Meetings per week", [number(p.meetings_per_week) for p in plans]))
    return rows
