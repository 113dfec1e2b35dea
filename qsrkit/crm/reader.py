"""Read a CRM opportunity export (CSV) and add up every rep's numbers in one pass.

One row is one opportunity: its owner, amount, stage (or won/closed flags), created date and
close date, and optionally its forecast category and how often its close date was pushed.

What this module decides, so that every user gets the same answer:

- Columns. Salesforce's standard opportunities report and HubSpot's deals export are recognised
  from the header (`PRESETS`); any other layout is named in a mapping file (`--columns`).
- Text. UTF-8 with or without a BOM, else Windows-1252. Comma, semicolon or tab separated,
  whichever the header line uses most.
- Amounts. `1234.5`, `1,234.50`, `$1,234.50`, `USD 1,234.50`, `(1,234.50)`; in a semicolon or
  tab file the decimal separator is a comma (`1.234,50`) unless the mapping file says
  `decimal: "."`. A blank amount counts as 0. Amounts are added in whole cents.
- Dates. ISO (`2026-07-14`, with or without a time), `7/14/2026` (month first, as Salesforce US
  writes it), `14/7/2026` when the file shows it is day-first (a first number above 12 and no
  second number above 12) or the mapping file says `date_format: DMY`, and `14.7.2026` (always
  day first). A time after the date is ignored.
- Won, lost, open. From the won/closed flags when the export has them, else from the stage
  (`Closed Won` / `Closed Lost` and the mapping file's `won_stages` / `lost_stages`).
- Qualified. Every opportunity counts as qualified except those whose stage is listed in the
  mapping file's `unqualified_stages`.

The pass is pure computation: no printing. Bad rows are all counted and the first ten reported,
with their row and column, in one `InvalidInput`.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path

from qsrkit.crm.accumulate import MAX_SHOWN, Job, Window, accumulate
from qsrkit.crm.columns import Layout, resolve_columns
from qsrkit.crm.parallel import in_parallel, split_at_records
from qsrkit.crm.values import Restart
from qsrkit.errors import InvalidInput, Problem, unreadable


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


# --- Reading the header ----------------------------------------------------------------------


def _sniff(path: Path, name: str) -> tuple[str, str, str]:
    """(encoding, delimiter, first line) from the start of the file; refuse an empty file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError as exc:
        raise unreadable(name, exc, "CSV file") from None
    encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput([Problem(name, 0, 0, "", "is UTF-16 text; export it again as CSV in "
                                    "UTF-8 (or save it from Excel as 'CSV UTF-8')")])
    text = head.decode("utf-8-sig" if encoding == "utf-8-sig" else "latin-1", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first.strip():
        raise InvalidInput([Problem(name, 0, 0, "", "the file is empty; export the opportunities "
                                    "report again, with its header row")])
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    return encoding, delimiter, first


# --- Values ------------------------------------------------------------------------------------


# --- The pass ----------------------------------------------------------------------------------


def read_export(path: Path, window: Window, layout: Layout | None = None) -> ExportTotals:
    """Every owner's raw sums for the quarters in `window`; raise InvalidInput for bad input."""
    name = str(path)
    encoding, delimiter, _ = _sniff(path, name)
    order = layout.date_order if layout else None
    for _attempt in range(3):
        try:
            return _read(path, name, encoding, delimiter, window, layout, order)
        except Restart as again:
            encoding = again.encoding or encoding
            order = again.date_order or order
        except UnicodeDecodeError as exc:
            if encoding == "cp1252":
                raise InvalidInput([Problem(name, 0, 0, "", f"is neither UTF-8 nor Windows-1252 "
                                            f"text ({exc.reason}); export it again as CSV UTF-8")]) from None
            encoding = "cp1252"
    raise AssertionError("unreachable")  # pragma: no cover


def _read(path: Path, name: str, encoding: str, delimiter: str, window: Window,
          layout: Layout | None, order: str | None) -> ExportTotals:
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        while header is not None and not any(h.strip() for h in header):
            header = next(reader, None)
        if header is None:
            raise InvalidInput([Problem(name, 0, 0, "", "the file is empty; export the "
                                        "opportunities report again, with its header row")])
        layout, index = resolve_columns(header, layout, name)
        decimal = layout.decimal or ("," if delimiter != "," else ".")
        job = Job(str(path), name, encoding, delimiter, header, index, layout, window, decimal,
                   order)
        parts = split_at_records(path, reader.line_num)
        if len(parts) == 1:
            part = accumulate(reader, job, 0)
    if len(parts) > 1:
        part = in_parallel(job, parts)
    totals, rows, bad, date_order = part
    if bad.count:
        shown = bad.problems[:MAX_SHOWN]
        more = Problem(name, 0, 0, "", f"{bad.count:,} row(s) of {rows:,} could not be read"
                       + (f"; the first {MAX_SHOWN} are listed above" if bad.count > MAX_SHOWN else "")
                       + ". Fix them in the CRM (or the export) and run again")
        raise InvalidInput([*shown, more])
    if rows == 0:
        raise InvalidInput([Problem(name, 1, 0, "", "has a header but no opportunities; export "
                                    "the report again with its rows")])
    return ExportTotals(
        file=name, layout=layout.name, rows=rows, totals=totals,
        has_forecast="forecast_category" in index, has_pushes="push_count" in index,
        encoding="Windows-1252" if encoding == "cp1252" else "UTF-8", delimiter=delimiter,
        date_order=date_order,
    )


# --- Both cores for big files ------------------------------------------------------------------


# --- The mapping file (--columns) --------------------------------------------------------------


