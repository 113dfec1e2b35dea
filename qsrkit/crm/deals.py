"""One record per opportunity, for `qsrkit diagnose`: what each deal is, not sums per rep.

`metrics` adds figures up per rep in one query (`reader`); diagnostics need the deals
themselves (which were pushed, which sat in Commit, which fit the ideal customer profile), so
this reader keeps a `Deal` per row that can matter for the period:

- a deal closed (won or lost) on or after the period's first day, or still open: its outcome,
  its pushes and its commits are what the metrics count;
- a deal created in the period: the pipeline the rep built while the period ran.

Deals closed before the period and created before it are left out as they are read.

The file is read as `metrics` reads it (the engine: `rawcsv` checks, `columns` presets or a
mapping file, `typed` and `values` for amounts, dates and flags), so an export gets the same answers and the same located
messages in both commands. Rows with a negative amount are left out with a warning, as there.
Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from qsrkit.crm import engine, located, rawcsv, typed

# The won/lost/open decision is the one `metrics` uses (flags first, then the stage names).
from qsrkit.crm.accumulate import LOST_STATUS, MAX_SHOWN, OPEN, WON_STATUS, status_reader
from qsrkit.crm.columns import Layout
from qsrkit.crm.values import BadValue, DateReader, parse_amount
from qsrkit.errors import InvalidInput, Problem

# Optional columns a deal carries when the export has them ("" when it has not).
TEXT_FIELDS = ("opportunity_id", "stage", "forecast_category", "industry", "segment",
               "employees", "lead_source", "loss_reason")


@dataclass(slots=True)
class Deal:
    owner: str  # as written in the export
    cents: int
    created: int  # day ordinals (datetime.date.toordinal)
    close: int  # 0 for an open deal without a close date
    status: int  # OPEN, WON_STATUS or LOST_STATUS
    pushes: int | None  # the export's push count; None without the column
    opportunity_id: str
    stage: str
    forecast_category: str
    industry: str
    segment: str
    employees: str
    lead_source: str
    loss_reason: str
    # From the snapshots (`diagnostics.attach_history`), when there are any:
    seen_closes: Sequence[int] = ()  # close dates, in date order
    commit_closes: AbstractSet[int] = frozenset()  # close dates while in Commit
    stages: Sequence[str] = ()  # folded stage names reached
    quarters_pushed: int = 0  # quarters its close date left for a later one

    @property
    def won(self) -> bool:
        return self.status == WON_STATUS

    @property
    def lost(self) -> bool:
        return self.status == LOST_STATUS

    @property
    def open(self) -> bool:
        return self.status == OPEN


@dataclass
class DealExport:
    file: str
    layout: Layout
    rows: int
    deals: list[Deal]
    columns: frozenset[str]  # the fields the export has
    warnings: list[Problem] = field(default_factory=list)
    first_row: dict[str, int] = field(default_factory=dict)  # owner as written -> first row
    owner_column: tuple[int, str] = (0, "")


def read_deals(path: Path, first_day: int, layout: Layout | None = None) -> DealExport:
    """The deals of `path` that can matter for a period starting on `first_day` (an ordinal)."""
    name = str(path)
    return rawcsv.read_with_restarts(
        path, name, layout.date_order if layout else None,
        lambda encoding, delimiter, order, strict: _read(
            path, name, encoding, delimiter, first_day, layout, order, strict))


# Which rows count, in SQL over `typed`'s view `t` ($first: the period's first day).
_DATES_BAD = "(created_err IS NOT NULL OR close_err IS NOT NULL)"
_OLD = "(close_d > 0 AND close_d < $first AND created_d < $first)"  # decided and made before
_BAD_VALUE = "(status_err IS NOT NULL OR amount_err IS NOT NULL)"
_SKIP = f"NOT {_DATES_BAD} AND NOT {_OLD} AND NOT {_BAD_VALUE} AND cents < 0"
_BAD = f"{_DATES_BAD} OR (NOT {_OLD} AND ({_BAD_VALUE} OR (cents >= 0 AND {located.NO_CLOSE})))"


def _read(path: Path, name: str, encoding: str, delimiter: str, first_day: int,
          layout: Layout | None, order: str | None, strict: bool) -> DealExport:
    return engine.fast_then_careful(lambda careful: _attempt(
        path, name, encoding, delimiter, first_day, layout, order, strict, careful))


def _attempt(path: Path, name: str, encoding: str, delimiter: str, first_day: int,
             layout: Layout | None, order: str | None, strict: bool, careful: bool) -> DealExport:
    table, used = engine.load_export(path, name, layout, encoding, delimiter, order, strict,
                                     careful)
    try:
        index, header = table.index, table.header
        decimal = used.decimal or ("," if delimiter != "," else ".")
        dates = typed.build(table, used, decimal)
        texts = ", ".join(f if f in index else "''" for f in TEXT_FIELDS)
        params = {"first": first_day}
        rows = table.con.execute(
            f"SELECT NOT ({_SKIP} OR {_BAD}), k, owner, cents, created_d, close_d, status, "
            f"pushes, {texts} FROM t WHERE NOT coalesce({_OLD}, false) OR {_DATES_BAD} "
            "ORDER BY k", params).fetchall()
        if not table.careful and (table.rejected() or not all(r[0] for r in rows)):
            raise engine.Careful
        warnings: list[Problem] = []
        status_of = status_reader(used, index.get("stage"), index.get("won"), index.get("closed"))

        def describe(row: list[str], line: int, no_close: bool) -> list[Problem]:
            if no_close:
                return [located.no_close(table, line)]
            try:
                status_of(row)
                why = BadValue("")
            except BadValue as exc:
                why = exc
            return [_locate(why, row, header, index, dates, decimal, name, line)]

        # The fast path has just seen no row to leave out or to locate (else `Careful`): its
        # only question left is how many rows there are, one scan instead of find's four.
        seen = (located.find(table, skip=_SKIP, bad=_BAD, params=params, describe=describe,
                             say_first=False)
                if table.careful else located.Found([], [], 0, table.count()))
        warnings = seen.warnings
        if seen.bad:
            more = Problem(name, 0, 0, "", f"{seen.bad:,} row(s) of {seen.rows:,} could not be "
                           "read" + (f"; the first {MAX_SHOWN} are listed above"
                                     if seen.bad > MAX_SHOWN else "")
                           + ". Fix them in the CRM (or the export) and run again")
            raise InvalidInput([*warnings, *seen.problems, more])
        if seen.rows == 0:
            raise InvalidInput.at(name, "has a header but no opportunities; export the report "
                                  "again with its rows", line=1)
        deals = [Deal(r[2], r[3], r[4], r[5], r[6], r[7] if "push_count" in index else None,
                      *(t.strip() for t in r[8:])) for r in rows if r[0]]
        if table.careful:
            firsts: dict[str, int] = {}
            for r in rows:
                if r[0]:
                    firsts.setdefault(r[2], r[1])
            lines = table.lines(firsts.values())
            first_row = {owner: lines.get(k, 0) for owner, k in firsts.items()}
        else:
            first_row = table.first_lines({d.owner for d in deals})
    finally:
        table.close()
    i_owner = index["owner"]
    return DealExport(name, used, seen.rows, deals, frozenset(index), warnings, first_row,
                      (i_owner + 1, header[i_owner]))


def _locate(exc: BadValue, row: list[str], header: list[str], index: dict[str, int],
            dates: DateReader, decimal: str, name: str, line: int) -> Problem:
    """The column of the first value in `row` that cannot be read (the slow path)."""
    for field_name in ("created", "close", "amount"):
        column = index[field_name]
        text = row[column]
        try:
            if field_name == "amount":
                parse_amount(text, decimal)
            elif text.strip() or field_name == "created":
                dates(text)
        except BadValue as found:
            return Problem(name, line, column + 1, header[column], str(found))
    column = next((index[f] for f in ("won", "closed", "stage") if f in index), 0)
    return Problem(name, line, column + 1, header[column], str(exc))
