"""How each rep sells, in the figures of seed 004: the metrics behind the three tendencies.

The period is one or more whole fiscal quarters. A deal is *decided* in the period when it was
won or lost with a close date inside it. Rates are fractions; a rate with nothing to divide by
is None (null), and so is every metric whose columns or history the data lacks.

    win rate               won / (won + lost), by count, over the deals decided in the period
    scheduled win rate     wins / (wins + pushes). A push is a deal whose close date was in the
                           period and moved out of it: with history, a deal a snapshot showed
                           closing in the period that now closes after it; with only the export,
                           a deal created by the period's end, closing after it, whose push
                           count is 1 or more. None with neither history nor push counts.
    commit win rate        of the deals a snapshot showed in the Commit category with a close
                           date in the period, the share won in the period. Needs history.
    ICP win rate           the win rate over decided deals inside the ideal customer profile
                           (`icp:` in qsrkit.yaml); outside-ICP win rate over the rest. None
                           without `icp:` or without a column its rules name.
    average days to win    mean of (close date - created date) over the won deals; to lose,
                           over the lost deals; also per revenue tier (`tiers:`)
    multi-pushes           deals decided in the period, or open now, pushed twice or more: by
                           the push count column, or (with history) whose close date left two
                           or more quarters for a later one; whichever shows more
    no-decision losses     lost deals whose loss reason is one of `no_decision_reasons`
    ASP                    average selling price: won amount / won deals, to the cent
    stage win rates        for each open stage, of the deals decided in the period that a
                           snapshot showed at that stage, the share won. Needs history. Stages
                           in the order deals go through them in the snapshots.

Behind the tendencies, not in the JSON metrics: the largest win's share of the won amount,
the pipeline created in the period (deals and amount), the share of wins in the smallest tier,
the share of decided deals inside the ICP, and the multi-push and no-decision shares.

The team's figure for each metric is the median of its reps' figures (reps without one are
left out). Pure computation: no reading, no printing.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from qsrkit.crm.columns import fold
from qsrkit.crm.values import BadValue, parse_amount

if TYPE_CHECKING:
    from qsrkit.config import IcpRules, Tier
    from qsrkit.crm.deals import Deal
    from qsrkit.crm.history import History

METRICS = ("win_rate", "scheduled_win_rate", "commit_win_rate", "icp_win_rate",
           "outside_icp_win_rate", "avg_days_to_win", "avg_days_to_lose", "multi_pushes",
           "no_decision_losses", "asp", "stage_win_rates")
SAMPLES = ("decided", "won", "lost", "scheduled", "committed", "icp_decided")
RATES = frozenset({"win_rate", "scheduled_win_rate", "commit_win_rate", "icp_win_rate",
                   "outside_icp_win_rate"})
_FOUR = Decimal("0.0001")
_TENTH = Decimal("0.1")
_CENT = Decimal("0.01")


@dataclass
class Period:
    first: int  # ordinals of the first and last day
    last: int
    first_quarter: str
    last_quarter: str
    quarter_end: Callable[[int], int]  # the last day of the quarter a day falls in

    def holds(self, day: int) -> bool:
        return self.first <= day <= self.last


@dataclass
class Context:
    """What the figures depend on besides the deals."""

    period: Period
    history: History | None
    icp: IcpRules | None
    icp_ready: bool  # the export has every column the ICP rules name
    tiers: list[Tier]
    no_decision: frozenset[str]  # folded loss reasons
    has_pushes: bool
    has_loss_reason: bool


@dataclass
class Figures:
    """One rep's figures (or the team's medians): the metrics, their samples, and the figures
    behind the tendencies."""

    metrics: dict[str, Any]
    samples: dict[str, int]
    extra: dict[str, Any] = field(default_factory=dict)
    days_by_tier: dict[str, dict[str, Any]] = field(default_factory=dict)


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(_FOUR, ROUND_HALF_UP) if whole else None


def _days(deals: list[Deal]) -> Decimal | None:
    if not deals:
        return None
    total = sum(d.close - d.created for d in deals)
    return (Decimal(total) / len(deals)).quantize(_TENTH, ROUND_HALF_UP)


def _money(cents: int | Decimal) -> Decimal:
    return (Decimal(cents) / 100).quantize(_CENT, ROUND_HALF_UP)


def in_icp(deal: Deal, rules: IcpRules) -> bool:
    """Whether `deal` meets every rule; a blank or unreadable value does not meet its rule."""
    for name in ("industry", "segment", "lead_source"):
        allowed = getattr(rules, name)
        if allowed is not None and fold(getattr(deal, name)) not in {fold(a) for a in allowed}:
            return False
    if rules.amount is not None and not rules.amount.holds(Decimal(deal.cents) / 100):
        return False
    if rules.employees is not None:
        try:
            employees = Decimal(parse_amount(deal.employees, ".")) / 100
        except BadValue:
            return False
        if not deal.employees.strip() or not rules.employees.holds(employees):
            return False
    return True


def tier_of(deal: Deal, tiers: list[Tier]) -> str:
    for tier in tiers:
        if tier.below is None or deal.cents < tier.below * 100:
            return tier.name
    return tiers[-1].name  # pragma: no cover - the last tier has no bound


def pushed_quarters(closes: Iterable[int], quarter_end: Callable[[int], int]) -> int:
    """How many quarters a deal's close date left for a later date (close dates in order)."""
    seq = list(closes)
    if len(seq) < 2:
        return 0
    left: set[int] = set()
    latest = 0
    for close in reversed(seq):
        end = quarter_end(close)
        if latest > end:
            left.add(end)
        latest = max(latest, close)
    return len(left)


def attach_history(deals: list[Deal], history: History, quarter_end: Callable[[int], int]) -> None:
    """Give each deal what the snapshots saw of it (once, before the figures are worked out)."""
    tracks = history.tracks
    end_of = _Ends(quarter_end).__getitem__  # a dict lookup a close date, not a call
    for deal in deals:
        track = tracks.get(deal.opportunity_id) if deal.opportunity_id else None
        if track is None:
            continue
        deal.seen_closes = seen = [close for _, close in track.closes]
        deal.commit_closes = track.commit_closes
        deal.stages = track.stages
        closes = [*seen, deal.close] if deal.close else seen
        if len(closes) >= 2:
            deal.quarters_pushed = pushed_quarters(closes, end_of)


class _Ends(dict[int, int]):
    """The last day of each close date's quarter, worked out once a date."""

    def __init__(self, quarter_end: Callable[[int], int]) -> None:
        super().__init__()
        self.quarter_end = quarter_end

    def __missing__(self, day: int) -> int:
        end = self[day] = self.quarter_end(day)
        return end


def figures(deals: list[Deal], ctx: Context) -> Figures:
    """One rep's figures over the period (the definitions are in the module's docstring)."""
    period, history = ctx.period, ctx.history
    decided = [d for d in deals if not d.open and period.holds(d.close)]
    won = [d for d in decided if d.won]
    lost = [d for d in decided if d.lost]

    # Scheduled to win: wins and pushes out of the period.
    by_history = history is not None and history.has_close
    if by_history:
        pushes = [d for d in deals if d.seen_closes
                  and (d.close or d.seen_closes[-1]) > period.last
                  and any(period.holds(c) for c in d.seen_closes)]
    elif ctx.has_pushes:
        pushes = [d for d in deals if d.created <= period.last and d.close > period.last
                  and (d.pushes or 0) >= 1]
    else:
        pushes = []
    scheduled_known = by_history or ctx.has_pushes
    scheduled = len(won) + len(pushes) if scheduled_known else 0

    # Commits (history only).
    commit_known = history is not None and history.has_commit
    committed = [d for d in deals if d.commit_closes
                 and any(period.holds(c) for c in d.commit_closes)]
    committed_won = [d for d in committed if d.won and period.holds(d.close)]

    # The ideal customer profile.
    icp_known = ctx.icp is not None and ctx.icp_ready
    fits = [icp_known and in_icp(d, ctx.icp) for d in decided]  # type: ignore[arg-type]
    inside = [d for d, fit in zip(decided, fits, strict=True) if fit]
    outside = [d for d, fit in zip(decided, fits, strict=True) if icp_known and not fit]

    # Multi-pushes, among the deals decided in the period and those open now.
    pushes_known = ctx.has_pushes or by_history
    population = decided + [d for d in deals if d.open]
    multi = [d for d in population if max(d.pushes or 0, d.quarters_pushed) >= 2]

    no_decision = [d for d in lost if fold(d.loss_reason) in ctx.no_decision]

    # Stage win rates: of the decided deals a snapshot saw at each stage, the share won.
    stage_rates: dict[str, Decimal | None] | None = None
    if history is not None and history.has_stage:
        reached: dict[str, list[bool]] = {}
        for d in decided:
            for stage in d.stages:
                reached.setdefault(stage, []).append(d.won)
        ordered = [s for s in history.stage_order if s in reached]
        stage_rates = {history.stage_names.get(s, s): _rate(sum(reached[s]), len(reached[s]))
                       for s in ordered}

    won_cents = sum(d.cents for d in won)
    created = [d for d in deals if period.holds(d.created)]
    smallest = ctx.tiers[0].name
    metrics: dict[str, Any] = {
        "win_rate": _rate(len(won), len(decided)),
        "scheduled_win_rate": _rate(len(won), scheduled) if scheduled_known else None,
        "commit_win_rate": _rate(len(committed_won), len(committed)) if commit_known else None,
        "icp_win_rate": _rate(sum(d.won for d in inside), len(inside)) if icp_known else None,
        "outside_icp_win_rate": (_rate(sum(d.won for d in outside), len(outside))
                                 if icp_known else None),
        "avg_days_to_win": _days(won),
        "avg_days_to_lose": _days(lost),
        "multi_pushes": len(multi) if pushes_known else None,
        "no_decision_losses": len(no_decision) if ctx.has_loss_reason else None,
        "asp": _money(Decimal(won_cents) / len(won)) if won else None,
        "stage_win_rates": stage_rates,
    }
    samples = {"decided": len(decided), "won": len(won), "lost": len(lost),
               "scheduled": scheduled, "committed": len(committed), "icp_decided": len(inside)}
    extra: dict[str, Any] = {
        "top_deal_share": _rate(max(d.cents for d in won), won_cents) if won_cents else None,
        "top_deal": _money(max(d.cents for d in won)) if won else None,
        "won_amount": _money(won_cents),
        "created": len(created),
        "created_amount": _money(sum(d.cents for d in created)),
        "small_deal_share": _rate(sum(tier_of(d, ctx.tiers) == smallest for d in won), len(won)),
        "icp_share": _rate(len(inside), len(decided)) if icp_known else None,
        "multi_push_share": _rate(len(multi), len(population)) if pushes_known else None,
        "no_decision_share": _rate(len(no_decision), len(lost)) if ctx.has_loss_reason else None,
        "pushes": len(pushes),
        "committed_won": len(committed_won),
    }
    by_tier = {}
    for tier in ctx.tiers:
        tier_won = [d for d in won if tier_of(d, ctx.tiers) == tier.name]
        tier_lost = [d for d in lost if tier_of(d, ctx.tiers) == tier.name]
        by_tier[tier.name] = {"won": len(tier_won), "lost": len(tier_lost),
                              "avg_days_to_win": _days(tier_won),
                              "avg_days_to_lose": _days(tier_lost)}
    return Figures(metrics, samples, extra, by_tier)


def _median(values: list[Any]) -> Any:
    known = [v for v in values if v is not None]
    if not known:
        return None
    middle = statistics.median(known)
    if isinstance(middle, int):
        return middle
    return Decimal(middle)


def team_medians(reps: list[Figures]) -> Figures:
    """The team's figure for each metric: the median of the reps' figures."""
    metrics: dict[str, Any] = {}
    for name in METRICS:
        if name == "stage_win_rates":
            tables = [r.metrics[name] for r in reps if r.metrics[name] is not None]
            if not tables:
                metrics[name] = None
                continue
            stages: dict[str, list[Any]] = {}
            for table in tables:
                for stage, rate in table.items():
                    stages.setdefault(stage, []).append(rate)
            metrics[name] = {s: _median(v) for s, v in stages.items()}
        else:
            metrics[name] = _median([r.metrics[name] for r in reps])
    samples = {name: sum(r.samples[name] for r in reps) for name in SAMPLES}
    extra = {name: _median([r.extra.get(name) for r in reps])
             for name in (reps[0].extra if reps else {})}
    return Figures(metrics, samples, extra)


def shown_metric(name: str, value: Any) -> Any:
    """A metric as --json gives it: fractions to 4 places, days to 0.1, money to the cent."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: shown_metric("win_rate", v) for k, v in value.items()}
    if name in RATES:
        return float(Decimal(value).quantize(_FOUR, ROUND_HALF_UP))
    if name in ("avg_days_to_win", "avg_days_to_lose"):
        return float(Decimal(value).quantize(_TENTH, ROUND_HALF_UP))
    if name == "asp":
        return float(Decimal(value).quantize(_CENT, ROUND_HALF_UP))
    if isinstance(value, Decimal):  # a median of counts: 2 or 2.5
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def metrics_json(found: Figures) -> dict[str, Any]:
    return {name: shown_metric(name, found.metrics[name]) for name in METRICS}


def as_date(day: int) -> str:
    return dt.date.fromordinal(day).isoformat()
