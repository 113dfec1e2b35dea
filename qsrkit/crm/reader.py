"""Read a CRM opportunity export (CSV) and add up every rep's numbers in one pass.

One row is one opportunity: its owner, amount, stage (or won/closed flags), created date and
close date, and optionally its forecast category and how often its close date was pushed.

What this module decides, so that every user gets the same answer:

- Columns. Salesforce's standard opportunities report and HubSpot's deals export are recognised
  from the header (`PRESETS`); any other layout is named in a mapping file (`--columns`).
- Text. UTF-8 with or without a BOM, else Windows-1252. Comma, semicolon or tab separated,
  whichever the header line uses most. UTF-16 and Excel workbooks are refused with how to save
  a CSV; so are a header line over 64 KiB or 1,000 columns, a row over 1 MiB, a value over
  131,072 characters and a quote that never closes, each at its row (see `rawcsv`).
- Amounts. `1234.5`, `1,234.50`, `$1,234.50`, `USD 1,234.50`, `(1,234.50)`; in a semicolon or
  tab file the decimal separator is a comma (`1.234,50`) unless the mapping file says
  `decimal: "."`. A blank amount counts as 0. Amounts are added in whole cents (more decimals
  are rounded half up). The rules of an amount in an answers file apply, so one number gets
  one answer in both: more than 15 digits is refused; scientific notation (`1.2E+05`, which
  Excel writes for a number too wide for its column, losing the digits it did not show) is
  refused rather than guessed at; digits of other scripts (Arabic-Indic `١٢٣`, full-width
  `１２３`) are read as the digits they are, and underscores (`1_000`) are dropped.
  A negative amount (a credit or a correction) leaves its row out, with a warning naming it.
- Dates. ISO (`2026-07-14`, with or without a time), `7/14/2026` (month first, as Salesforce US
  writes it), `14/7/2026` when the file shows it is day-first (a first number above 12 and no
  second number above 12) or the mapping file says `date_format: DMY`, and `14.7.2026` (always
  day first). A time after the date is ignored.
- Won, lost, open. From the won/closed flags when the export has them, else from the stage
  (`Closed Won` / `Closed Lost` and the mapping file's `won_stages` / `lost_stages`).
- Qualified. Every opportunity counts as qualified except those whose stage is listed in the
  mapping file's `unqualified_stages`.

- Owners. As written, one key per person in `names` (Unicode form, case and spaces ignored).

The file is read by the engine (`engine`, `typed`: DuckDB, with the careful readers of `values`
deciding every text that is not plain) and added up per owner in one SQL query. Bad rows are
all counted and the first ten reported, with their row and column, in one `InvalidInput`; rows
left out (negative amounts) likewise, as warnings in `ExportTotals.warnings`. No printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qsrkit.crm import accumulate as slots
from qsrkit.crm import engine, located, onescan, rawcsv, typed
from qsrkit.crm.accumulate import MAX_SHOWN, Window, row_problems, status_reader
from qsrkit.crm.columns import Layout
from qsrkit.errors import InvalidInput, Problem


@dataclass
class ExportTotals:
    """What one pass over the export found: raw sums per owner, as written in the export."""

    file: str
    layout: str
    rows: int
    totals: dict[str, list[int]]  # owner -> accumulator (see the slot constants)
    has_forecast: bool
    has_pushes: bool
    encoding: str
    delimiter: str
    date_order: str
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # located; rows left out, say
    first_row: dict[str, int] = field(default_factory=dict)  # owner as written -> first row
    owner_column: tuple[int, str] = (0, "")  # 1-based column and header of the owner
    amount_column: tuple[int, str] = (0, "")
    newest_created: int = 0  # ordinal of the latest created date; 0 when there is none


# --- The pass ----------------------------------------------------------------------------------


def read_export(path: Path, window: Window, layout: Layout | None = None) -> ExportTotals:
    """Every owner's raw sums for the quarters in `window`; raise InvalidInput for bad input."""
    name = str(path)
    return rawcsv.read_with_restarts(
        path, name, layout.date_order if layout else None,
        lambda encoding, delimiter, order, strict: _read(
            path, name, encoding, delimiter, window, layout, order, strict))


# Each slot's figure, in SQL over view `t` (the conditions mirror `metrics`' definitions).
_SUMS = {
    slots.WON: "count(*) FILTER (WHERE close_d BETWEEN $p1 AND $p2 AND status = 1)",
    slots.WON_CENTS: "sum(cents) FILTER (WHERE close_d BETWEEN $p1 AND $p2 AND status = 1)",
    slots.WON_DAYS: "sum(close_d - created_d) FILTER (WHERE close_d BETWEEN $p1 AND $p2 AND status = 1)",
    slots.LOST: "count(*) FILTER (WHERE close_d BETWEEN $p1 AND $p2 AND status = 2)",
    slots.CREATED: "count(*) FILTER (WHERE created_d BETWEEN $p1 AND $p2 AND qualified)",
    slots.CREATED_CENTS: "sum(cents) FILTER (WHERE created_d BETWEEN $p1 AND $p2 AND qualified)",
    slots.CW_NOW: "sum(cents) FILTER (WHERE close_d BETWEEN $c1 AND $c2 AND status = 1 AND close_d <= $as_of)",
    slots.OPEN_CENTS: "sum(cents) FILTER (WHERE close_d BETWEEN $c1 AND $c2 AND status = 0)",
    slots.OPEN_N: "count(*) FILTER (WHERE close_d BETWEEN $c1 AND $c2 AND status = 0)",
    slots.COMMIT_CENTS: "sum(cents) FILTER (WHERE close_d BETWEEN $c1 AND $c2 AND status = 0 AND is_commit)",
    slots.MULTI_PUSHED: "count(*) FILTER (WHERE close_d BETWEEN $c1 AND $c2 AND status = 0 AND pushes >= 2)",
    slots.ROWS: "count(*)",
    slots.EARLIER_WON: "count(*) FILTER (WHERE close_d BETWEEN $e1 AND $e2 AND status = 1)",
    slots.EARLIER_WON_CENTS: "sum(cents) FILTER (WHERE close_d BETWEEN $e1 AND $e2 AND status = 1)",
    slots.EARLIER_WON_DAYS: "sum(close_d - created_d) FILTER (WHERE close_d BETWEEN $e1 AND $e2 AND status = 1)",
    slots.EARLIER_LOST: "count(*) FILTER (WHERE close_d BETWEEN $e1 AND $e2 AND status = 2)",
}
# A credit or a correction: left out, with a warning.
SKIP = "amount_err IS NULL AND cents < 0"
# A row that counts: its values read, not a credit, and a close date if it is decided.
GOOD = ("amount_err IS NULL AND created_err IS NULL AND close_err IS NULL "
        "AND status_err IS NULL AND cents >= 0 AND (close_d > 0 OR status = 0)")


def _read(path: Path, name: str, encoding: str, delimiter: str, window: Window,
          layout: Layout | None, order: str | None, strict: bool) -> ExportTotals:
    return engine.fast_then_careful(lambda careful: _attempt(
        path, name, encoding, delimiter, window, layout, order, strict, careful))


def _attempt(path: Path, name: str, encoding: str, delimiter: str, window: Window,
             layout: Layout | None, order: str | None, strict: bool,
             careful: bool) -> ExportTotals:
    """One read; on the fast path, raise `engine.Careful` at the first sign of a bad row."""
    table, used = engine.load_export(path, name, layout, encoding, delimiter, order, strict,
                                     careful)
    try:
        index = table.index
        decimal = used.decimal or ("," if delimiter != "," else ".")
        plain = None if table.careful else onescan.sums(table, used, decimal, window)
        if plain is not None:
            totals, newest = plain
            if not totals:
                raise InvalidInput([Problem(name, 1, 0, "", _NO_ROWS)])
            return _totals(table, used, encoding, delimiter, table.order or "MDY", totals,
                           sum(t[slots.ROWS] for t in totals.values()),
                           table.first_lines(set(totals)), [], newest)
        dates = typed.build(table, used, decimal)
        bad_sql = f"NOT ({SKIP}) AND ({located.ERRORS} OR {located.NO_CLOSE})"
        p1, p2 = window.previous
        c1, c2 = window.current
        e1, e2 = window.earlier
        sums = ", ".join(f"coalesce({_SUMS[s].replace('(WHERE ', f'(WHERE {GOOD} AND ')}, 0)"
                         f"::BIGINT" if "FILTER" in _SUMS[s] else
                         f"count(*) FILTER (WHERE {GOOD})" for s in range(slots.SLOTS))
        result = table.con.execute(
            f"SELECT owner, min(k), max(created_d) FILTER (WHERE {GOOD}), "
            f"count(*) FILTER (WHERE {SKIP}) + count(*) FILTER (WHERE {bad_sql}), "
            f"count(*) FILTER (WHERE {GOOD}), {sums} FROM t GROUP BY owner",
            {"p1": p1, "p2": p2, "c1": c1, "c2": c2, "e1": e1, "e2": e2,
             "as_of": window.as_of}).fetchall()
        if not table.careful and (table.rejected() or any(r[3] for r in result)):
            raise engine.Careful
        warnings: list[Problem] = []
        rows = sum(r[4] for r in result)
        if table.careful:
            status_of = status_reader(used, index.get("stage"), index.get("won"),
                                      index.get("closed"))

            def describe(row: list[str], line: int, no_close: bool) -> list[Problem]:
                if no_close:
                    return [located.no_close(table, line)]
                return row_problems(row, table.header, index, decimal, dates, name, line,
                                    status_of)

            seen = located.find(table, skip=SKIP, bad=bad_sql, params={}, describe=describe,
                                say_first=True)
            warnings, rows = seen.warnings, seen.rows
            if seen.bad:
                more = Problem(name, 0, 0, "", f"{seen.bad:,} row(s) of {rows:,} could not be "
                               "read" + (f"; the first {MAX_SHOWN} are listed above"
                                         if seen.bad > MAX_SHOWN else "")
                               + ". Fix them in the CRM (or the export) and run again")
                raise InvalidInput([*warnings, *seen.problems, more])
        if rows == 0:
            raise InvalidInput([Problem(name, 1, 0, "", _NO_ROWS)])
        result = [r for r in result if r[4]]
        if table.careful:
            lines = table.lines(r[1] for r in result)
            first = {r[0]: lines.get(r[1], 0) for r in result}
        else:
            first = table.first_lines({r[0] for r in result})
        return _totals(table, used, encoding, delimiter, dates.order,
                       {r[0]: list(r[5:]) for r in result}, rows, first, warnings,
                       max((r[2] or 0 for r in result), default=0))
    finally:
        table.close()


_NO_ROWS = "has a header but no opportunities; export the report again with its rows"


def _totals(table: engine.Table, used: Layout, encoding: str, delimiter: str, order: str,
            totals: dict[str, list[int]], rows: int, first: dict[str, int],
            warnings: list[Problem], newest: int) -> ExportTotals:
    index = table.index
    i_owner, i_amount = index["owner"], index["amount"]
    return ExportTotals(
        file=table.name, layout=used.name, rows=rows,
        totals=totals, has_forecast="forecast_category" in index,
        has_pushes="push_count" in index,
        encoding="Windows-1252" if encoding == "cp1252" else "UTF-8", delimiter=delimiter,
        date_order=order, warnings=warnings, first_row=first,
        owner_column=(i_owner + 1, table.header[i_owner]),
        amount_column=(i_amount + 1, table.header[i_amount]),
        newest_created=newest,
    )
