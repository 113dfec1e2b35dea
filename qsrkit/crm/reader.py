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
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any

from qsrkit.errors import InvalidInput, Problem, unreadable

MAX_SHOWN = 10  # bad rows listed one by one; the rest are counted

# Where each row's numbers go (indices into a rep's accumulator list).
WON, WON_CENTS, WON_DAYS, LOST, CREATED, CREATED_CENTS = 0, 1, 2, 3, 4, 5
CW_NOW, OPEN_CENTS, OPEN_N, COMMIT_CENTS, MULTI_PUSHED, ROWS = 6, 7, 8, 9, 10, 11
_SLOTS = 12

OPEN, WON_STATUS, LOST_STATUS = 0, 1, 2

FIELDS = ("owner", "amount", "created", "close", "stage", "won", "closed",
          "forecast_category", "push_count")
REQUIRED = ("owner", "amount", "created", "close")

DEFAULT_WON_STAGES = frozenset({"closed won", "closedwon", "won"})
DEFAULT_LOST_STAGES = frozenset({"closed lost", "closedlost", "lost"})
_TRUE = frozenset({"1", "true", "yes", "y", "t", "x"})
_FALSE = frozenset({"0", "false", "no", "n", "f", ""})


@dataclass(frozen=True)
class Layout:
    """Which header names hold which field, and how the file writes its values."""

    name: str
    columns: dict[str, tuple[str, ...]]  # field -> header names it may have (any case)
    date_order: str | None = None  # "MDY", "DMY", "YMD" or None (detect)
    decimal: str | None = None  # "." or ","; None: "," for semicolon/tab files, else "."
    won_stages: frozenset[str] = DEFAULT_WON_STAGES
    lost_stages: frozenset[str] = DEFAULT_LOST_STAGES
    unqualified_stages: frozenset[str] = frozenset()
    source: str = ""  # the mapping file, for messages


PRESETS = (
    Layout(
        "Salesforce opportunities report",
        {
            "owner": ("Opportunity Owner", "Opportunity Owner: Full Name"),
            "amount": ("Amount", "Amount (converted)"),
            "created": ("Created Date",),
            "close": ("Close Date",),
            "stage": ("Stage",),
            "won": ("Won",),
            "closed": ("Closed",),
            "forecast_category": ("Forecast Category",),
            "push_count": ("Push Count",),
        },
    ),
    Layout(
        "HubSpot deals export",
        {
            "owner": ("Deal owner",),
            "amount": ("Amount", "Amount in company currency"),
            "created": ("Create Date",),
            "close": ("Close Date",),
            "stage": ("Deal Stage",),
            "won": ("Is Closed Won",),
            "closed": ("Is Deal Closed?", "Is Closed"),
            "forecast_category": ("Forecast category",),
            "push_count": ("Push Count",),
        },
    ),
)


@dataclass
class Window:
    """The dates that decide where each opportunity counts (ordinals of `datetime.date`)."""

    previous: tuple[int, int]  # first and last day of the previous quarter
    current: tuple[int, int]  # first and last day of the quarter being planned
    as_of: int  # closed won counts up to this day

    @classmethod
    def of(cls, previous: tuple[dt.date, dt.date], current: tuple[dt.date, dt.date],
           as_of: dt.date) -> Window:
        return cls((previous[0].toordinal(), previous[1].toordinal()),
                   (current[0].toordinal(), current[1].toordinal()), as_of.toordinal())


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


class _Restart(Exception):
    """Read again from the start with what was learnt (encoding or day-first dates)."""

    def __init__(self, encoding: str | None = None, date_order: str | None = None) -> None:
        super().__init__(encoding, date_order)  # as args, so it survives a worker process
        self.encoding = encoding
        self.date_order = date_order


class _BadValue(ValueError):
    pass


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


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve_columns(header: list[str], layout: Layout | None, file: str) -> tuple[Layout, dict[str, int]]:
    """Which column index holds each field; raise a clear error for missing or doubled columns."""
    folded = [_fold(h) for h in header]
    if layout is None:
        layout = _detect(folded, header, file)
    index: dict[str, int] = {}
    missing: list[str] = []
    doubled: list[str] = []
    for name, options in layout.columns.items():
        found = [i for i, h in enumerate(folded) for o in options if h == _fold(o)]
        if not found:
            if name in REQUIRED:
                missing.append(" or ".join(repr(o) for o in options[:2]))
            continue
        positions = sorted(set(found))
        if len(positions) > 1:
            doubled.append(f"'{header[positions[0]]}' (columns {', '.join(str(p + 1) for p in positions)})")
            continue
        index[name] = positions[0]
    if "stage" not in index and "won" not in index and not missing:
        stage = layout.columns.get("stage", ("stage",))
        won = layout.columns.get("won", ("won",))
        missing.append(f"{stage[0]!r} or {won[0]!r} (to tell won from lost)")
    problems = []
    had = ", ".join(repr(h) for h in header)
    where = f"the mapping file {layout.source}" if layout.source else f"a {layout.name}"
    if missing:
        problems.append(Problem(
            file, 1, 0, "", f"columns that {where} needs are missing: {'; '.join(missing)}. "
            f"The header has: {had}"))
    if doubled:
        problems.append(Problem(
            file, 1, 0, "", f"these columns appear more than once, so qsrkit cannot tell which "
            f"to use: {', '.join(doubled)}; remove or rename the extra ones"))
    if problems:
        raise InvalidInput(problems)
    return layout, index


def _detect(folded: list[str], header: list[str], file: str) -> Layout:
    for preset in PRESETS:
        if any(_fold(o) in folded for o in preset.columns["owner"]):
            return preset
    names = " or ".join(p.name for p in PRESETS)
    raise InvalidInput([Problem(
        file, 1, 0, "",
        f"the header is not a {names}, and no --columns mapping file was given. The header "
        f"has: {', '.join(repr(h) for h in header)}. Name the columns in a mapping file "
        "(owner, amount, created, close, stage) and pass it with --columns MAP.yaml")])


# --- Values ------------------------------------------------------------------------------------

_CURRENCY = re.compile(r"^(?:[A-Z]{3}\s*)?[$€£¥]?\s*|\s*[$€£¥]?(?:\s*[A-Z]{3})?$")
_GROUPED = {
    ".": re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$"),
    ",": re.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^\d+(?:,\d+)?$|^,\d+$"),
}
_CENT = Decimal("0.01")


def parse_amount(text: str, decimal: str) -> int:
    """An amount as whole cents; raise _BadValue with what is wrong."""
    if decimal == ".":
        dot = text.rfind(".")
        if dot < 0 or len(text) - dot <= 3:
            try:
                value = float(text)
            except ValueError:
                pass
            else:
                if value - value != 0:  # nan or infinity
                    raise _BadValue(f"'{text}' is not an amount")
                return round(value * 100)
    return _amount_slow(text, decimal)


def _amount_slow(text: str, decimal: str) -> int:
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not s:
        return 0
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = True, s[1:]
    s = _CURRENCY.sub("", s)
    if s.startswith("-"):
        negative, s = True, s[1:]
    if not _GROUPED[decimal].match(s):
        separator = "decimal point" if decimal == "." else "decimal comma"
        raise _BadValue(f"'{text}' is not an amount (this file is read with a {separator})")
    plain = s.replace("," if decimal == "." else ".", "").replace(",", ".")
    try:
        cents = int((Decimal(plain) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise _BadValue(f"'{text}' is not an amount") from None
    return -cents if negative else cents


class DateReader:
    """Dates as CRMs write them, each distinct text parsed once (to a day ordinal)."""

    def __init__(self, order: str | None) -> None:
        self.configured = order
        self.order = order or "MDY"
        self.month_first_seen = False
        self.cache: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._parse(text)
        return found

    def _parse(self, text: str) -> int:
        head = text.strip().split(" ", 1)[0].split("T", 1)[0]
        if not head:
            raise _BadValue("the date is empty")
        try:
            if "-" in head:
                y, m, d = head.split("-")
            elif "." in head:
                d, m, y = head.split(".")
                if len(d) == 4:
                    y, d = d, y
            elif "/" in head:
                a, b, y = head.split("/")
                if len(a) == 4:
                    y, m, d = a, b, y
                else:
                    m, d = self._slash_order(a, b, text)
            else:
                raise ValueError
            if len(y) != 4:
                raise _BadValue(f"'{text}' is not a date (write the year in full)")
            return dt.date(int(y), int(m), int(d)).toordinal()
        except _BadValue:
            raise
        except ValueError:
            raise _BadValue(f"'{text}' is not a date; qsrkit reads YYYY-MM-DD, "
                            f"{'M/D/YYYY' if self.order == 'MDY' else 'D/M/YYYY'} and D.M.YYYY") from None

    def _slash_order(self, a: str, b: str, text: str) -> tuple[str, str]:
        first, second = int(a), int(b)
        if self.order == "DMY":
            return b, a
        if self.configured is None and first > 12 >= second:
            if self.month_first_seen:
                raise _BadValue(f"'{text}' is day-first but earlier dates in the file are "
                                "month-first; set date_format in a --columns mapping file")
            raise _Restart(date_order="DMY")
        if second > 12:
            self.month_first_seen = True
        return a, b


def _flag(text: str) -> bool:
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _BadValue(f"'{text}' is not yes/no; qsrkit reads 1/0, true/false and yes/no")


# --- The pass ----------------------------------------------------------------------------------


def read_export(path: Path, window: Window, layout: Layout | None = None) -> ExportTotals:
    """Every owner's raw sums for the quarters in `window`; raise InvalidInput for bad input."""
    name = str(path)
    encoding, delimiter, _ = _sniff(path, name)
    order = layout.date_order if layout else None
    for _attempt in range(3):
        try:
            return _read(path, name, encoding, delimiter, window, layout, order)
        except _Restart as again:
            encoding = again.encoding or encoding
            order = again.date_order or order
        except UnicodeDecodeError as exc:
            if encoding == "cp1252":
                raise InvalidInput([Problem(name, 0, 0, "", f"is neither UTF-8 nor Windows-1252 "
                                            f"text ({exc.reason}); export it again as CSV UTF-8")]) from None
            encoding = "cp1252"
    raise AssertionError("unreachable")  # pragma: no cover


_FOOTER = re.compile(r"^(grand totals|total|copyright|confidential|generated by)\b", re.I)


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
        job = _Job(str(path), name, encoding, delimiter, header, index, layout, window, decimal,
                   order)
        parts = _split(path, reader.line_num)
        if len(parts) == 1:
            part = _accumulate(reader, job, 0)
    if len(parts) > 1:
        part = _in_parallel(job, parts)
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

PARALLEL_MIN_BYTES = 24 * 1024 * 1024  # below this, starting a process costs more than it saves


@dataclass(frozen=True)
class _Job:
    """What a worker needs to add up one slice of the export (picklable)."""

    path: str
    name: str
    encoding: str
    delimiter: str
    header: list[str]
    index: dict[str, int]
    layout: Layout
    window: Window
    decimal: str
    order: str | None


_Part = tuple[dict[str, list[int]], int, "_Bad", str]


def _workers() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _split(path: Path, header_lines: int) -> list[tuple[int, int, int]]:
    """Byte slices (start, end, lines before start) that each begin at a record boundary.

    A newline ends a record unless it is inside quotes, that is unless an odd number of quote
    characters come before it, so each cut is moved to the first newline with an even count.
    """
    size = path.stat().st_size
    count = min(_workers(), size // PARALLEL_MIN_BYTES, 8)
    if count < 2:
        return [(0, size, 0)]
    with path.open("rb") as handle:
        start = 0
        for _ in range(header_lines):
            handle.readline()
        start = handle.tell()
        cuts = [(start, header_lines)]
        quotes, lines, position = 0, header_lines, start
        step = (size - start) // count
        for k in range(1, count):
            target = start + k * step
            while position < target:  # count quotes and newlines up to the cut, in blocks
                block = handle.read(min(8 << 20, target - position))
                quotes += block.count(b'"')
                lines += block.count(b"\n")
                position += len(block)
            line = handle.readline()  # finish the line the cut falls in
            while line:
                quotes += line.count(b'"')
                lines += line.count(b"\n")
                position += len(line)
                if quotes % 2 == 0:
                    break
                line = handle.readline()
            if position >= size:
                break
            cuts.append((position, lines))
    bounds = [c[0] for c in cuts] + [size]
    return [(bounds[i], bounds[i + 1], cuts[i][1]) for i in range(len(cuts))]


class _Slice(io.RawIOBase):
    """`length` bytes of an open binary file, as a stream of its own."""

    def __init__(self, handle: io.FileIO, length: int) -> None:
        self._handle = handle
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        read = self._handle.readinto(view) or 0
        self._left -= read
        return read


def _slice_worker(job: _Job, start: int, end: int, line_base: int) -> _Part:
    with io.FileIO(job.path, "rb") as raw:
        raw.seek(start)
        stream = io.BufferedReader(_Slice(raw, end - start), buffer_size=1 << 20)
        text = io.TextIOWrapper(stream, encoding=job.encoding, newline="")
        return _accumulate(csv.reader(text, delimiter=job.delimiter), job, line_base)


def _in_parallel(job: _Job, parts: list[tuple[int, int, int]]) -> _Part:
    import multiprocessing
    import sys
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # fork starts at once and is safe while this is the only thread; otherwise spawn.
    method = "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=context) as pool:
        futures = [pool.submit(_slice_worker, job, *part) for part in parts[1:]]
        results = [_slice_worker(job, *parts[0])] + [f.result() for f in futures]
    totals: dict[str, list[int]] = {}
    rows, bad = 0, _Bad()
    for part_totals, part_rows, part_bad, _ in results:
        rows += part_rows
        bad.count += part_bad.count
        bad.problems.extend(part_bad.problems)
        for owner, acc in part_totals.items():
            mine = totals.get(owner)
            if mine is None:
                totals[owner] = acc
            else:
                totals[owner] = [a + b for a, b in zip(mine, acc, strict=True)]
    lines = sorted({p.line for p in bad.problems})[:MAX_SHOWN]
    bad.problems = [p for p in bad.problems if p.line in lines]
    return totals, rows, bad, results[0][3]


@dataclass
class _Bad:
    count: int = 0
    problems: list[Problem] = field(default_factory=list)


def _accumulate(reader: Any, job: _Job, line_base: int) -> _Part:
    """The hot loop: one row at a time, column indices, cached dates and statuses."""
    header, index, layout, window = job.header, job.index, job.layout, job.window
    decimal, name = job.decimal, job.name
    dates = DateReader(job.order)
    width = len(header)
    i_owner, i_amount = index["owner"], index["amount"]
    i_created, i_close = index["created"], index["close"]
    i_stage, i_won, i_closed = index.get("stage"), index.get("won"), index.get("closed")
    i_fc, i_push = index.get("forecast_category"), index.get("push_count")
    p_first, p_last = window.previous
    c_first, c_last = window.current
    as_of = window.as_of
    status_of = _status_reader(layout, i_stage, i_won, i_closed)
    status_key = itemgetter(*[i for i in (i_stage, i_won, i_closed) if i is not None])
    status_cache: dict[Any, tuple[int, bool]] = {}
    pick = itemgetter(i_owner, i_amount, i_created, i_close)
    commit_cache: dict[str, bool] = {}
    totals: dict[str, list[int]] = {}
    bad = _Bad()
    rows = 0
    dates_seen = dates.cache
    point = decimal == "."

    for row in reader:
        if len(row) != width:
            if len(row) <= 1:
                text = row[0].strip() if row else ""
                if not text:
                    continue
                if _FOOTER.match(text):
                    break
            rows += 1
            _note(bad, Problem(name, line_base + reader.line_num, 0, "",
                               f"has {len(row)} value(s) but the header has {width} columns; "
                               "a value with the separator in it needs quotes"))
            continue
        rows += 1
        owner, amount, created_text, close_text = pick(row)
        try:
            # Amounts: float for the plain ones, exact to the cent (checked), else the careful
            # parser; dates and statuses: each distinct text is parsed once.
            try:
                hundredfold = float(amount if point else amount.replace(",", ".")) * 100
                cents = round(hundredfold)
                if not -0.001 < hundredfold - cents < 0.001 or not (point or "." not in amount):
                    cents = parse_amount(amount, decimal)
            except (ValueError, OverflowError):
                cents = parse_amount(amount, decimal)
            created = dates_seen.get(created_text)
            if created is None:
                created = dates(created_text)
            if close_text:
                close = dates_seen.get(close_text)
                if close is None:
                    close = dates(close_text)
            else:
                close = 0
            key = status_key(row)
            found = status_cache.get(key)
            if found is None:
                found = status_cache[key] = status_of(row)
            status, qualified = found
        except _BadValue:
            _row_problems(bad, row, header, index, layout, decimal, dates, name, line_base + reader.line_num,
                          status_of)
            continue
        acc = totals.get(owner)
        if acc is None:
            acc = totals[owner] = [0] * _SLOTS
        acc[ROWS] += 1
        if p_first <= created <= p_last and qualified:
            acc[CREATED] += 1
            acc[CREATED_CENTS] += cents
        if not close:
            if status != OPEN:
                _note(bad, Problem(name, line_base + reader.line_num, i_close + 1, header[i_close],
                                   "a closed opportunity needs a close date"))
            continue
        if p_first <= close <= p_last:
            if status == WON_STATUS:
                acc[WON] += 1
                acc[WON_CENTS] += cents
                acc[WON_DAYS] += close - created
            elif status == LOST_STATUS:
                acc[LOST] += 1
        elif c_first <= close <= c_last:
            if status == OPEN:
                acc[OPEN_CENTS] += cents
                acc[OPEN_N] += 1
                if i_fc is not None:
                    fc = row[i_fc]
                    commit = commit_cache.get(fc)
                    if commit is None:
                        commit = commit_cache[fc] = _fold(fc) == "commit"
                    if commit:
                        acc[COMMIT_CENTS] += cents
                if i_push is not None:
                    pushes = row[i_push].strip()
                    if pushes and pushes not in ("0", "1") and _pushes(pushes) >= 2:
                        acc[MULTI_PUSHED] += 1
            elif status == WON_STATUS and close <= as_of:
                acc[CW_NOW] += cents
    return totals, rows, bad, dates.order


def _pushes(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


def _note(bad: _Bad, problem: Problem) -> None:
    """Count one bad row; keep its problem when it is among the first MAX_SHOWN."""
    bad.count += 1
    if bad.count <= MAX_SHOWN:
        bad.problems.append(problem)


def _row_problems(bad: _Bad, row: list[str], header: list[str], index: dict[str, int],
                  layout: Layout, decimal: str, dates: DateReader, name: str, line: int,
                  status_of: Callable[[list[str]], tuple[int, bool]]) -> None:
    """Every unreadable value of one row (the slow path, run only for bad rows)."""
    checks: list[tuple[str, Callable[[str], object]]] = [
        ("amount", lambda t: parse_amount(t, decimal)),
        ("created", dates),
        ("close", lambda t: dates(t) if t else 0),
    ]
    found = []
    for field_name, check in checks:
        column = index[field_name]
        try:
            check(row[column])
        except _BadValue as exc:
            found.append(Problem(name, line, column + 1, header[column], str(exc)))
    try:
        status_of(row)
    except _BadValue as exc:
        column = index.get("won", index.get("closed", index.get("stage", 0)))
        for key in ("won", "closed"):
            if key in index:
                try:
                    _flag(row[index[key]])
                except _BadValue:
                    column = index[key]
                    break
        found.append(Problem(name, line, column + 1, header[column], str(exc)))
    bad.count += 1
    if bad.count <= MAX_SHOWN:
        bad.problems.extend(found)


def _status_reader(layout: Layout, i_stage: int | None, i_won: int | None,
                   i_closed: int | None) -> Callable[[list[str]], tuple[int, bool]]:
    """A function row -> (open/won/lost, qualified), cached on the texts it looks at."""
    cache: dict[tuple[str, str, str], tuple[int, bool]] = {}
    won_stages, lost_stages = layout.won_stages, layout.lost_stages
    unqualified = layout.unqualified_stages

    def decide(stage: str, won: str, closed: str) -> tuple[int, bool]:
        s = _fold(stage)
        qualified = s not in unqualified
        is_won = _flag(won) if i_won is not None else None
        is_closed = _flag(closed) if i_closed is not None else None
        if is_won:
            return WON_STATUS, qualified
        if is_won is False and is_closed is not None:
            return (LOST_STATUS if is_closed else OPEN), qualified
        if is_closed is False:
            return OPEN, qualified
        if s in won_stages and is_won is None:
            return WON_STATUS, qualified
        if s in lost_stages or is_closed:
            return LOST_STATUS, qualified
        return OPEN, qualified

    def status(row: list[str]) -> tuple[int, bool]:
        key = (row[i_stage] if i_stage is not None else "",
               row[i_won] if i_won is not None else "",
               row[i_closed] if i_closed is not None else "")
        found = cache.get(key)
        if found is None:
            found = cache[key] = decide(*key)
        return found

    return status


# --- The mapping file (--columns) --------------------------------------------------------------


def load_layout(path: Path) -> Layout:
    """A mapping file: which header holds each field, and how dates and amounts are written."""
    from pydantic import Field, field_validator

    from qsrkit.answers.loading import validate_document
    from qsrkit.answers.models import Section
    from qsrkit.answers.yamlsource import load

    class ColumnsFile(Section):
        owner: str = Field(description="The column with the opportunity owner (the rep)")
        amount: str
        created: str
        close: str
        stage: str | None = None
        won: str | None = None
        closed: str | None = None
        forecast_category: str | None = None
        push_count: str | None = None
        date_format: str | None = None
        decimal: str | None = None
        won_stages: list[str] = Field(default_factory=list)
        lost_stages: list[str] = Field(default_factory=list)
        unqualified_stages: list[str] = Field(default_factory=list)

        @field_validator("date_format")
        @classmethod
        def _order(cls, value: str | None) -> str | None:
            if value is None:
                return None
            order = re.sub(r"[^DMY]", "", value.upper().replace("YYYY", "Y").replace("MM", "M")
                           .replace("DD", "D"))
            if order not in ("MDY", "DMY", "YMD"):
                raise ValueError(f"'{value}' is not a date order; write MDY (7/14/2026), DMY "
                                 "(14/7/2026) or YMD (2026-07-14)")
            return order

        @field_validator("decimal")
        @classmethod
        def _decimal(cls, value: str | None) -> str | None:
            if value is not None and value.strip() not in (".", ","):
                raise ValueError("write \".\" (1,234.50) or \",\" (1.234,50)")
            return value.strip() if value else None

    model = validate_document(load(path), ColumnsFile).model
    columns: dict[str, tuple[str, ...]] = {}
    for name in FIELDS:
        value = getattr(model, name)
        if value:
            columns[name] = (value,)
    if "stage" not in columns and "won" not in columns:
        raise InvalidInput([Problem(str(path), 1, 1, "stage", "name the stage column (or a won "
                                    "flag column) so qsrkit can tell won from lost deals")])
    return Layout(
        name=f"mapping file {path.name}",
        columns=columns,
        date_order=model.date_format,
        decimal=model.decimal,
        won_stages=DEFAULT_WON_STAGES | {_fold(s) for s in model.won_stages},
        lost_stages=DEFAULT_LOST_STAGES | {_fold(s) for s in model.lost_stages},
        unqualified_stages=frozenset(_fold(s) for s in model.unqualified_stages),
        source=str(path),
    )
