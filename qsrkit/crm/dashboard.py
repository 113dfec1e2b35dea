"""A rep's CRM dashboards for Section 4 of the QSR, as of a date: the AE dashboard, the
clean-your-room list and the weekly opportunities created. Seed 000 asks reps to paste these
from the CRM; qsrkit has the export, so it works them out (`qsrkit render --crm EXPORT`).

D is the as-of date, Q the QSR's quarter (its `quarter`, else the quarter of D) and P the quarter
before Q. Deals created after D are left out: they did not exist yet. Amounts are the export's.

The AE dashboard
    pipeline by stage      open deals with a close date in Q (as `metrics` counts the open
                           pipeline): deals and amount per stage, and the weighted pipeline,
                           amount x probability. The probability is the export's (a
                           probability column), else the stage's in `dashboard.stage_probabilities`
                           of qsrkit.yaml; a stage with a deal neither gives is not weighed.
    win rate               won / (won + lost) by count, over the deals decided in P
    days to win / to lose  mean of close - created date over the deals won (lost) in P, per
                           revenue tier (`tiers:`), as `diagnose` works them out

The clean-your-room list: open deals (any close date) that a rule picks, each with its reasons
    past close date        the close date is before D
    aging                  created more than `aging_days` days before D
    early stage, closing   in one of `early_stages`, with a close date from D to D + 7 x
                           `closing_within_weeks` days
    pushed                 its push count is `pushes_at_least` or more (needs the column)
    no next step           the next step is blank (needs the column)
The most pressing first (the most reasons, then the largest amount), at most `list_at_most`.

Weekly opportunities created: the 26 weeks (two quarters) that end on D, the last being D - 6
to D: opportunities created each week (all but the mapping file's `unqualified_stages`, as
`metrics` counts them) and their amount. Set beside the calculator's weekly need by the view.

Pure computation: no reading, no printing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from qsrkit.crm import names
from qsrkit.crm.columns import fold
from qsrkit.crm.diagnostics import Context, Period, figures

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig
    from qsrkit.crm.dashboard_export import CrmData, Extra
    from qsrkit.crm.deals import Deal

RULES = ("past_close", "aging", "early_closing", "pushed", "no_next_step")
WEEKS = 26
_CENT = Decimal("0.01")


@dataclass
class StageRow:
    stage: str  # "" when the export has no stage column
    deals: int
    amount: Decimal
    weighted: Decimal | None  # None: a deal in it has no probability


@dataclass
class TierRow:
    tier: str
    won: int
    lost: int
    days_to_win: Decimal | None
    days_to_lose: Decimal | None


@dataclass
class Rule:
    key: str  # one of RULES
    deals: int = 0
    amount: Decimal = Decimal(0)
    known: bool = True  # False: the export lacks the column the rule needs


@dataclass
class ToClean:
    name: str  # the opportunity name, else its id
    stage: str
    amount: Decimal
    created: dt.date
    close: dt.date | None
    reasons: list[str]  # keys of RULES, in that order
    days_past: int = 0  # days since the close date passed
    age: int = 0  # days since it was created
    pushes: int = 0


@dataclass
class Week:
    first: dt.date
    last: dt.date
    created: int
    amount: Decimal


@dataclass
class Dashboard:
    rep: str
    file: str
    as_of: dt.date
    quarter: str
    previous_quarter: str
    stages: list[StageRow]
    open_deals: int
    open_amount: Decimal
    weighted: Decimal | None  # None when a stage could not be weighed
    unweighed: list[str]  # the stages without a probability for every deal
    weighed_by: str  # "export", "stages", "both" or "" (nothing weighed)
    won: int
    decided: int
    win_rate: Decimal | None  # a fraction
    tiers: list[TierRow]
    rules: list[Rule]
    to_clean: list[ToClean]
    more: int  # deals on the list beyond `list_at_most`
    weeks: list[Week] = field(default_factory=list)


def dashboard_for(data: CrmData, rep: str, quarter: str | None,
                  config: OrgConfig) -> Dashboard | None:
    """`rep`'s dashboards for `quarter` (else the as-of date's); None when the export has no
    deal of theirs."""
    key = names.key(rep)
    if key not in data.deals:
        return None
    today = data.as_of.toordinal()
    pairs = [(d, e) for d, e in zip(data.deals[key], data.extras[key], strict=True)
             if d.created <= today]
    calendar = config.calendar
    quarter = quarter or calendar.quarter_of(data.as_of)
    first, last = (d.toordinal() for d in calendar.quarter_bounds(quarter))
    previous = calendar.previous_quarter(quarter)
    p_first, p_last = (d.toordinal() for d in calendar.quarter_bounds(previous))
    settings = config.dashboard
    defaults = {fold(stage): percent / 100 for stage, percent in
                settings.stage_probabilities.items()}

    # Pipeline by stage, weighted.
    stages: dict[str, list[tuple[Deal, Decimal | None]]] = {}
    sources: set[str] = set()
    for deal, extra in pairs:
        if deal.open and first <= deal.close <= last:
            chance = extra.probability
            if chance is not None:
                sources.add("export")
            elif fold(deal.stage) in defaults:
                chance = defaults[fold(deal.stage)]
                sources.add("stages")
            stages.setdefault(deal.stage, []).append((deal, chance))
    rows = [_stage_row(stage, held) for stage, held in stages.items()]
    rows.sort(key=lambda r: (_mean_chance(stages[r.stage]), fold(r.stage)))
    unweighed = [r.stage for r in rows if r.weighted is None]

    # Win rate and days to win and to lose per tier, over P (the definitions of `diagnose`).
    ctx = Context(period=Period(p_first, p_last, previous, previous, lambda day: day),
                  history=None, icp=None, icp_ready=False, tiers=list(config.tiers),
                  no_decision=frozenset(), has_pushes=False, has_loss_reason=False)
    found = figures([d for d, _ in pairs], ctx)
    tiers = [TierRow(name, t["won"], t["lost"], t["avg_days_to_win"], t["avg_days_to_lose"])
             for name, t in found.days_by_tier.items()]

    rules, to_clean = _clean_your_room(pairs, today, data.columns, config)
    limit = settings.list_at_most
    return Dashboard(
        rep=data.owners.get(key, rep), file=data.file, as_of=data.as_of, quarter=quarter,
        previous_quarter=previous, stages=rows, open_deals=sum(r.deals for r in rows),
        open_amount=sum((r.amount for r in rows), Decimal(0)),
        weighted=(None if unweighed or not rows
                  else sum((r.weighted or Decimal(0) for r in rows), Decimal(0))),
        unweighed=unweighed,
        weighed_by="both" if len(sources) == 2 else next(iter(sources), ""),
        won=found.samples["won"], decided=found.samples["decided"],
        win_rate=found.metrics["win_rate"], tiers=tiers, rules=rules,
        to_clean=to_clean[:limit], more=max(0, len(to_clean) - limit),
        weeks=_weeks([d for d, _ in pairs], data.as_of, data.layout.unqualified_stages),
    )


def _money(cents: int | Decimal) -> Decimal:
    return (Decimal(cents) / 100).quantize(_CENT, ROUND_HALF_UP)


def _stage_row(stage: str, held: list[tuple[Deal, Decimal | None]]) -> StageRow:
    cents = sum(d.cents for d, _ in held)
    weighed = all(chance is not None for _, chance in held)
    weighted = (_money(sum((d.cents * (c or Decimal(0)) for d, c in held), Decimal(0)))
                if weighed else None)
    return StageRow(stage, len(held), _money(cents), weighted)


def _mean_chance(held: list[tuple[Deal, Decimal | None]]) -> Decimal:
    """Stages go from the least likely to the most; a stage without probabilities goes last."""
    known = [c for _, c in held if c is not None]
    return sum(known, Decimal(0)) / len(known) if known else Decimal(2)


def _clean_your_room(pairs: list[tuple[Deal, Extra]], today: int, columns: frozenset[str],
                     config: OrgConfig) -> tuple[list[Rule], list[ToClean]]:
    settings = config.dashboard
    early = {fold(s) for s in settings.early_stages}
    soon = today + 7 * settings.closing_within_weeks
    has_pushes, has_step = "push_count" in columns, "next_step" in columns
    rules = {key: Rule(key) for key in RULES}
    rules["pushed"].known, rules["no_next_step"].known = has_pushes, has_step
    listed: list[ToClean] = []
    for deal, extra in pairs:
        if not deal.open:
            continue
        reasons = []
        if deal.close and deal.close < today:
            reasons.append("past_close")
        if today - deal.created > settings.aging_days:
            reasons.append("aging")
        if fold(deal.stage) in early and deal.close and today <= deal.close <= soon:
            reasons.append("early_closing")
        if has_pushes and (deal.pushes or 0) >= settings.pushes_at_least:
            reasons.append("pushed")
        if has_step and not extra.next_step:
            reasons.append("no_next_step")
        if not reasons:
            continue
        amount = _money(deal.cents)
        for reason in reasons:
            rules[reason].deals += 1
            rules[reason].amount += amount
        listed.append(ToClean(
            name=extra.name or deal.opportunity_id, stage=deal.stage, amount=amount,
            created=dt.date.fromordinal(deal.created),
            close=dt.date.fromordinal(deal.close) if deal.close else None, reasons=reasons,
            days_past=today - deal.close if "past_close" in reasons else 0,
            age=today - deal.created, pushes=deal.pushes or 0))
    listed.sort(key=lambda t: (-len(t.reasons), -t.amount, t.name))
    return list(rules.values()), listed


def _weeks(deals: list[Deal], as_of: dt.date, unqualified: frozenset[str]) -> list[Week]:
    end = as_of.toordinal()
    start = end - 7 * WEEKS + 1
    counts = [0] * WEEKS
    cents = [0] * WEEKS
    for deal in deals:
        if start <= deal.created <= end and fold(deal.stage) not in unqualified:
            week = (deal.created - start) // 7
            counts[week] += 1
            cents[week] += deal.cents
    return [Week(dt.date.fromordinal(start + 7 * i), dt.date.fromordinal(start + 7 * i + 6),
                 counts[i], _money(cents[i])) for i in range(WEEKS)]
