"""`metrics`' sums in one scan of the export, when every value in it is plain.

Most exports write every amount as digits (`12500.00`) and every date in one plain style
(`10/5/2026`, `2026-10-05`). For those, DuckDB can read the values itself, exactly as the
careful readers of `values` would, in the same scan that adds them up:

- an amount is plain by the pattern `typed.plain_cents` already trusts;
- a date is plain when it is `M/D/YYYY` (or `D/M/YYYY` when the date order is set to day-first)
  or `YYYY-MM-DD`, nothing around it, and a day on the calendar: `DateReader` reads those the
  same way (a slash date whose first number is over 12 is not plain unless the order is
  day-first, so the day-first detection is left to the careful path);
- won/lost/open, the forecast category and the push count are decided per group: the query
  groups by the owner and those few texts, and `status_reader`, `fold` and `parse_pushes` decide
  each distinct combination in Python, as `typed` does.

Each group also counts the rows whose values are not plain, and the decided rows without a close
date. If any group has one, or DuckDB put a record aside, the answer is None and the caller reads
the file the careful way (`typed`), which words every message; so the rules are those of
`values` either way, and the common file is read once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qsrkit.crm import accumulate as slots
from qsrkit.crm.accumulate import Window, status_reader
from qsrkit.crm.columns import Layout, fold
from qsrkit.crm.engine import Table
from qsrkit.crm.typed import STATUS_FIELDS, plain_cents
from qsrkit.crm.values import BadValue, parse_pushes


def _date(column: str, order: str | None) -> str:
    """SQL for a plain date's DATE (NULL when the text is not a plain date)."""
    slash = "%d/%m/%Y" if order == "DMY" else "%m/%d/%Y"
    return (f"coalesce(try_strptime({column}, '{slash}'), "
            f"try_strptime({column}, '%Y-%m-%d'))::DATE")


def _between(column: str, bounds: tuple[int, int]) -> str:
    first, last = bounds
    if first > last:
        return "false"
    return (f"{column} BETWEEN DATE '{dt.date.fromordinal(first).isoformat()}' "
            f"AND DATE '{dt.date.fromordinal(last).isoformat()}'")


# Per group, what the slots need before won/lost/open is known (it is the same for the group).
def _figures(window: Window) -> dict[str, str]:
    previous = _between("close_d", window.previous)
    current = _between("close_d", window.current)
    earlier = _between("close_d", window.earlier)
    as_of = dt.date.fromordinal(window.as_of).isoformat()
    return {
        "n": "count(*)",
        "p_n": f"count(*) FILTER ({previous})",
        "p_cents": f"sum(cents) FILTER ({previous})",
        "p_days": f"sum(close_d - created_d) FILTER ({previous})",
        "c_n": f"count(*) FILTER ({_between('created_d', window.previous)})",
        "c_cents": f"sum(cents) FILTER ({_between('created_d', window.previous)})",
        "now_cents": f"sum(cents) FILTER ({current} AND close_d <= DATE '{as_of}')",
        "o_n": f"count(*) FILTER ({current})",
        "o_cents": f"sum(cents) FILTER ({current})",
        **({} if earlier == "false" else {  # --trailing 1: no earlier quarters
            "e_n": f"count(*) FILTER ({earlier})",
            "e_cents": f"sum(cents) FILTER ({earlier})",
            "e_days": f"sum(close_d - created_d) FILTER ({earlier})"}),
        "newest": "max(created_d)",
        "not_plain": "count(*) FILTER (NOT plain OR created_d IS NULL OR created_d < DATE '1000-01-01' "
                     "OR (close <> '' AND (close_d IS NULL OR close_d < DATE '1000-01-01')))",
        "no_close": "count(*) FILTER (close = '')",
    }


def sums(table: Table, layout: Layout, decimal: str,
         window: Window) -> tuple[dict[str, list[int]], int] | None:
    """Each owner's slots and the newest created date (an ordinal), or None when the file is not
    all plain (or DuckDB set a record aside): then only the careful path can answer."""
    index = table.index
    status = [f for f in STATUS_FIELDS if f in index]
    extra = [f for f in ("forecast_category", "push_count") if f in index]
    keys = ["owner", *status, *extra]
    cents, plain = plain_cents("amount", decimal)
    figures = _figures(window)
    rows = table.con.execute(f"""
        SELECT {', '.join(keys)}, {', '.join(f'{sql} AS {name}' for name, sql in figures.items())}
        FROM (SELECT *, CASE WHEN plain THEN {cents} END AS cents
              FROM (SELECT *, CASE WHEN close = '' THEN NULL
                                   ELSE {_date('close', table.order)} END AS close_d,
                           {_date('created', table.order)} AS created_d, {plain} AS plain
                    FROM {table.source}))
        GROUP BY ALL""").fetchall()
    if table.rejected():
        return None
    decide = status_reader(layout, *[status.index(f) if f in status else None
                                     for f in STATUS_FIELDS])
    width = len(keys)
    totals: dict[str, list[int]] = {}
    newest = 0
    for row in rows:
        got = dict(zip(figures, row[width:], strict=True))
        if got["not_plain"]:
            return None
        texts = dict(zip(keys, row[:width], strict=True))
        try:
            state, qualified = decide([texts[f] for f in status])
        except BadValue:
            return None
        if state != slots.OPEN and got["no_close"]:
            return None
        commit = fold(texts["forecast_category"]) == "commit" if "forecast_category" in texts \
            else False
        pushes = parse_pushes(texts["push_count"]) if "push_count" in texts else 0
        acc = totals.setdefault(texts["owner"], [0] * slots.SLOTS)
        _add(acc, got, state, qualified, commit, pushes >= 2)
        if got["newest"] is not None:
            newest = max(newest, got["newest"].toordinal())
    return totals, newest


def _add(acc: list[int], got: dict[str, Any], state: int, qualified: bool, commit: bool,
         multi: bool) -> None:
    """One group's figures into its owner's slots (the conditions of `reader._SUMS`)."""
    def value(name: str) -> int:
        return int(got.get(name) or 0)

    acc[slots.ROWS] += value("n")
    if qualified:
        acc[slots.CREATED] += value("c_n")
        acc[slots.CREATED_CENTS] += value("c_cents")
    if state == slots.WON_STATUS:
        acc[slots.WON] += value("p_n")
        acc[slots.WON_CENTS] += value("p_cents")
        acc[slots.WON_DAYS] += value("p_days")
        acc[slots.CW_NOW] += value("now_cents")
        acc[slots.EARLIER_WON] += value("e_n")
        acc[slots.EARLIER_WON_CENTS] += value("e_cents")
        acc[slots.EARLIER_WON_DAYS] += value("e_days")
    elif state == slots.LOST_STATUS:
        acc[slots.LOST] += value("p_n")
        acc[slots.EARLIER_LOST] += value("e_n")
    else:
        acc[slots.OPEN_CENTS] += value("o_cents")
        acc[slots.OPEN_N] += value("o_n")
        if commit:
            acc[slots.COMMIT_CENTS] += value("o_cents")
        if multi:
            acc[slots.MULTI_PUSHED] += value("o_n")
