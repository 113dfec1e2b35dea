"""Section 4's CRM dashboards in the view context, as display strings (`render --crm`).

The figures come from `qsrkit.crm.dashboard`; this module only words and formats them, and sets
the weekly opportunities created beside the calculator's weekly need. Every table says the
export and the date its numbers are as of; the charts beside the tables come from
`charts_crm`. No template, no file output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.document.charts_crm import NAMES as CHARTS
from qsrkit.document.charts_crm import crm_charts

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig
    from qsrkit.crm.dashboard import Dashboard, Rule, ToClean
    from qsrkit.crm.dashboard_export import CrmData
    from qsrkit.document.charts import Chart
    from qsrkit.plan.calculator import TargetPlan


def crm_view(crm: CrmData | None, rep: str | None, quarter: str | None, config: OrgConfig,
             labels: dict[str, str], plans: list[TargetPlan] | None, columns: list[str],
             notes: list[str]) -> tuple[dict[str, Any] | None, dict[str, Any] | None,
                                         dict[str, Chart | None]]:
    """The `crm` and `weekly_created` context entries and the charts drawn from them
    (`charts_crm`); (None, None, no charts) without an export."""
    if crm is None:
        return None, None, dict.fromkeys(CHARTS)
    from qsrkit.crm.dashboard import dashboard_for

    head = {"file": PurePath(crm.file).name, "as_of": crm.as_of.isoformat(), "note": ""}
    if not rep:
        return {**head, "note": labels["crm_no_rep"]}, None, dict.fromkeys(CHARTS)
    found = dashboard_for(crm, rep, quarter, config)
    if found is None:
        note = labels["crm_not_in_export"].replace("{rep}", rep)
        notes.append(f"--crm: {note}")
        return {**head, "note": note}, None, dict.fromkeys(CHARTS)
    symbol = config.currency_symbol
    weekly = _weekly(found, plans, columns, labels, symbol)
    return ({**head, **_ae_dashboard(found, labels, symbol),
             **_clean_your_room(found, config, labels, symbol)},
            weekly, crm_charts(found, weekly, labels, symbol))


def _ae_dashboard(found: Dashboard, labels: dict[str, str], symbol: str) -> dict[str, Any]:
    def money(value: Decimal | None, *, whole: bool = False) -> str:
        # A weighted figure is an estimate: whole units, as `metrics` shows computed money.
        return fmt.money(value, symbol, whole=whole) if value is not None else "—"

    stages = [{"stage": r.stage or labels["no_stage"], "deals": fmt.number(r.deals),
               "amount": money(r.amount), "weighted": money(r.weighted, whole=True)}
              for r in found.stages]
    weighing = ""
    if found.unweighed:
        named = ", ".join(s or labels["no_stage"] for s in found.unweighed)
        weighing = labels["cannot_weigh"].replace("{n}", named)
    elif found.weighed_by:
        weighing = labels[f"weighed_by_{found.weighed_by}"]
    win_rate = fmt.percent(found.win_rate * 100) if found.win_rate is not None else "—"
    return {
        "quarter": found.quarter,
        "previous_quarter": found.previous_quarter,
        "stages": stages,
        "no_pipeline": (labels["no_open_pipeline"].replace("{n}", found.quarter)
                        if not stages else ""),
        "total": {"stage": labels["total"], "deals": fmt.number(found.open_deals),
                  "amount": money(found.open_amount),
                  "weighted": money(found.weighted, whole=True)},
        "weighing": weighing,
        "win_rate": f"{win_rate} ({found.won} {labels['decided_of']} {found.decided} "
                    f"{labels['decided']})",
        "tiers": [{"tier": t.tier, "won": fmt.number(t.won), "lost": fmt.number(t.lost),
                   "days_to_win": _days(t.days_to_win), "days_to_lose": _days(t.days_to_lose)}
                  for t in found.tiers],
    }


def _days(value: Decimal | None) -> str:
    return fmt.number(value) if value is not None else "—"


def _clean_your_room(found: Dashboard, config: OrgConfig, labels: dict[str, str],
                     symbol: str) -> dict[str, Any]:
    settings = config.dashboard
    thresholds = {"past_close": found.as_of.isoformat(), "aging": str(settings.aging_days),
                  "early_closing": str(settings.closing_within_weeks),
                  "pushed": str(settings.pushes_at_least), "no_next_step": ""}
    unknown = {"pushed": labels["needs_push_count"], "no_next_step": labels["needs_next_step"]}

    def rule_row(rule: Rule) -> dict[str, str]:
        text = labels[f"rule_{rule.key}"].replace("{n}", thresholds[rule.key])
        if not rule.known:
            return {"check": labels[rule.key], "rule": f"{text} ({unknown[rule.key]})",
                    "deals": "—", "amount": "—"}
        return {"check": labels[rule.key], "rule": text, "deals": fmt.number(rule.deals),
                "amount": fmt.money(rule.amount, symbol)}

    listed = [_deal_row(t, labels, symbol) for t in found.to_clean]
    return {
        "rules": [rule_row(r) for r in found.rules],
        "to_clean": listed,
        "nothing_to_clean": labels["nothing_to_clean"] if not listed else "",
        "more": labels["and_more"].replace("{n}", f"{found.more:,}") if found.more else "",
    }


def _deal_row(deal: ToClean, labels: dict[str, str], symbol: str) -> dict[str, str]:
    details = {"past_close": f" ({deal.days_past} d)", "aging": f" ({deal.age} d)",
               "pushed": f" ({deal.pushes}×)"}
    reasons = "; ".join(labels[r] + details.get(r, "") for r in deal.reasons)
    return {"deal": deal.name or "—", "stage": deal.stage or labels["no_stage"],
            "amount": fmt.money(deal.amount, symbol),
            "close": deal.close.isoformat() if deal.close else "—", "reasons": reasons}


def _weekly(found: Dashboard, plans: list[TargetPlan] | None, columns: list[str],
            labels: dict[str, str], symbol: str) -> dict[str, Any]:
    """The weeks with their numbers (for a chart) and as text, the need for each target."""
    needs = [{"label": f"{labels['needed_for']} {column}", "per_week": plan.opps_per_week,
              "shown": fmt.significant(plan.opps_per_week, up=True)}
             for plan, column in zip(plans or [], columns, strict=False)]
    weeks = [{"first": w.first.isoformat(), "last": w.last.isoformat(), "count": w.created,
              "pipeline": w.amount, "week": w.first.isoformat(), "created": fmt.number(w.created),
              "amount": fmt.money(w.amount, symbol), "needs": [n["shown"] for n in needs]}
             for w in found.weeks]
    return {"as_of": found.as_of.isoformat(), "needs": needs, "weeks": weeks,
            "columns": [n["label"] for n in needs]}
