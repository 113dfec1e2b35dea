"""The team at a glance: one row per rep, a team total and a team median, and what stands out.

Each rep's figures come from their answers file and the calculator, computed exactly as
`qsrkit calc FILE` computes them (the org's targets, the last replaced by the rep's personal
goal). The columns, for this quarter unless named otherwise:

    quota                 current_quarter.outlook.quota
    last quarter          previous_quarter.metrics: actual revenue ÷ quota
    personal goal         outlook.personal_goal (an amount, or a percent of quota)
    win rate, deal size   last quarter's actual → this quarter's plan (the calculator's input)
    opps/week planned     outlook.weekly_opportunity_goal, the rep's own plan
    opps/week needed      the calculator, for 100% of quota and for the personal goal
    pipeline to create    the calculator, for 100% of quota
    coverage              open pipeline ÷ gap to quota (quota − closed won); ∞ when nothing is left
    gap to quota          quota − closed won so far (never below 0)

The total row adds amounts and weekly counts, and gives attainment and coverage of the sums;
rates and deal sizes have no total. The median row is the middle rep of each column.

What stands out (three rules, so the flags stay few and each can be explained in a sentence):

    behind pace           quota needs more opportunities a week than the rep created a week
                          last quarter (previous_quarter.metrics.weekly_opportunities.actual)
    plan short            the rep plans fewer opportunities a week than their own personal goal
                          needs (or has no weekly plan while the goal needs some)
    thin pipeline         coverage below half the team's median coverage

Reps whose file is missing or has errors are listed, not counted. Nothing here prints.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit.errors import QsrError, UsageError

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig
    from qsrkit.plan.calculator import TargetPlan
    from qsrkit.team.roster import RepFile

BEHIND_PACE, PLAN_SHORT, THIN_PIPELINE = "behind pace", "plan short", "thin pipeline"
RULES = {
    BEHIND_PACE: "quota needs more opportunities a week than the rep created a week last quarter",
    PLAN_SHORT: "the rep's weekly plan is below what their own personal goal needs",
    THIN_PIPELINE: "open pipeline covers less than half as much of the gap as the team's median",
}


@dataclass
class RepRow:
    """One rep's figures (None where the file cannot say), with the flags raised."""

    rep: str
    quota: Decimal | None = None
    last_quota: Decimal | None = None
    last_revenue: Decimal | None = None
    personal_goal: Decimal | None = None
    personal_goal_percent: Decimal | None = None
    win_rate_last: Decimal | None = None  # percent points
    win_rate_goal_last: Decimal | None = None
    win_rate_planned: Decimal | None = None
    deal_size_last: Decimal | None = None
    deal_size_goal_last: Decimal | None = None
    deal_size_planned: Decimal | None = None
    weekly_opps_last: Decimal | None = None
    weekly_opps_planned: Decimal | None = None
    weekly_opps_needed: Decimal | None = None  # 100% of quota
    weekly_opps_needed_goal: Decimal | None = None  # the personal goal (the last target)
    goal_label: str = ""
    pipeline_to_create: Decimal | None = None
    open_pipeline: Decimal | None = None
    closed_won: Decimal | None = None
    gap_to_quota: Decimal | None = None
    plans: list[TargetPlan] | None = None
    calculator_note: str = ""  # why the calculator is blank
    flags: list[str] = field(default_factory=list)

    @property
    def last_attainment(self) -> Decimal | None:
        return _ratio(self.last_revenue, self.last_quota)

    @property
    def coverage(self) -> Decimal | None:
        """Open pipeline ÷ gap to quota; None when unknown or nothing is left to close."""
        return _ratio(self.open_pipeline, self.gap_to_quota)


def _ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    return None if part is None or not whole else part / whole


def rep_row(entry: RepFile, config: OrgConfig) -> RepRow:
    """The figures of one rep whose file reads cleanly."""
    from qsrkit.plan import calculator
    from qsrkit.plan.inputs import CalcFlags, resolve
    from qsrkit.plan.rows import target_label

    answers = entry.answers
    assert answers is not None
    prev, out = answers.previous_quarter.metrics, answers.current_quarter.outlook
    calc = answers.current_quarter.calculator
    row = RepRow(
        rep=entry.rep, quota=out.quota, last_quota=prev.quota, last_revenue=prev.actual_revenue,
        personal_goal=out.personal_goal_amount, personal_goal_percent=out.personal_goal_percent,
        win_rate_last=prev.win_rate.actual, win_rate_goal_last=prev.win_rate.goal,
        win_rate_planned=out.win_rate, deal_size_last=prev.average_deal_size.actual,
        deal_size_goal_last=prev.average_deal_size.goal, deal_size_planned=out.average_deal_size,
        weekly_opps_last=prev.weekly_opportunities.actual,
        weekly_opps_planned=out.weekly_opportunity_goal,
        open_pipeline=calc.open_pipeline, closed_won=calc.closed_won,
    )
    if row.quota is not None and row.closed_won is not None:
        row.gap_to_quota = max(Decimal(0), row.quota - row.closed_won)
    try:
        inputs, targets = resolve(CalcFlags(), answers, config.calendar, list(config.targets))
        plans = calculator.plan(inputs, (Decimal(100), *(t for t in targets if t != 100)))
    except UsageError as exc:
        row.calculator_note = exc.message.replace("the calculator is missing: ", "missing ")
        return row
    except QsrError as exc:
        row.calculator_note = exc.message
        return row
    row.plans = plans
    row.weekly_opps_needed = plans[0].opps_per_week
    row.pipeline_to_create = plans[0].pipeline_to_create
    goal = next((p for p in plans if p.personal_goal), plans[-1])
    row.weekly_opps_needed_goal = goal.opps_per_week
    row.goal_label = target_label(goal.percent_of_quota, goal.personal_goal)
    return row


def median(values: list[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def total(values: list[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def raise_flags(rows: list[RepRow]) -> None:
    """The three rules of the module docstring, against the team's median coverage."""
    team_coverage = median([r.coverage for r in rows])
    for row in rows:
        need, last = row.weekly_opps_needed, row.weekly_opps_last
        if need is not None and last is not None and need > last:
            row.flags.append(BEHIND_PACE)
        goal_need, planned = row.weekly_opps_needed_goal, row.weekly_opps_planned
        if goal_need is not None and goal_need > 0 and (planned is None or planned < goal_need):
            row.flags.append(PLAN_SHORT)
        if (team_coverage is not None and row.coverage is not None
                and row.coverage < team_coverage / 2):
            row.flags.append(THIN_PIPELINE)


@dataclass
class Summary:
    """The total and median rows and the check against the manager's number."""

    total: dict[str, Decimal | None]
    median: dict[str, Decimal | None]
    team_quota: Decimal | None
    quota_sum: Decimal | None
    goal_sum: Decimal | None

    @property
    def quota_share(self) -> Decimal | None:
        return _ratio(self.quota_sum, self.team_quota)

    @property
    def goal_share(self) -> Decimal | None:
        return _ratio(self.goal_sum, self.team_quota)


# The columns that have a total and a median (the rest have a median only).
SUMMED = ("quota", "personal_goal", "weekly_opps_planned", "weekly_opps_needed",
          "weekly_opps_needed_goal", "pipeline_to_create", "gap_to_quota", "open_pipeline",
          "closed_won", "last_quota", "last_revenue")
MEDIAN_ONLY = ("win_rate_last", "win_rate_planned", "deal_size_last", "deal_size_planned",
               "last_attainment", "coverage")


def summarise(rows: list[RepRow], team_quota: Decimal | None) -> Summary:
    totals = {name: total([getattr(r, name) for r in rows]) for name in SUMMED}
    totals["last_attainment"] = _ratio(
        total([r.last_revenue for r in rows if r.last_quota]),
        total([r.last_quota for r in rows if r.last_revenue is not None]))
    totals["coverage"] = _ratio(totals["open_pipeline"], total(
        [r.gap_to_quota for r in rows if r.open_pipeline is not None]))
    medians = {name: median([getattr(r, name) for r in rows]) for name in (*SUMMED, *MEDIAN_ONLY)}
    return Summary(totals, medians, team_quota, totals["quota"], totals["personal_goal"])


def as_json(value: Decimal | None, places: int = 2) -> float | None:
    from qsrkit.formatting import rounded

    return None if value is None else float(rounded(value, places))


def row_json(row: RepRow) -> dict[str, Any]:
    """A rep's row as plain numbers: money to the cent, rates and attainment as fractions."""
    def rate(value: Decimal | None) -> float | None:
        return None if value is None else as_json(value / 100, 4)

    return {
        "rep": row.rep,
        "quota": as_json(row.quota),
        "last_quarter_attainment": as_json(row.last_attainment, 4),
        "personal_goal": as_json(row.personal_goal),
        "win_rate": {"last_quarter": rate(row.win_rate_last),
                     "last_quarter_goal": rate(row.win_rate_goal_last),
                     "planned": rate(row.win_rate_planned)},
        "average_deal_size": {"last_quarter": as_json(row.deal_size_last),
                              "last_quarter_goal": as_json(row.deal_size_goal_last),
                              "planned": as_json(row.deal_size_planned)},
        "weekly_opportunities": {"last_quarter": as_json(row.weekly_opps_last),
                                 "planned": as_json(row.weekly_opps_planned),
                                 "needed_for_quota": as_json(row.weekly_opps_needed),
                                 "needed_for_goal": as_json(row.weekly_opps_needed_goal)},
        "pipeline_to_create": as_json(row.pipeline_to_create),
        "open_pipeline": as_json(row.open_pipeline),
        "coverage": as_json(row.coverage),
        "gap_to_quota": as_json(row.gap_to_quota),
        "calculator": [p.as_json() for p in row.plans] if row.plans else None,
        "calculator_missing": row.calculator_note or None,
        "flags": row.flags,
    }


def summary_json(summary: Summary) -> dict[str, Any]:
    def figures(found: dict[str, Decimal | None]) -> dict[str, float | None]:
        return {name: as_json(value, 4 if name == "last_attainment" else 2)
                for name, value in found.items()}

    return {"total": figures(summary.total), "median": figures(summary.median),
            "team_quota": as_json(summary.team_quota), "quota_sum": as_json(summary.quota_sum),
            "personal_goal_sum": as_json(summary.goal_sum),
            "quota_share": as_json(summary.quota_share, 4),
            "personal_goal_share": as_json(summary.goal_share, 4)}
