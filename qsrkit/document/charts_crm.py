"""Section 4's charts from the CRM export (`render --crm`), from the figures its tables print.

    pipeline   the AE dashboard: per stage (the table's rows, without the total), the open
               amount and the weighted pipeline, as the Pipeline by stage table prints them
               (the amount to the cent, the weighted figure in whole units); a stage that could
               not be weighed has no weighted bar
    weekly     the 26 weeks of opportunities created, one point a week, against the
               calculator's weekly need for each target as the table prints it (rounded up)

Titles and series names are labels (`wording:` renames them). A chart without figures is None
and the template leaves it out. Nothing here renders or prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit.document.charts import (
    BAR,
    BLUE,
    GREEN,
    GREY,
    LINE,
    MONEY,
    ORANGE,
    Chart,
    cents,
    chart,
)

if TYPE_CHECKING:
    from qsrkit.crm.dashboard import Dashboard

NEED_COLORS = (GREY, ORANGE, GREEN)
NAMES = ("pipeline", "weekly")


def crm_charts(found: Dashboard | None, weekly: dict[str, Any] | None, labels: dict[str, str],
               symbol: str) -> dict[str, Chart | None]:
    """The CRM charts by the name the template uses (`charts.pipeline`, `charts.weekly`);
    both None without an export (or for a rep it does not know)."""
    if found is None:
        return dict.fromkeys(NAMES)
    return {"pipeline": pipeline(found, labels, symbol),
            "weekly": weekly_chart(weekly, labels)}


def pipeline(found: Dashboard, labels: dict[str, str], symbol: str) -> Chart | None:
    weighed = any(r.weighted is not None for r in found.stages)
    rows: list[tuple[str, tuple[Decimal | None, ...]]] = [
        (r.stage or labels["no_stage"],
         (cents(r.amount), None if r.weighted is None else _whole_as_printed(r.weighted))
         if weighed else (cents(r.amount),))  # nothing weighed: no legend entry without bars
        for r in found.stages]
    series: list[tuple[str, str]] = [(labels["open_pipeline"], ORANGE)]
    if weighed:
        series.append((labels["weighted_pipeline"], BLUE))
    return chart("pipeline", labels["pipeline_chart"], BAR, rows, series, unit=MONEY,
                 symbol=symbol)


def weekly_chart(weekly: dict[str, Any] | None, labels: dict[str, str]) -> Chart | None:
    if not weekly or not weekly["weeks"]:
        return None
    needs: Sequence[dict[str, Any]] = weekly["needs"]
    rows = [(w["week"], (Decimal(w["count"]), *(_printed(n) for n in w["needs"])))
            for w in weekly["weeks"]]
    series = [(labels["created"], BLUE),
              *((n["label"], NEED_COLORS[i % len(NEED_COLORS)]) for i, n in enumerate(needs))]
    return chart("weekly", labels["weekly_created"], LINE, rows, series)


def _whole_as_printed(value: Decimal) -> Decimal:
    # fmt.money(whole=True) rounds to the cent, then prints no decimals (half to even).
    return Decimal(f"{cents(value):.0f}")


def _printed(shown: str) -> Decimal:
    """A figure the table prints (`3.2`, `1,250`) as a number."""
    return Decimal(shown.replace(",", ""))
