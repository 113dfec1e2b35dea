"""One record per opportunity, for `qsrkit diagnose`: what each deal is, not sums per rep.

`metrics` adds figures up per rep in a tuned loop (`accumulate`); diagnostics need the deals
themselves (which were pushed, which sat in Commit, which fit the ideal customer profile), so
this reader keeps a `Deal` per row that can matter for the period:

- a deal closed (won or lost) on or after the period's first day, or still open: its outcome,
  its pushes and its commits are what the metrics count;
- a deal created in the period: the pipeline the rep built while the period ran.

Deals closed before the period and created before it are left out as they are read.

The file is read as `metrics` reads it (`rawcsv` checks, `columns` presets or a mapping file,
`values` for amounts, dates and flags), so an export gets the same answers and the same located
messages in both commands. Rows with a negative amount are left out with a warning, as there.
Nothing here prints.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from qsrkit.answers.parse import shown
from qsrkit.crm import rawcsv

# The won/lost/open decision is the one `metrics` uses (flags first, then the stage names).
from qsrkit.crm.accumulate import FOOTER, LOST_STATUS, MAX_SHOWN, OPEN, WON_STATUS, status_reader
from qsrkit.crm.columns import Layout, resolve_columns
from qsrkit.crm.values import BadValue, DateReader, parse_amount, parse_pushes
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


def cents_of(text: str, decimal: str) -> int:
    """An amount in cents: plain numbers the quick way (exact below 15 digits), the rest by
    `parse_amount`, which refuses what it cannot read for certain."""
    if "e" not in text and "E" not in text and (decimal == "." or "." not in text):
        try:
            hundredfold = float(text if decimal == "." else text.replace(",", ".")) * 100
            cents = round(hundredfold)
            if -0.001 < hundredfold - cents < 0.001 and 0 <= hundredfold < 1e15:
                return cents
        except (ValueError, OverflowError):
            pass
    return parse_amount(text, decimal)


def _read(path: Path, name: str, encoding: str, delimiter: str, first_day: int,
          layout: Layout | None, order: str | None, strict: bool) -> DealExport:
    def reopen() -> TextIO:
        return rawcsv.open_text(path, encoding)

    with reopen() as handle:
        reader = csv.reader(rawcsv.lines(handle), delimiter=delimiter, strict=strict)
        header = rawcsv.read_header(reader, name, reopen, delimiter, strict)
        layout, index = resolve_columns(header, layout, name)
        decimal = layout.decimal or ("," if delimiter != "," else ".")
        dates = DateReader(order)
        status_of = status_reader(layout, index.get("stage"), index.get("won"),
                                   index.get("closed"))
        width = len(header)
        i_owner, i_amount = index["owner"], index["amount"]
        i_created, i_close = index["created"], index["close"]
        i_push = index.get("push_count")
        # The optional texts in Deal's order; a column the export lacks reads as "".
        texts_at = [index.get(f, -1) for f in TEXT_FIELDS]
        status_at = [index[f] for f in ("stage", "won", "closed") if f in index]
        status_key = itemgetter(*status_at) if len(status_at) > 1 else None
        statuses: dict[Any, int] = {}
        known = dates.cache  # each distinct date text is parsed once
        deals: list[Deal] = []
        problems: list[Problem] = []
        warnings: list[Problem] = []
        first_row: dict[str, int] = {}
        bad = skipped = rows = 0
        try:
            for row in reader:
                if len(row) != width:
                    if len(row) <= 1 and (not row or not row[0].strip()):
                        continue
                    if len(row) <= 1 and FOOTER.match(row[0].strip()):
                        break
                    if rawcsv.overlong_row(row):
                        raise InvalidInput([rawcsv.overlong_problem(name, reader.line_num, row)])
                    rows += 1
                    bad += 1
                    if bad <= MAX_SHOWN:
                        problems.append(Problem(
                            name, reader.line_num, 0, "", f"has {len(row)} value(s) but the "
                            f"header has {width} columns; a value with the separator in it "
                            "needs quotes"))
                    continue
                rows += 1
                try:
                    created_text, close_text = row[i_created], row[i_close]
                    created = known.get(created_text) or dates(created_text)
                    close = (known.get(close_text) or dates(close_text)) if close_text.strip() else 0
                    if close and close < first_day and created < first_day:
                        continue  # decided before the period and created before it
                    key = status_key(row) if status_key else row[status_at[0]]
                    status = statuses.get(key)
                    if status is None:
                        status = statuses[key] = status_of(row)[0]
                    cents = cents_of(row[i_amount], decimal)
                except BadValue as exc:
                    bad += 1
                    if bad <= MAX_SHOWN:
                        problems.append(_locate(exc, row, header, index, dates, decimal, name,
                                                reader.line_num))
                    continue
                if cents < 0 or (not close and status != OPEN):
                    if cents < 0:
                        skipped += 1
                        if skipped <= MAX_SHOWN:
                            warnings.append(Problem(
                                name, reader.line_num, i_amount + 1, header[i_amount],
                                f"the amount {shown(row[i_amount].strip())} is negative: a "
                                "credit or a correction, not a deal; the row is left out of "
                                "every figure", severity="warning"))
                    else:
                        bad += 1
                        if bad <= MAX_SHOWN:
                            problems.append(Problem(name, reader.line_num, i_close + 1,
                                                    header[i_close],
                                                    "a closed opportunity needs a close date"))
                    continue
                owner = row[i_owner]
                if owner not in first_row:
                    first_row[owner] = reader.line_num
                deal_id, stage, category, industry, segment, employees, source, reason = [
                    row[i].strip() if i >= 0 else "" for i in texts_at]
                pushes = parse_pushes(row[i_push]) if i_push is not None else None
                deals.append(Deal(owner, cents, created, close, status, pushes, deal_id, stage,
                                  category, industry, segment, employees, source, reason))
        except csv.Error as exc:
            raise InvalidInput([*warnings, rawcsv.csv_problem(
                exc, reopen, name=name, delimiter=delimiter, strict=strict, line_base=0,
                header=header)]) from None
    if skipped:
        warnings.append(Problem(name, 0, 0, "", f"{skipped:,} row(s) with a negative amount "
                                "were left out", severity="warning"))
    if bad:
        more = Problem(name, 0, 0, "", f"{bad:,} row(s) of {rows:,} could not be read"
                       + (f"; the first {MAX_SHOWN} are listed above" if bad > MAX_SHOWN else "")
                       + ". Fix them in the CRM (or the export) and run again")
        raise InvalidInput([*warnings, *problems, more])
    if rows == 0:
        raise InvalidInput.at(name, "has a header but no opportunities; export the report "
                              "again with its rows", line=1)
    return DealExport(name, layout, rows, deals, frozenset(index), warnings, first_row,
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
