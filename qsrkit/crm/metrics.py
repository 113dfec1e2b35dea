"""Per-rep QSR metrics from a CRM export: the formulas, the rounding and the quotas file.

The previous quarter's numbers come from opportunities closed (won or lost) or created in it;
the current quarter's from opportunities scheduled to close in it. Ratios with nothing to divide
by (a rep with no decided deals) are None, shown and written as blanks.

    win rate             won / (won + lost), by count, in percent points, one decimal
    average deal size    won amount / won count, to the cent
    weekly opportunities opportunities created in the quarter / (days in the quarter / 7)
    weekly pipeline      amount of those opportunities / (days in the quarter / 7), to the cent
    average days to win  mean of (close date - created date) over the won deals
    closed won to date   won deals closing in the current quarter up to the as-of date
    open pipeline        open deals whose close date falls in the current quarter
    weeks to work        from the as-of date to the end of the current quarter (fiscal calendar)
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from qsrkit.crm import accumulate as slots
from qsrkit.crm import reader
from qsrkit.crm import values as crm_values
from qsrkit.crm.columns import Layout
from qsrkit.errors import InvalidInput, Problem, UsageError, unreadable
from qsrkit.plan.fiscal import FiscalCalendar

_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


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
    weekly_opportunities: Decimal
    weekly_pipeline: Decimal
    average_days_to_win: Decimal | None
    # current quarter
    closed_won: Decimal
    open_pipeline: Decimal
    open_opportunities: int
    weeks_to_work: Decimal
    commit_pipeline: Decimal | None = None  # None when the export has no forecast category
    multi_pushed: int | None = None  # open deals pushed twice or more; None without push counts
    previous_quota: Decimal | None = None
    quota: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        def num(value: Decimal | int | None) -> Any:
            if value is None or isinstance(value, int):
                return value
            return float(value) if value != value.to_integral_value() else int(value)

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
                "win_rate": num(self.win_rate),
                "average_deal_size": num(self.average_deal_size),
                "opportunities_created": self.opportunities_created,
                "weekly_opportunities": num(self.weekly_opportunities),
                "weekly_pipeline": num(self.weekly_pipeline),
                "average_days_to_win": num(self.average_days_to_win),
            },
            "current_quarter": {
                "quarter": self.quarter,
                "quota": num(self.quota),
                "closed_won": num(self.closed_won),
                "open_pipeline": num(self.open_pipeline),
                "open_opportunities": self.open_opportunities,
                "commit_pipeline": num(self.commit_pipeline),
                "multi_pushed_open": self.multi_pushed,
                "weeks_to_work": num(self.weeks_to_work),
            },
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

    def find(self, name: str) -> RepMetrics:
        """The rep named `name` (any case); a usage error listing the reps if there is none."""
        wanted = _key(name)
        for rep in self.reps:
            if _key(rep.rep) == wanted:
                return rep
        import difflib

        names = [r.rep for r in self.reps]
        close = difflib.get_close_matches(name, names, n=1)
        shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
        raise UsageError(
            f"no opportunities owned by '{name}' in {self.file}"
            + (f"; did you mean '{close[0]}'?" if close else ""),
            hint=f"the owners in the export are: {shown}",
        )


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


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
    quotas: dict[tuple[str, str], Decimal] | None = None,
    team: list[str] | None = None,
) -> ExportMetrics:
    """Every rep's metrics (or the `team`'s, in its order) for planning `quarter` as of `as_of`."""
    previous = calendar.previous_quarter(quarter)
    p_first, p_last = calendar.quarter_bounds(previous)
    window = slots.Window.of((p_first, p_last), calendar.quarter_bounds(quarter), as_of)
    found = reader.read_export(path, window, layout)

    merged: dict[str, tuple[str, list[int]]] = {}
    for owner, acc in found.totals.items():
        name = " ".join(owner.split())
        key = _key(name)
        if key in merged:
            merged[key] = (merged[key][0], [a + b for a, b in zip(merged[key][1], acc, strict=True)])
        else:
            merged[key] = (name, acc)
    notes = []
    unowned = merged.pop("", None)
    if unowned:
        notes.append(f"{unowned[1][slots.ROWS]:,} opportunities have no owner and are left out")
    if team is not None:
        chosen = []
        for name in team:
            entry = merged.get(_key(name))
            if entry is None:
                notes.append(f"{name} owns no opportunities in {found.file}")
                entry = (name, [0] * slots.SLOTS)
            chosen.append(entry)
    else:
        chosen = sorted(merged.values(), key=lambda e: _key(e[0]))

    weeks = Decimal((p_last - p_first).days + 1) / 7
    weeks_left = calendar.weeks_left(quarter, as_of)
    quotas = quotas or {}
    reps = [
        _finish(name, acc, quarter=quarter, previous=previous, as_of=as_of, weeks=weeks,
                weeks_left=weeks_left, has_forecast=found.has_forecast, has_pushes=found.has_pushes,
                quotas=quotas)
        for name, acc in chosen
    ]
    return ExportMetrics(file=found.file, layout=found.layout, rows=found.rows, quarter=quarter,
                         previous_quarter=previous, as_of=as_of, reps=reps, notes=notes)


def _finish(name: str, acc: list[int], *, quarter: str, previous: str, as_of: dt.date,
            weeks: Decimal, weeks_left: Decimal, has_forecast: bool, has_pushes: bool,
            quotas: dict[tuple[str, str], Decimal]) -> RepMetrics:
    won, lost, created = acc[slots.WON], acc[slots.LOST], acc[slots.CREATED]
    decided = won + lost
    return RepMetrics(
        rep=name,
        quarter=quarter,
        previous_quarter=previous,
        as_of=as_of,
        actual_revenue=_cents(acc[slots.WON_CENTS]),
        opportunities_won=won,
        opportunities_lost=lost,
        win_rate=_round(Decimal(won * 100) / decided, _TENTH) if decided else None,
        average_deal_size=_cents(Decimal(acc[slots.WON_CENTS]) / won) if won else None,
        opportunities_created=created,
        weekly_opportunities=_round(created / weeks, _TENTH),
        weekly_pipeline=_cents(acc[slots.CREATED_CENTS] / weeks),
        average_days_to_win=_round(Decimal(acc[slots.WON_DAYS]) / won, _TENTH) if won else None,
        closed_won=_cents(acc[slots.CW_NOW]),
        open_pipeline=_cents(acc[slots.OPEN_CENTS]),
        open_opportunities=acc[slots.OPEN_N],
        weeks_to_work=weeks_left,
        commit_pipeline=_cents(acc[slots.COMMIT_CENTS]) if has_forecast else None,
        multi_pushed=acc[slots.MULTI_PUSHED] if has_pushes else None,
        previous_quota=quotas.get((_key(name), previous)),
        quota=quotas.get((_key(name), quarter)),
    )


# --- Quotas (rep, quarter, quota) --------------------------------------------------------------


def load_quotas(path: Path) -> dict[tuple[str, str], Decimal]:
    """A CSV with the columns rep, quarter and quota (any order, any case, UTF-8 or Windows-1252)."""
    from qsrkit.answers.parse import parse_money, parse_quarter

    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise unreadable(name, exc, "CSV file") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InvalidInput([Problem(name, 0, 0, "", "the quotas file is empty; it needs the "
                                    "columns rep, quarter, quota")])
    first = next(line for line in lines if line.strip())
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [h.strip().casefold() for h in next(reader)]
    missing = [c for c in ("rep", "quarter", "quota") if c not in header]
    if missing:
        raise InvalidInput([Problem(name, 1, 0, "", f"missing column(s) {', '.join(missing)}; "
                                    f"the header has: {', '.join(header)}")])
    col = {c: header.index(c) for c in ("rep", "quarter", "quota")}
    quotas: dict[tuple[str, str], Decimal] = {}
    problems = []
    for row in reader:
        if not any(v.strip() for v in row):
            continue
        line = reader.line_num
        if len(row) != len(header):
            problems.append(Problem(name, line, 0, "", f"has {len(row)} value(s) but the header "
                                    f"has {len(header)} columns"))
            continue
        try:
            quarter = parse_quarter(row[col["quarter"]])
        except ValueError as exc:
            problems.append(Problem(name, line, col["quarter"] + 1, "quarter", str(exc)))
            continue
        text = row[col["quota"]].strip()
        try:
            amount = _cents(crm_values.parse_amount(text, "," if delimiter == ";" else "."))
            parse_money(format(amount, "f"))
        except (crm_values.BadValue, ValueError) as exc:
            problems.append(Problem(name, line, col["quota"] + 1, "quota", str(exc)))
            continue
        quotas[(_key(row[col["rep"]]), quarter)] = amount
    if problems:
        raise InvalidInput(problems[: slots.MAX_SHOWN])
    return quotas


def load_team(path: Path) -> list[str]:
    """A team list: one rep name a line; blank lines and lines starting with # are skipped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem(str(path), 0, 0, "", f"cannot be read: {exc}")]) from None
    names = [line.strip() for line in text.splitlines()]
    team = [n for n in names if n and not n.startswith("#")]
    if not team:
        raise InvalidInput([Problem(str(path), 0, 0, "", "the team list is empty; write one "
                                    "rep name a line")])
    return team
