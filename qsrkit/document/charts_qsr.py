"""The QSR's charts, from the same figures its tables print.

    attainment   Section 1: last quarter's goals against results, one bar pair per metric that
                 has both (goal = 100%, actual = actual ÷ goal × 100, as the Attainment column
                 prints it). Win rate is left out: the table gives it as a difference in points,
                 not a share of its goal.
    pacing       Section 4: this quarter's target for each calculator column (100% of quota and
                 the personal goal), closed won so far, and the open pipeline closing this
                 quarter: the calculator's Target, Closed won to date and Open pipeline rows.

Titles and series names are labels (`wording:` in qsrkit.yaml renames them). A chart whose
figures are missing is None, and the template's `chart` filter leaves it out.
Nothing here renders or prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from qsrkit.document.charts import (
    BAR,
    BLUE,
    COLUMN,
    GREY,
    MONEY,
    NAVY,
    ORANGE,
    PERCENT,
    Chart,
    cents,
    chart,
    one_place,
    whole,
)

if TYPE_CHECKING:
    from qsrkit.answers.models import PreviousQuarter
    from qsrkit.plan.calculator import TargetPlan


def qsr_charts(prev: PreviousQuarter, plans: Sequence[TargetPlan] | None, columns: Sequence[str],
               labels: dict[str, str], symbol: str, quarter: str = "") -> dict[str, Chart | None]:
    """The QSR's charts by the name the template uses (`charts.attainment`, `charts.pacing`)."""
    return {
        "attainment": attainment(prev, labels, quarter),
        "pacing": pacing(plans, columns, labels, symbol),
    }


def attainment(prev: PreviousQuarter, labels: dict[str, str], quarter: str = "") -> Chart | None:
    m = prev.metrics
    pairs: list[tuple[str, Decimal | int | None, Decimal | int | None]] = [
        (labels["revenue_vs_quota"], m.actual_revenue, m.quota),
        (labels["revenue_vs_personal_goal"], m.actual_revenue, m.personal_goal),
        (labels["weekly_meetings"], m.weekly_meetings.actual, m.weekly_meetings.goal),
        (labels["weekly_opportunities"], m.weekly_opportunities.actual, m.weekly_opportunities.goal),
        (labels["weekly_pipeline"], m.weekly_pipeline.actual, m.weekly_pipeline.goal),
        (labels["opportunities_won"], m.opportunities_won.actual, m.opportunities_won.goal),
        (labels["average_deal_size"], m.average_deal_size.actual, m.average_deal_size.goal),
    ]
    rows = []
    for label, actual, goal in pairs:
        if actual is None or not goal:
            continue
        rows.append((label, (Decimal(100), one_place(Decimal(actual) * 100 / Decimal(goal)))))
    title = f"{labels['attainment']} ({quarter})" if quarter else labels["attainment"]
    return chart("attainment", title, BAR, rows,
                 ((labels["goal"], GREY, False), (labels["actual"], BLUE)), unit=PERCENT)


def pacing(plans: Sequence[TargetPlan] | None, columns: Sequence[str], labels: dict[str, str],
           symbol: str) -> Chart | None:
    if not plans:
        return None
    rows = [(column, (whole(p.target), cents(p.closed_won), cents(p.open_pipeline)))
            for column, p in zip(columns, plans, strict=True)]
    return chart("pacing", labels["pacing_chart"], COLUMN, rows,
                 ((labels["pacing_target"], GREY), (labels["closed_won_to_date"], NAVY),
                  (labels["open_pipeline"], ORANGE)),
                 unit=MONEY, symbol=symbol)

