"""Per-rep QSR metrics from a CRM export: the formulas, the rounding and the quotas file.

The previous quarter's numbers come from opportunities closed (won or lost) or created in it;
the current quarter's from opportunities scheduled to close in it. Ratios with nothing to divide
by (a rep with no decided deals) are None, shown and written as blanks.

    win rate             won / (won + lost), by count, in percent points, one decimal
    average deal size    won amount / won count, in whole currency units
    weekly opportunities opportunities created in the quarter / (days in the quarter / 7)
    weekly pipeline      amount of those opportunities / (days in the quarter / 7), whole units
    average days to win  mean of (close date - created date) over the won deals
    closed won to date   won deals closing in the current quarter up to the as-of date
    open pipeline        open deals whose close date falls in the current quarter
    weeks to work        from the as-of date to the end of the current quarter (fiscal calendar)

Money: sums of real amounts (revenue, pipeline created, closed won, open and commit pipeline)
keep their cents, as the CRM has them; the computed figures (average deal size, weekly
pipeline) are estimates, so they are whole currency units: cents would claim a precision they
do not have, and would print in the document.

The win rate, average deal size and days to win are also computed over `trailing` quarters
(`--trailing N`: the N quarters up to the previous one), as `RepMetrics.trailing`: the plan's
starting rates, with the deals they rest on and a warning when those are too few.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from qsrkit.answers.parse import MAX_DIGITS, parse_money, shown
from qsrkit.crm import accumulate as slots
from qsrkit.crm import names, reader
from qsrkit.crm.columns import Layout
from qsrkit.crm.inputs import Quotas, Team, load_quotas, load_team
from qsrkit.crm.samples import MAX_TRAILING, MIN_DECIDED, MIN_WON, Sample, capped, json_number
from qsrkit.errors import InvalidInput, Problem, UsageError
from qsrkit.plan.fiscal import FiscalCalendar

__all__ = ["ExportMetrics", "RepMetrics", "Sample", "compute", "load_quotas", "load_team"]

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_UNIT = Decimal("1")


@dataclass
class RepMetrics:
    rep: str
    quarter: str  # the quarter being planned
    previous_quarter: str
    as_of: dt.date
    # previous quarter
    actual_revenue: Decimal
    opportunities_won: int
    opportunities_lost: int
    win_rate: Decimal | None
    average_deal_size: Decimal | None
    opportunities_created: int
    weeks: Decimal  # the previous quarter's length, to 0.1: what the weekly figures divide by
    weekly_opportunities: Decimal
    pipeline_created: Decimal
    weekly_pipeline: Decimal
    average_days_to_win: Decimal | None
    # current quarter
    closed_won: Decimal
    open_pipeline: Decimal
    open_opportunities: int
    weeks_to_work: Decimal
    # the plan's starting rates: over --trailing quarters (the previous one by default)
    trailing: Sample
    commit_pipeline: Decimal | None = None  # None when the export has no forecast category
    multi_pushed: int | None = None  # open deals pushed twice or more; None without push counts
    previous_quota: Decimal | None = None
    quota: Decimal | None = None

    @property
    def previous_attainment(self) -> Decimal | None:
        """Last quarter's revenue ÷ its quota, a fraction; None without a quota."""
        return _share(self.actual_revenue, self.previous_quota)

    @property
    def attainment(self) -> Decimal | None:
        """This quarter's closed won so far ÷ its quota, a fraction; None without a quota."""
        return _share(self.closed_won, self.quota)

    def sample_warning(self) -> str | None:
        """A warning when the plan's win rate or deal size rests on too few deals."""
        return self.trailing.warning(self.rep)

    def as_json(self) -> dict[str, Any]:
        """Sums to the cent, estimates in whole units, rates as fractions (0.233), days to 0.1."""
        num = json_number

        def fraction(value: Decimal | None) -> Any:
            return None if value is None else float(round(value, 4))

        return {
            "rep": self.rep,
            "quarter": self.quarter,
            "as_of": self.as_of.isoformat(),
            "previous_quarter": {
                "quarter": self.previous_quarter,
                "quota": num(self.previous_quota),
                "actual_revenue": num(self.actual_revenue),
                "opportunities_won": self.opportunities_won,
                "opportunities_lost": self.opportunities_lost,
                "attainment": fraction(self.previous_attainment),
                "win_rate": fraction(None if self.win_rate is None else self.win_rate / 100),
                "average_deal_size": num(self.average_deal_size),
                "opportunities_created": self.opportunities_created,
                "pipeline_created": num(self.pipeline_created),
                "weekly_opportunities": num(self.weekly_opportunities),
                "weekly_pipeline": num(self.weekly_pipeline),
                "average_days_to_win": num(self.average_days_to_win),
            },
            "current_quarter": {
                "quarter": self.quarter,
                "quota": num(self.quota),
                "attainment": fraction(self.attainment),
                "closed_won": num(self.closed_won),
                "open_pipeline": num(self.open_pipeline),
                "open_opportunities": self.open_opportunities,
                "commit_pipeline": num(self.commit_pipeline),
                "multi_pushed_open": self.multi_pushed,
                "weeks_to_work": num(self.weeks_to_work),
            },
            "trailing": self.trailing.as_json(),
        }


@dataclass
class ExportMetrics:
    file: str
    layout: str
    rows: int
    quarter: str
    previous_quarter: str
    as_of: dt.date
    reps: list[RepMetrics]
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # located, for the CLI to print
    trailing: int = 1  # the quarters the plan's rates cover (RepMetrics.trailing)

    @property
    def min_sample(self) -> dict[str, int]:
        """The sample rule, for `metrics --json`: the fewest decided and won deals not warned of."""
        return {"decided": MIN_DECIDED, "won": MIN_WON}

    def sample_warnings(self) -> list[str]:
        """A warning for each rep (of `reps`) whose plan rests on a small sample (`capped`)."""
        return capped([w for w in (r.sample_warning() for r in self.reps) if w])

    def find(self, name: str) -> RepMetrics:
        """The rep named `name` (see `names.key`); a usage error listing the reps if none."""
        wanted = names.key(name)
        for rep in self.reps:
            if names.key(rep.rep) == wanted:
                return rep
        owners = [r.rep for r in self.reps]
        raise UsageError(
            f"no opportunities owned by '{shown(name)}' in {self.file}"
            + names.did_you_mean(name, owners),
            hint=f"the owners in the export are: {names.listing(owners)}",
        )


def _share(part: Decimal, whole: Decimal | None) -> Decimal | None:
    return None if not whole else part / whole


# An export taken on a Friday and used on the next Monday is normal; a month is not.
STALE_AFTER_DAYS = 14


def _stale_as_of(newest: int, as_of: dt.date, file: str) -> str | None:
    """Why an as-of date far past the export's newest opportunity is worth a word, or None."""
    if not newest or as_of.toordinal() - newest <= STALE_AFTER_DAYS:
        return None
    seen = dt.date.fromordinal(newest)
    return (f"the numbers are as of {as_of.isoformat()}, but the newest opportunity in {file} "
            f"was created on {seen.isoformat()}, {(as_of - seen).days} days earlier: the export "
            "may be older than that date, and closed won and open pipeline are as it saw them; "
            "export again, or give --as-of the day it was taken")


def _cents(cents: int | Decimal) -> Decimal:
    return (Decimal(cents) / 100).quantize(_CENT, rounding=ROUND_HALF_UP)


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def compute(
    path: Path,
    *,
    calendar: FiscalCalendar,
    quarter: str,
    as_of: dt.date,
    layout: Layout | None = None,
    quotas: Quotas | None = None,
    team: Team | list[str] | None = None,
    trailing: int = 1,
) -> ExportMetrics:
    """Every rep's metrics (or the `team`'s, in its order) for planning `quarter` as of `as_of`,
    the plan's rates over the `trailing` quarters up to the previous one.

    Raises InvalidInput (with the warnings found so far) for a team list name that owns nothing,
    an owner name too long to be one, or a total too large for an answers file.
    """
    if not 1 <= trailing <= MAX_TRAILING:
        raise UsageError(f"--trailing {trailing}: give 1 to {MAX_TRAILING} quarters")
    previous = calendar.previous_quarter(quarter)
    p_first, p_last = calendar.quarter_bounds(previous)
    first = previous
    for _ in range(trailing - 1):
        first = calendar.previous_quarter(first)
    window = slots.Window.of((p_first, p_last), calendar.quarter_bounds(quarter), as_of,
                             calendar.quarter_bounds(first)[0])
    found = reader.read_export(path, window, layout)
    warnings = list(found.warnings)
    problems: list[Problem] = []
    merged = _merge_owners(found, warnings, problems)
    notes = []
    stale = _stale_as_of(found.newest_created, as_of, found.file)
    if stale:
        notes.append(stale)
    unowned = merged.pop("", None)
    if unowned:
        notes.append(f"{unowned[1][slots.ROWS]:,} opportunities have no owner and are left out")
    owners = [name for name, _ in merged.values()]
    if team is not None:
        if not isinstance(team, Team):
            team = Team("--team-list", [(0, name) for name in team])
        chosen = []
        for line, name in team.names:
            entry = merged.get(names.key(name))
            if entry is None:
                problems.append(Problem(
                    team.file, line, 1, "", f"no opportunities owned by '{shown(name)}' in "
                    f"{found.file}{names.did_you_mean(name, owners)}. Write the name as the "
                    "export does, or take it out of the list (`qsrkit new --rep NAME` writes a "
                    "blank file for a rep with no opportunities yet)"))
                continue
            chosen.append(entry)
    else:
        chosen = sorted(merged.values(), key=lambda e: names.key(e[0]))
    if quotas is not None:
        column, header = quotas.rep_column
        for row in quotas.rows:
            if row.key not in merged:
                warnings.append(Problem(
                    quotas.file, row.line, column, header, f"'{shown(row.name)}' owns no "
                    f"opportunities in {found.file}{names.did_you_mean(row.name, owners)}, so "
                    "this quota is not used", severity="warning"))

    weeks = Decimal((p_last - p_first).days + 1) / 7
    weeks_left = calendar.weeks_left(quarter, as_of)
    lookup = quotas.lookup() if quotas else {}
    reps = [
        _finish(name, acc, quarter=quarter, previous=previous, as_of=as_of, weeks=weeks,
                weeks_left=weeks_left, has_forecast=found.has_forecast, has_pushes=found.has_pushes,
                quotas=lookup, span=(first, trailing))
        for name, acc in chosen
    ]
    if trailing > 1 and not any(acc[slots.EARLIER_WON] or acc[slots.EARLIER_LOST]
                                for _, acc in merged.values()):
        before = calendar.previous_quarter(previous)
        earlier = f"in {first}" if before == first else f"from {first} to {before}"
        warnings.append(Problem(
            found.file, 0, 0, "", f"no deal was won or lost {earlier}, so "
            f"--trailing {trailing} gives {previous}'s figures alone; export the opportunities "
            f"closed since {calendar.quarter_bounds(first)[0].isoformat()} too",
            severity="warning"))
    for rep in reps:
        problems.extend(_too_large(rep, found))
    # The export's findings in row order (its summary lines last), then the quotas file's.
    warnings.sort(key=lambda p: (p.file != found.file, p.line == 0, p.line))
    if problems:
        raise InvalidInput([*warnings, *problems[: slots.MAX_SHOWN]])
    return ExportMetrics(file=found.file, layout=found.layout, rows=found.rows, quarter=quarter,
                         previous_quarter=previous, as_of=as_of, reps=reps, notes=notes,
                         warnings=warnings, trailing=trailing)


def _merge_owners(found: reader.ExportTotals, warnings: list[Problem],
                  problems: list[Problem]) -> dict[str, tuple[str, list[int]]]:
    """One entry per person (`names.key`), shown as the first spelling in the export."""
    column, header = found.owner_column
    merged: dict[str, tuple[str, list[int]]] = {}
    for owner in sorted(found.totals, key=lambda o: found.first_row.get(o, 0)):
        acc = found.totals[owner]
        name, removed = names.clean(owner)
        line = found.first_row.get(owner, 0)
        if removed:
            warnings.append(Problem(
                found.file, line, column, header, f"took {', '.join(removed)} (invisible control "
                f"characters or line breaks) out of the owner name '{shown(name)}'; check that "
                "it reads as meant", severity="warning"))
        if len(name) > names.MAX_NAME:
            problems.append(Problem(
                found.file, line, column, header, f"the owner name '{shown(name)}' is "
                f"{len(name):,} characters long; a name is at most {names.MAX_NAME}, so check "
                "the column"))
        key = names.key(name)
        if key in merged:
            merged[key] = (merged[key][0], [a + b for a, b in zip(merged[key][1], acc, strict=True)])
        else:
            merged[key] = (name, acc)
    return merged


def _too_large(rep: RepMetrics, found: reader.ExportTotals) -> list[Problem]:
    """A problem for each money figure that an answers file could not hold (over MAX_DIGITS)."""
    column, header = found.amount_column
    figures = {"won amount": rep.actual_revenue, "pipeline created": rep.weekly_pipeline,
               "closed won": rep.closed_won, "open pipeline": rep.open_pipeline,
               "commit pipeline": rep.commit_pipeline}
    problems = []
    for label, value in figures.items():
        if value is None:
            continue
        try:
            parse_money(format(value.normalize(), "f"))
        except ValueError:
            problems.append(Problem(
                found.file, 0, column, header, f"{shown(rep.rep)}'s {label} adds up to "
                f"{value:,}, more than any real figure (at most {MAX_DIGITS} digits); check the "
                "column for amounts in the wrong units"))
            break
    return problems


def _finish(name: str, acc: list[int], *, quarter: str, previous: str, as_of: dt.date,
            weeks: Decimal, weeks_left: Decimal, has_forecast: bool, has_pushes: bool,
            quotas: dict[tuple[str, str], Decimal], span: tuple[str, int]) -> RepMetrics:
    won, lost, created = acc[slots.WON], acc[slots.LOST], acc[slots.CREATED]
    decided = won + lost
    trailing = Sample(
        first_quarter=span[0], last_quarter=previous, quarters=span[1],
        won=won + acc[slots.EARLIER_WON], lost=lost + acc[slots.EARLIER_LOST],
        won_cents=acc[slots.WON_CENTS] + acc[slots.EARLIER_WON_CENTS],
        won_days=acc[slots.WON_DAYS] + acc[slots.EARLIER_WON_DAYS])
    return RepMetrics(
        rep=name,
        quarter=quarter,
        previous_quarter=previous,
        as_of=as_of,
        actual_revenue=_cents(acc[slots.WON_CENTS]),
        opportunities_won=won,
        opportunities_lost=lost,
        win_rate=_round(Decimal(won * 100) / decided, _TENTH) if decided else None,
        average_deal_size=_round(Decimal(acc[slots.WON_CENTS]) / 100 / won, _UNIT) if won else None,
        opportunities_created=created,
        weeks=_round(weeks, _TENTH),
        weekly_opportunities=_round(created / weeks, _TENTH),
        pipeline_created=_cents(acc[slots.CREATED_CENTS]),
        weekly_pipeline=_round(Decimal(acc[slots.CREATED_CENTS]) / 100 / weeks, _UNIT),
        average_days_to_win=_round(Decimal(acc[slots.WON_DAYS]) / won, _TENTH) if won else None,
        closed_won=_cents(acc[slots.CW_NOW]),
        open_pipeline=_cents(acc[slots.OPEN_CENTS]),
        open_opportunities=acc[slots.OPEN_N],
        weeks_to_work=weeks_left,
        trailing=trailing,
        commit_pipeline=_cents(acc[slots.COMMIT_CENTS]) if has_forecast else None,
        multi_pushed=acc[slots.MULTI_PUSHED] if has_pushes else None,
        previous_quota=quotas.get((names.key(name), previous)),
        quota=quotas.get((names.key(name), quarter)),
    )
