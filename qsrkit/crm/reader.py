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

The pass is pure computation: no printing. Bad rows are all counted and the first ten reported,
with their row and column, in one `InvalidInput`; rows left out (negative amounts) likewise, as
warnings in `ExportTotals.warnings`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from qsrkit.crm import rawcsv
from qsrkit.crm.accumulate import MAX_SHOWN, Job, Window, accumulate
from qsrkit.crm.columns import Layout, resolve_columns
from qsrkit.crm.parallel import in_parallel, split_at_records
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


def _read(path: Path, name: str, encoding: str, delimiter: str, window: Window,
          layout: Layout | None, order: str | None, strict: bool) -> ExportTotals:
    def reopen() -> TextIO:
        return rawcsv.open_text(path, encoding)

    with reopen() as handle:
        reader = csv.reader(rawcsv.lines(handle), delimiter=delimiter, strict=strict)
        header = rawcsv.read_header(reader, name, reopen, delimiter, strict)
        layout, index = resolve_columns(header, layout, name)
        decimal = layout.decimal or ("," if delimiter != "," else ".")
        job = Job(str(path), name, encoding, delimiter, header, index, layout, window, decimal,
                  order, strict)
        parts = split_at_records(path, reader.line_num)
        if len(parts) == 1:
            part = accumulate(reader, job, 0, reopen)
    if len(parts) > 1:
        part = in_parallel(job, parts)
    totals, rows, bad, date_order = part
    if bad.fatal is not None:
        raise InvalidInput([*bad.warnings, bad.fatal])
    warnings = list(bad.warnings)
    if bad.skipped:
        warnings.append(Problem(
            name, 0, 0, "", f"{bad.skipped:,} row(s) with a negative amount were left out"
            + (f"; the first {MAX_SHOWN} are listed above" if bad.skipped > MAX_SHOWN else ""),
            severity="warning"))
    if bad.count:
        shown = bad.problems[:MAX_SHOWN]
        more = Problem(name, 0, 0, "", f"{bad.count:,} row(s) of {rows:,} could not be read"
                       + (f"; the first {MAX_SHOWN} are listed above" if bad.count > MAX_SHOWN else "")
                       + ". Fix them in the CRM (or the export) and run again")
        raise InvalidInput([*warnings, *shown, more])
    if rows == 0:
        raise InvalidInput([Problem(name, 1, 0, "", "has a header but no opportunities; export "
                                    "the report again with its rows")])
    i_owner, i_amount = index["owner"], index["amount"]
    return ExportTotals(
        file=name, layout=layout.name, rows=rows, totals=totals,
        has_forecast="forecast_category" in index, has_pushes="push_count" in index,
        encoding="Windows-1252" if encoding == "cp1252" else "UTF-8", delimiter=delimiter,
        date_order=date_order, warnings=warnings, first_row=bad.first_row,
        owner_column=(i_owner + 1, header[i_owner]), amount_column=(i_amount + 1, header[i_amount]),
        newest_created=bad.newest_created,
    )
