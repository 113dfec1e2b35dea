"""What a CRM export already knows about a rep, as answers to prefill (`qsrkit new --crm`, `metrics`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from qsrkit.answers.prefill import Prefill
from qsrkit.config import OrgConfig
from qsrkit.crm.metrics import ExportMetrics, RepMetrics
from qsrkit.errors import Problem, UsageError


@dataclass
class CrmRequest:
    """Everything `new --crm` needs to know besides where to write."""

    export: Path
    columns: Path | None = None
    quotas: Path | None = None
    team_list: Path | None = None
    quarter: str | None = None
    as_of: str | None = None
    trailing: int = 1  # the quarters the plan's win rate and deal size are computed over
    # Filled in by `metrics_for`: located warnings about the inputs (rows left out, names
    # cleaned, quotas for nobody), for whoever made the request to show. A command that writes
    # files gets them here because what it returns is about the files written.
    warnings: list[Problem] = field(default_factory=list)
    # Filled in by `prefill_for`: a warning for each rep prefilled from too few deals.
    notes: list[str] = field(default_factory=list)


def resolve_dates(config: OrgConfig, quarter: str | None, as_of: str | None,
                  today: dt.date | None = None) -> tuple[str, dt.date]:
    """The quarter being planned and the as-of date: --quarter, else the as-of date's quarter."""
    from qsrkit.answers.parse import parse_date, parse_quarter

    try:
        day = parse_date(as_of) if as_of else (today or dt.date.today())
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None
    try:
        planned = parse_quarter(quarter) if quarter else config.calendar.quarter_of(day)
    except ValueError as exc:
        raise UsageError(f"--quarter: {exc}") from None
    return planned, day


def metrics_for(request: CrmRequest, config: OrgConfig, *, today: dt.date | None = None,
                team: list[str] | None = None) -> ExportMetrics:
    from qsrkit.crm import inputs
    from qsrkit.crm import metrics as crm_metrics
    from qsrkit.crm.columns import load_layout

    quarter, as_of = resolve_dates(config, request.quarter, request.as_of, today)
    layout = load_layout(request.columns) if request.columns else None
    quotas = inputs.load_quotas(request.quotas) if request.quotas else None
    listed: inputs.Team | list[str] | None = team
    if team is None and request.team_list is not None:
        listed = inputs.load_team(request.team_list)
    found = crm_metrics.compute(request.export, calendar=config.calendar, quarter=quarter,
                                as_of=as_of, layout=layout, quotas=quotas, team=listed,
                                trailing=request.trailing)
    request.warnings.extend(found.warnings)
    return found


def prefill_from(metrics: RepMetrics, source: str, quotas: str | None = None) -> Prefill:
    """The answers a CRM export fills in, each noted with the file, the quarters and the deals
    it came from. Last quarter's actuals are that quarter's; the plan's starting win rate and
    deal size are over `metrics.trailing` quarters, and say when they rest on a small sample."""
    prefill = Prefill()
    prev = f"from {source} (CRM), {metrics.previous_quarter}"
    now = f"from {source} (CRM), {metrics.quarter} as of {metrics.as_of.isoformat()}"
    m = "previous_quarter.metrics."
    won, created, weeks = metrics.opportunities_won, metrics.opportunities_created, metrics.weeks
    prefill.set("previous_quarter.quarter", metrics.previous_quarter, f"from {source} (CRM)")
    prefill.set(m + "quota", metrics.previous_quota, f"from {quotas}, {metrics.previous_quarter}")
    prefill.set(m + "actual_revenue", metrics.actual_revenue, f"{prev}: closed won")
    prefill.set(m + "weekly_opportunities.actual", metrics.weekly_opportunities,
                f"{prev}: {created} created over {weeks} weeks")
    prefill.set(m + "weekly_pipeline.actual", metrics.weekly_pipeline,
                f"{prev}: {_amount(metrics.pipeline_created)} created over {weeks} weeks, "
                "rounded")
    prefill.set(m + "win_rate.actual", metrics.win_rate,
                f"{prev}: {won} won of {won + metrics.opportunities_lost} decided")
    days = (f"; average days to win {metrics.average_days_to_win} over {_deals(won)}"
            if metrics.average_days_to_win is not None else "")
    prefill.set(m + "opportunities_won.actual", won, prev + days)
    prefill.set(m + "average_deal_size.actual", metrics.average_deal_size,
                f"{prev}: average of {_deals(won)}, rounded")
    c = "current_quarter."
    prefill.set(c + "outlook.quota", metrics.quota, f"from {quotas}, {metrics.quarter}")
    # The recent results as the starting plan, so `qsrkit calc` runs without typing.
    sample = metrics.trailing
    small = sample.small
    basis = ("last quarter's actual" if sample.quarters == 1
             else f"the actual of the last {sample.quarters} quarters")
    change = "change it if you plan on another"
    if sample.win_rate:
        said = "small sample: " if "win_rate" in small else ""
        prefill.set(c + "outlook.win_rate", sample.win_rate,
                    f"{basis} ({source}, {sample.span}), {said}{sample.won} won of "
                    f"{sample.decided} decided; {change}")
    said = "small sample: " if "average_deal_size" in small else ""
    prefill.set(c + "outlook.average_deal_size", sample.average_deal_size,
                f"{basis} ({source}, {sample.span}), {said}average of {_deals(sample.won)}; "
                f"{change}")
    prefill.set(c + "calculator.closed_won", metrics.closed_won, now)
    prefill.set(c + "calculator.open_pipeline", metrics.open_pipeline,
                f"{now}: {metrics.open_opportunities} open")
    prefill.set(c + "calculator.weeks_to_work", metrics.weeks_to_work,
                f"to the end of {metrics.quarter}, counted from as_of")
    prefill.set(c + "calculator.as_of", metrics.as_of, "the date of the CRM numbers")
    return prefill


def _amount(value: Decimal) -> str:
    """`85,999` or `85,999.50`: a sum as the CRM has it, without a currency symbol."""
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def _deals(won: int) -> str:
    return f"{won} won deal{'s' * (won != 1)}"


def prefill_for(metrics: RepMetrics, request: CrmRequest) -> Prefill:
    """`prefill_from` for one rep of a request; its small-sample warning joins `request.notes`."""
    warning = metrics.sample_warning()
    if warning:
        request.notes.append(warning)
    return prefill_from(metrics, request.export.name,
                        request.quotas.name if request.quotas else None)
