"""A rep's diagnosis as people read it: one row per metric, the rep's figure beside the team's.

Shared by the terminal table and the coaching notes, so a figure reads the same in both. A
figure the data cannot give says why ("needs history"); one the rep has no deals for is a dash.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt

if TYPE_CHECKING:
    from qsrkit.crm.diagnose import Diagnosis, RepDiagnosis

LABELS = {
    "win_rate": "Win rate",
    "scheduled_win_rate": "Win rate, scheduled to win",
    "commit_win_rate": "Win rate, commits",
    "icp_win_rate": "Win rate, inside the ICP",
    "outside_icp_win_rate": "Win rate, outside the ICP",
    "avg_days_to_win": "Average days to win",
    "avg_days_to_lose": "Average days to lose",
    "multi_pushes": "Deals pushed twice or more",
    "no_decision_losses": "Losses to no decision",
    "asp": "Average selling price",
}
NONE = "–"


def _show(name: str, value: Any, symbol: str) -> str:
    if value is None:
        return NONE
    if name.endswith("rate") or name == "stage":
        return f"{fmt.number(Decimal(value) * 100)}%"
    if name == "asp":
        return fmt.money(Decimal(value), symbol)
    return fmt.number(value if isinstance(value, int) else Decimal(value))


def _sample(name: str, rep: RepDiagnosis) -> str:
    s, x = rep.figures.samples, rep.figures.extra
    if name == "win_rate":
        return f"{s['won']} of {s['decided']}"
    if name == "scheduled_win_rate" and s["scheduled"]:
        return f"{s['won']} won, {x['pushes']} pushed"
    if name == "commit_win_rate" and s["committed"]:
        return f"{x['committed_won']} of {s['committed']}"
    if name == "icp_win_rate":
        return f"{s['icp_decided']} decided"
    return ""


def metric_rows(found: Diagnosis, rep: RepDiagnosis, symbol: str) -> list[tuple[str, str, str]]:
    """(label, the rep's figure, the team's median) for each metric but the stage win rates."""
    rows = []
    for name, label in LABELS.items():
        mine, team = rep.figures.metrics[name], found.team.metrics[name]
        why = found.why_missing.get(name)
        if why is not None and mine is None:
            rows.append((label, why, ""))
            continue
        text = _show(name, mine, symbol)
        sample = _sample(name, rep) if mine is not None else ""
        rows.append((label, f"{text} ({sample})" if sample else text, _show(name, team, symbol)))
    return rows


def stage_rows(found: Diagnosis, rep: RepDiagnosis) -> list[tuple[str, str, str]]:
    """(stage, the rep's win rate from it, the team's median), in funnel order."""
    mine = rep.figures.metrics["stage_win_rates"] or {}
    team = found.team.metrics["stage_win_rates"] or {}
    order = list(team) + [s for s in mine if s not in team]
    return [(stage, _show("stage", mine.get(stage), ""), _show("stage", team.get(stage), ""))
            for stage in order]


def tier_rows(rep: RepDiagnosis) -> list[tuple[str, str, str]]:
    """(tier, days to win with the deals won, days to lose with the deals lost)."""
    rows = []
    for tier, found in rep.figures.days_by_tier.items():
        win = _show("days", found["avg_days_to_win"], "")
        lose = _show("days", found["avg_days_to_lose"], "")
        rows.append((tier, f"{win} ({found['won']} won)", f"{lose} ({found['lost']} lost)"))
    return rows
