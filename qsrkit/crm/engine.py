"""The one engine every CRM read goes through: DuckDB reads the file, Python judges the exceptions.

An export (or a snapshot) becomes a DuckDB table `x` of the columns a command needs, as text,
one row per record in file order (its rowid is the record's ordinal). Then `typed` turns the
texts into numbers and `metrics`, `deals` and `history` ask it questions in SQL.

Why this split, and what keeps the messages exact:

- Before DuckDB sees a byte, `rawcsv` does what it always did: refuse what is not CSV text
  (UTF-16, workbooks), sniff the encoding and separator, and read the header with the csv
  module (header size and column caps, an unclosed quote in it).
- The fast path: DuckDB reads the file itself, strictly, putting any record it cannot read in
  its rejects table instead of failing. When there are none, its rows are exactly the records
  the csv module would give (blank lines are skipped by both), so record N is row N.
- Anything else takes the careful path: a Windows-1252 file, a file read leniently (`"5" screen`,
  which DuckDB does not read as the csv module does), or a file where DuckDB rejected a record
  (a footer like `Grand Totals`, a row with the wrong number of values, a quote that never
  closes, a huge line). Then the csv module reads the file once (`_structure`, no values, just
  the records), says where every structural problem is exactly as before, and writes the good
  records to a clean UTF-8 copy that DuckDB reads instead. Real exports rarely take it.
- DuckDB does not know the file's lines (a quoted value may hold line breaks, so a record's
  ordinal is not its line), so a message about record N asks `Table.lines`, which walks the
  file with the csv module up to that record (the careful path has kept them all already).
"""

from __future__ import annotations

import csv
import tempfile
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from qsrkit.crm import rawcsv
from qsrkit.crm.accumulate import FOOTER, MAX_SHOWN
from qsrkit.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from qsrkit.crm.columns import Layout

T = TypeVar("T")

# Pick the columns from the header: field name -> column index (raise InvalidInput if unusable).
Pick = Callable[[list[str]], dict[str, int]]


def workers() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def connect() -> Any:
    """A private in-memory DuckDB (imported here: start-up never pays for it)."""
    import duckdb

    # Insertion order is what makes a row's id its record's ordinal; the temporary folder is
    # ours, so a big export that spills never writes into the user's current folder.
    con = duckdb.connect(config={"threads": max(1, workers()), "preserve_insertion_order": True,
                                 "temp_directory": tempfile.gettempdir()})
    # No memory_limit: under one (224 MB was tried) `diagnose` on a million deals failed to
    # fetch its result instead of spilling; `metrics`' one scan stays near 200 MiB without it.
    con.execute("SET enable_progress_bar = false")
    return con


@dataclass
class Structure:
    """What the csv module found reading the records (the careful path and line lookups)."""

    rows: int = 0  # records that count: good ones and ones with the wrong number of values
    bad: int = 0  # records with the wrong number of values
    problems: list[Problem] = field(default_factory=list)  # the first MAX_SHOWN of those
    lines: array[int] = field(default_factory=lambda: array("q"))  # line of each good record


@dataclass
class Table:
    """An export in DuckDB: table `x` (a VARCHAR column per field, rowid = record ordinal)."""

    con: Any
    path: Path
    name: str
    encoding: str
    delimiter: str
    strict: bool
    order: str | None  # the date order to read with (None: detect)
    header: list[str]
    index: dict[str, int]  # field -> 0-based column
    header_lines: int  # physical lines up to the end of the header record
    structure: Structure | None  # set on the careful path
    # What queries read: table `x` (materialized, rowid = ordinal) on the careful path; on the
    # fast path the file itself, streamed (no ordinals: `first_lines` finds lines instead).
    source: str = "x"

    @property
    def careful(self) -> bool:
        return self.source == "x"

    def rejected(self) -> bool:
        """Whether the fast path's reading put any record aside (after a query has run)."""
        import duckdb

        try:
            return bool(self.con.execute("SELECT count(*) FROM reject_errors").fetchone()[0])
        except duckdb.CatalogException:  # DuckDB makes the table at the first reject
            return False

    def count(self) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {self.source}").fetchone()[0])

    def first_lines(self, owners: set[str]) -> dict[str, int]:
        """The line of each owner's first record (the fast path has no ordinals): the csv
        module reads the file until it has seen them all, usually in its first few pages."""
        column, left, found = self.index["owner"], set(owners), {}
        width = len(self.header)
        with rawcsv.open_text(self.path, self.encoding) as text:
            reader = csv.reader(rawcsv.lines(text), delimiter=self.delimiter, strict=self.strict)
            _skip_lines(reader, self.header_lines)
            for row in reader:
                if len(row) == width and row[column] in left:
                    found[row[column]] = reader.line_num
                    left.discard(row[column])
                    if not left:
                        break
        return found

    def lines(self, ordinals: Iterable[int]) -> dict[int, int]:
        """The line where each record (by ordinal) ends, as the csv module counts lines."""
        wanted = sorted(set(ordinals))
        if not wanted:
            return {}
        if self.structure is None:
            self.structure = self._walk(until=wanted[-1])
        found = self.structure.lines
        return {k: found[k] for k in wanted if k < len(found)}

    def _walk(self, until: int | None = None, write: Any = None) -> Structure:
        with rawcsv.open_text(self.path, self.encoding) as text:
            reader = csv.reader(rawcsv.lines(text), delimiter=self.delimiter, strict=self.strict)
            _skip_lines(reader, self.header_lines)
            return _structure(reader, self, until, write)

    def close(self) -> None:
        self.con.close()


def _skip_lines(reader: Any, count: int) -> None:
    """Advance `reader` past the header record (which ends on line `count`)."""
    while reader.line_num < count:
        next(reader)


def _structure(reader: Any, table: Table, until: int | None, write: Any) -> Structure:
    """The records, as the csv module reads them: blank rows skipped, a footer ends the data,
    a row of the wrong width is a located problem (the slow path of every located message)."""
    found = Structure()
    width, name = len(table.header), table.name
    lines = found.lines
    try:
        for row in reader:
            if len(row) != width:
                if len(row) <= 1:
                    text = row[0].strip() if row else ""
                    if not text:
                        continue
                    if FOOTER.match(text):
                        break
                if rawcsv.overlong_row(row):
                    raise InvalidInput([rawcsv.overlong_problem(name, reader.line_num, row)])
                found.rows += 1
                found.bad += 1
                if found.bad <= MAX_SHOWN:
                    found.problems.append(Problem(
                        name, reader.line_num, 0, "", f"has {len(row)} value(s) but the header "
                        f"has {width} columns; a value with the separator in it needs quotes"))
                continue
            found.rows += 1
            lines.append(reader.line_num)
            if write is not None:
                write(row)
            if until is not None and len(lines) > until:
                break
    except csv.Error as exc:
        def reopen() -> TextIO:
            return rawcsv.open_text(table.path, table.encoding)

        raise InvalidInput([rawcsv.csv_problem(
            exc, reopen, name=name, delimiter=table.delimiter, strict=table.strict, line_base=0,
            header=table.header)]) from None
    return found


class Careful(Exception):
    """The fast path met something only the careful path can say (see the module docstring)."""


def fast_then_careful(attempt: Callable[[bool], T]) -> T:
    """`attempt(careful=False)`, or `attempt(careful=True)` when the fast path raised Careful."""
    try:
        return attempt(False)
    except Careful:
        return attempt(True)


def load_export(path: Path, name: str, layout: Layout | None, encoding: str, delimiter: str,
                order: str | None, strict: bool, careful: bool) -> tuple[Table, Layout]:
    """`load` with the export's columns resolved (a preset, or the mapping file `layout`), and
    the layout that named them."""
    from qsrkit.crm.columns import resolve_columns

    found: dict[str, Layout] = {}

    def pick(header: list[str]) -> dict[str, int]:
        found["layout"], index = resolve_columns(header, layout, name)
        return index

    table = load(path, name, pick, encoding, delimiter, order, strict, careful)
    return table, found["layout"]


def load(path: Path, name: str, pick: Pick, encoding: str, delimiter: str, order: str | None,
         strict: bool, careful: bool = False) -> Table:
    """`path` ready for queries (one attempt of `rawcsv.read_with_restarts`)."""

    def reopen() -> TextIO:
        return rawcsv.open_text(path, encoding)

    with reopen() as handle:
        reader = csv.reader(rawcsv.lines(handle), delimiter=delimiter, strict=strict)
        header = rawcsv.read_header(reader, name, reopen, delimiter, strict)
        header_lines = reader.line_num
    index = pick(header)
    table = Table(connect(), path, name, encoding, delimiter, strict, order, header, index,
                  header_lines, None)
    try:
        if careful or encoding == "cp1252" or not strict:
            _careful(table)
        else:
            table.source = _read_csv(table, path, header_lines, rejects=True)
    except BaseException:
        table.close()
        raise
    return table


def _columns(table: Table) -> tuple[str, str]:
    """read_csv's columns (every header column, as text) and the fields to keep."""
    width = len(table.header)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    # An empty value is NULL to DuckDB and "" to the csv module; "" it is.
    keep = ", ".join(f"coalesce(c{i}, '') AS {f}"
                     for f, i in sorted(table.index.items(), key=lambda e: e[1]))
    return columns, keep


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_csv(table: Table, file: Path, skip: int, *, rejects: bool) -> str:
    """The file as a query: the fields to keep, as text ("" for an empty value)."""
    columns, keep = _columns(table)
    options = (f"header=false, skip={skip}, auto_detect=false, all_varchar=true, "
               f"delim={_literal(table.delimiter)}, quote='\"', escape='\"', columns={columns}, "
               "strict_mode=true, null_padding=false")
    if rejects:
        # A record longer than the csv module's value limit may hold a value past it (a quote
        # that closes thousands of lines later): DuckDB puts it aside and the careful path
        # says whether, and where.
        options += (f", ignore_errors=true, store_rejects=true, "
                    f"max_line_size={rawcsv.FIELD_LIMIT}")
    return f"(SELECT {keep} FROM read_csv({_literal(str(file))}, {options}))"


def _careful(table: Table) -> None:
    """The csv module reads the records (locating every structural problem) and writes the good
    ones to a clean UTF-8 copy, which DuckDB then reads."""
    with tempfile.TemporaryDirectory(prefix="qsrkit-") as folder:
        clean = Path(folder) / "clean.csv"
        with clean.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter=",", lineterminator="\n")
            table.structure = table._walk(write=writer.writerow)
        kept = Table(table.con, table.path, table.name, "utf-8", ",", True, table.order,
                     table.header, table.index, 0, None)
        table.con.execute(f"CREATE TABLE x AS {_read_csv(kept, clean, 0, rejects=False)}")


def fetch_column(con: Any, sql: str, *params: Any) -> list[Any]:
    return [r[0] for r in con.execute(sql, list(params)).fetchall()]


def mapping(con: Any, name: str, columns: dict[str, str], values: dict[str, list[Any]]) -> None:
    """A small table `name` from Python lists (the verdicts of the careful value readers)."""
    select = ", ".join(f"unnest(${i + 1}::{kind}[]) AS {column}"
                       for i, (column, kind) in enumerate(columns.items()))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {select}",
                [values[c] for c in columns])
