"""Section 4's numbers in the view context: the outlook and the opportunity creation calculator.

The calculator is computed exactly as `qsrkit calc FILE` computes it, so the document and the
terminal never disagree. The outlook sets the rep's own weekly plan beside what the calculator
says is needed, in words a manager reads at a glance ("plans 3.5 a week; 4.1 needed").
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.errors import QsrError, UsageError
from qsrkit.plan.rows import blank_rows, plan_rows, target_label

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers, Outlook
    from qsrkit.config import OrgConfig
    from qsrkit.plan.calculator import TargetPlan


def calculator(answers: Answers, config: OrgConfig, notes: list[str],
               labels: dict[str, str]) -> tuple[list[TargetPlan] | None, dict[str, Any]]:
    """The plans (None while inputs are missing) and the calculator's context entry."""
    from qsrkit.plan import calculator as calc
    from qsrkit.plan.inputs import CalcFlags, resolve

    symbol = config.currency_symbol
    plans: list[TargetPlan] | None
    try:
        inputs, chosen = resolve(CalcFlags(), answers, config.calendar, list(config.targets),
                                 notes=notes)
        plans = calc.plan(inputs, chosen)
        columns = [target_label(p.percent_of_quota, p.personal_goal,
                                labels["personal_goal_column"]) for p in plans]
        rows = plan_rows(plans, symbol)
    except QsrError as exc:
        if not isinstance(exc, UsageError):  # missing inputs are normal in a half-filled file
            notes.append(f"the calculator was left blank: {exc.message}")
        plans = None
        columns = [target_label(p) for p in config.targets]
        rows = blank_rows(len(columns), symbol)
    as_of = answers.current_quarter.calculator.as_of
    return plans, {
        "complete": plans is not None,
        "columns": columns,
        "rows": [{"label": label, "cells": cells} for label, cells in rows],
        "as_of": as_of.isoformat() if as_of else "",
    }


def outlook(out: Outlook, plans: list[TargetPlan] | None, columns: list[str],
            labels: dict[str, str], symbol: str) -> list[dict[str, str]]:
    """The outlook rows: the rep's numbers and goals, then the weekly need for each target."""

    def money(value: Decimal | None) -> str:
        return fmt.money(value, symbol)

    rows = [
        (labels["quota"], money(out.quota)),
        (labels["personal_goal"], money(out.personal_goal_amount)),
        (labels["personal_goal_percent"], fmt.percent(out.personal_goal_percent)),
        (labels["win_rate"], fmt.percent(out.win_rate)),
        (labels["average_deal_size"], money(out.average_deal_size)),
        (labels["opportunities_won_goal"], fmt.number(out.opportunities_won_goal)),
        (labels["weekly_meeting_goal"], fmt.number(out.weekly_meeting_goal)),
        (labels["weekly_opportunity_goal"], fmt.number(out.weekly_opportunity_goal)),
        (labels["weekly_pipeline_goal"], money(out.weekly_pipeline_goal)),
    ]
    unknown: list[TargetPlan | None] = [None] * len(columns)
    for column, plan in zip(columns, plans or unknown, strict=True):
        need = (f"{fmt.significant(plan.opps_per_week, up=True)} {labels['opportunities_short']}"
                f" · {fmt.money_up(plan.pipeline_per_week, symbol)}") if plan else (
            f"___ {labels['opportunities_short']} · {money(None)}")
        rows.append((f"{labels['weekly_creation_for']} {column}", need))
    if plans and out.weekly_opportunity_goal is not None:
        rows.append((labels["plan_against_need"], _plan_against_need(
            out.weekly_opportunity_goal, plans, columns, labels)))
    return [{"metric": metric, "value": value} for metric, value in rows]


def _plan_against_need(goal: Decimal, plans: list[TargetPlan], columns: list[str],
                       labels: dict[str, str]) -> str:
    """`plans 3.5 a week; 4.1 needed for 100% of quota, 6.2 for 150% of quota (personal goal)`."""
    needs = [f"{fmt.significant(plan.opps_per_week, up=True)} {labels['for']} {column}"
             for plan, column in zip(plans, columns, strict=True)]
    # "4.1 needed for 100% of quota, 6.2 for 150% of quota": the word once, on the first.
    figure, _, tail = needs[0].partition(" ")
    needs[0] = f"{figure} {labels['needed']} {tail}"
    return f"{labels['plans']} {fmt.number(goal)} {labels['a_week']}; {', '.join(needs)}"
