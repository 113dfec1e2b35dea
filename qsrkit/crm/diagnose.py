"""`qsrkit diagnose`: read the export (and the snapshots), work out every rep's figures and the
team's medians, and raise the tendencies. One call for the CLI; nothing here prints.

The period is the quarter before the as-of date's quarter (as `metrics` reflects on it), or the
last N quarters up to that one (`--quarters N`): small samples make for dishonest signals.
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.answers.parse import shown
from qsrkit.crm import names
from qsrkit.crm.diagnostics import (
    SAMPLES,
    Context,
    Figures,
    Period,
    attach_history,
    figures,
    metrics_json,
    team_medians,
)
from qsrkit.crm.tendencies import Flag, figures_text, flags_for, load_wording
from qsrkit.errors import InvalidInput, Problem, UsageError

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig
    from qsrkit.crm.deals import Deal
    from qsrkit.crm.history import History

MAX_QUARTERS = 8
_ICP_COLUMNS = ("industry", "segment", "lead_source", "employees")


@dataclass
class DiagnoseRequest:
    export: Path
    history: Path | None = None
    columns: Path | None = None
    rep: str | None = None
    quarters: int = 1
    as_of: str | None = None


@dataclass
class RepDiagnosis:
    rep: str
    figures: Figures
    flags: list[Flag]
    values: dict[str, str]  # every figure as people read it (for the documents)
    note: str = ""  # why nothing could be flagged, when that is so

    def as_json(self) -> dict[str, Any]:
        return {"rep": self.rep, "metrics": metrics_json(self.figures),
                "samples": {k: self.figures.samples[k] for k in SAMPLES},
                "days_by_tier": [_tier_json(name, found)
                                 for name, found in self.figures.days_by_tier.items()],
                "flags": [f.as_json() for f in self.flags]}


def _tier_json(name: str, found: dict[str, Any]) -> dict[str, Any]:
    """One revenue tier's days to win and to lose (to 0.1, null without a deal), with the deals
    they rest on: seed 000's dashboards look at the cycle by deal size."""

    def days(value: Any) -> float | None:
        return None if value is None else float(value)

    return {"tier": name, "won": found["won"], "lost": found["lost"],
            "avg_days_to_win": days(found["avg_days_to_win"]),
            "avg_days_to_lose": days(found["avg_days_to_lose"])}


@dataclass
class Diagnosis:
    file: str
    as_of: dt.date
    first_quarter: str
    last_quarter: str
    history: History | None
    team: Figures
    reps: list[RepDiagnosis]
    why_missing: dict[str, str]  # metric -> why the data cannot say (for every rep)
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def period(self) -> str:
        if self.first_quarter == self.last_quarter:
            return self.last_quarter
        return f"{self.first_quarter} to {self.last_quarter}"

    def as_json(self) -> dict[str, Any]:
        history = None
        if self.history is not None:
            history = {"snapshots": self.history.snapshots, "first": self.history.first.isoformat(),
                       "last": self.history.last.isoformat()}
        return {
            "file": self.file, "as_of": self.as_of.isoformat(),
            "period": {"first_quarter": self.first_quarter, "last_quarter": self.last_quarter},
            "history": history, "team": metrics_json(self.team),
            "reps": [r.as_json() for r in self.reps],
        }


def diagnose(request: DiagnoseRequest, config: OrgConfig, *,
             today: dt.date | None = None) -> Diagnosis:
    from qsrkit.answers.parse import parse_date
    from qsrkit.crm.columns import load_layout
    from qsrkit.crm.deals import read_deals
    from qsrkit.crm.history import PendingHistory

    try:
        as_of = parse_date(request.as_of) if request.as_of else (today or dt.date.today())
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None
    if not 1 <= request.quarters <= MAX_QUARTERS:
        raise UsageError(f"--quarters {request.quarters}: give 1 to {MAX_QUARTERS} quarters")
    calendar = config.calendar
    last_quarter = calendar.previous_quarter(calendar.quarter_of(as_of))
    first_quarter = last_quarter
    for _ in range(request.quarters - 1):
        first_quarter = calendar.previous_quarter(first_quarter)
    first_day = calendar.quarter_bounds(first_quarter)[0].toordinal()
    last_day = calendar.quarter_bounds(last_quarter)[1].toordinal()
    ends: dict[int, int] = {}

    def quarter_end(day: int) -> int:
        end = ends.get(day)
        if end is None:
            quarter = calendar.quarter_of(dt.date.fromordinal(day))
            end = ends[day] = calendar.quarter_bounds(quarter)[1].toordinal()
        return end

    layout = load_layout(request.columns) if request.columns else None
    wording = load_wording(_templates(config))
    # Reading keeps hundreds of thousands of small records and none of them refers to another,
    # so the cycle collector only slows the reading down (by a third on 1,000,000 deals).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if request.history is None:
            export, history = read_deals(request.export, first_day, layout), None
        else:
            # The snapshots are read by worker processes while this one reads the export.
            with PendingHistory(request.history, layout) as pending:
                export = read_deals(request.export, first_day, layout)
                history = pending.result()
    finally:
        if collecting:
            gc.enable()
    if history is not None and "opportunity_id" not in export.columns:
        raise InvalidInput.at(export.file, "--history follows deals by their opportunity id, "
                              "and this export has no id column ('Opportunity ID' in "
                              "Salesforce, 'Record ID' in HubSpot, or `opportunity_id:` in a "
                              "--columns mapping file); add it to the report", line=1)

    why = _why_missing(export.columns, history, config)
    rules = config.icp
    ctx = Context(
        period=Period(first_day, last_day, first_quarter, last_quarter, quarter_end),
        history=history, icp=rules,
        icp_ready=rules is not None and "icp_win_rate" not in why,
        tiers=config.tiers,
        no_decision=frozenset(" ".join(r.split()).casefold()
                              for r in config.thresholds.no_decision_reasons),
        has_pushes="push_count" in export.columns,
        has_loss_reason="loss_reason" in export.columns,
    )
    if history is not None:
        attach_history(export.deals, history, quarter_end)
    owners, notes = _by_owner(export.deals, export.first_row)
    everyone = {rep: figures(deals, ctx) for rep, deals in owners.items()}
    team = team_medians(list(everyone.values()))
    if history is not None and team.metrics["stage_win_rates"]:
        rates = team.metrics["stage_win_rates"]  # in funnel order, as each rep's are
        funnel = [history.stage_names.get(s, s) for s in history.stage_order]
        team.metrics["stage_win_rates"] = {s: rates[s] for s in funnel if s in rates}
    found = Diagnosis(export.file, as_of, first_quarter, last_quarter, history, team, [], why,
                      notes, list(export.warnings))
    chosen = list(everyone)
    if request.rep is not None:
        chosen = [_find(request.rep, chosen, export.file)]
    limits = config.thresholds
    for rep in chosen:
        mine = everyone[rep]
        values = figures_text(rep, found.period, mine, team, config.currency_symbol)
        note = ""
        if mine.samples["decided"] < limits.min_decided:
            note = (f"{mine.samples['decided']} decided deal(s) in {found.period}, fewer than the "
                    f"{limits.min_decided} needed before a tendency is raised")
        found.reps.append(RepDiagnosis(rep, mine, flags_for(mine, team, limits, wording, values),
                                       values, note))
    return found


def _templates(config: OrgConfig) -> Path | None:
    if not config.templates:
        return None
    return (config.folder or Path.cwd()) / config.templates


def _why_missing(columns: frozenset[str], history: History | None,
                 config: OrgConfig) -> dict[str, str]:
    why = {}
    if history is None or not history.has_commit:
        why["commit_win_rate"] = "needs history" if history is None else \
            "needs the forecast category in the snapshots"
    if history is None or not history.has_stage:
        why["stage_win_rates"] = "needs history" if history is None else \
            "needs the stage in the snapshots"
    if (history is None or not history.has_close) and "push_count" not in columns:
        why["scheduled_win_rate"] = "needs history or a push count column"
        why["multi_pushes"] = "needs history or a push count column"
    if "loss_reason" not in columns:
        why["no_decision_losses"] = "needs a loss reason column"
    if config.icp is None:
        why["icp_win_rate"] = why["outside_icp_win_rate"] = "needs `icp:` in qsrkit.yaml"
    else:
        lacking = [c for c in _ICP_COLUMNS if getattr(config.icp, c) is not None
                   and c not in columns]
        if lacking:
            why["icp_win_rate"] = why["outside_icp_win_rate"] = (
                f"needs the {', '.join(c.replace('_', ' ') for c in lacking)} column(s) the "
                "ICP rules name")
    return why


def _by_owner(deals: list[Deal], first_row: dict[str, int]) -> tuple[dict[str, list[Deal]], list[str]]:
    """Deals per person (`names.key`), shown as the first spelling in the export."""
    shown_as: dict[str, str] = {}
    for owner in sorted(first_row, key=first_row.__getitem__):
        shown_as.setdefault(names.key(owner), names.clean(owner)[0])
    grouped: dict[str, list[Deal]] = {}
    keys: dict[str, str] = {}
    unowned = 0
    for deal in deals:
        key = keys.get(deal.owner)
        if key is None:
            key = keys[deal.owner] = names.key(deal.owner)
        if not key:
            unowned += 1
            continue
        grouped.setdefault(key, []).append(deal)
    notes = [f"{unowned:,} opportunities have no owner and are left out"] if unowned else []
    ordered = sorted(grouped, key=lambda k: k)
    return {shown_as[k]: grouped[k] for k in ordered}, notes


def _find(name: str, reps: list[str], file: str) -> str:
    wanted = names.key(name)
    for rep in reps:
        if names.key(rep) == wanted:
            return rep
    raise UsageError(f"no opportunities owned by '{shown(name)}' in {file}"
                     + names.did_you_mean(name, reps),
                     hint=f"the owners in the export are: {names.listing(reps)}")
