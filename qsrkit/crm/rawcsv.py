"""The CSV file itself, before any value is read: what it is, and where the csv module gave up.

A careless or hostile file must end with one located message, quickly and in little memory:

- What it is. An input must be a regular file (`qsrkit.fileio.open_input`). UTF-16, with or
  without a byte-order mark (NUL in every other byte of the first line), and Excel workbooks are
  refused with how to save a CSV instead: the rest of the reader, and the byte-level splitting
  in `parallel`, assume text where a quote and a newline are one byte each.
- The header. Its line must end within MAX_HEADER_BYTES and have at most MAX_COLUMNS columns (a
  real export has tens); a 200 MB line of commas is refused before the csv module splits it.
- Lines and values. Lines are handed to the csv module in pieces of at most MAX_LINE characters
  (`lines`), so no row can grow past that, and a value past the csv module's own limit
  (FIELD_LIMIT, its default, left as it is: raising it would only move the memory problem) stops
  the pass. Only then, on that slow path, is the file read again to say where: the row where a
  quote opened and never closed, or the row and column of the over-long value.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

from qsrkit.crm.values import Restart
from qsrkit.errors import InvalidInput, Problem, unreadable
from qsrkit.fileio import open_input

T = TypeVar("T")

MAX_HEADER_BYTES = 64 * 1024
MAX_COLUMNS = 1000
MAX_LINE = 1 << 20  # characters handed to the csv module at once (a row is far shorter)
FIELD_LIMIT = csv.field_size_limit()  # 131,072 unless someone changed it
_SCAN = 2 * MAX_LINE  # characters read to find the value that stopped the csv module
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Sniffed:
    encoding: str  # "utf-8" or "utf-8-sig"; the reader falls back to "cp1252"
    delimiter: str


def open_text(path: Path, encoding: str, kind: str = "CSV file") -> TextIO:
    """`path` as text for the csv module (a regular file only; see `open_input`)."""
    return io.TextIOWrapper(open_input(path, kind), encoding=encoding, newline="")


def open_at(path: Path, encoding: str, start: int) -> TextIO:
    """The text of `path` from byte `start` (a record boundary) to its end."""
    handle = open_input(path, "CSV file")
    handle.seek(start)
    return io.TextIOWrapper(handle, encoding=encoding, newline="")


def lines(text: TextIO) -> Iterator[str]:
    """The lines of `text` in pieces of at most MAX_LINE characters (all in C: no cost per row)."""
    return iter(functools.partial(text.readline, MAX_LINE), "")


def read_with_restarts(path: Path, name: str, date_order: str | None,
                       read: Callable[[str, str, str | None, bool], T]) -> T:
    """`read(encoding, delimiter, date_order, strict)`, again with what a `Restart` learnt
    (Windows-1252 text, day-first dates, lenient quotes), at most four times."""
    sniffed = sniff(path, name)
    encoding, order, strict = sniffed.encoding, date_order, True
    for _attempt in range(4):
        try:
            return read(encoding, sniffed.delimiter, order, strict)
        except Restart as again:
            encoding = again.encoding or encoding
            order = again.date_order or order
            strict = strict and not again.lenient
        except UnicodeDecodeError as exc:
            if encoding == "cp1252":
                raise InvalidInput.at(name, f"is neither UTF-8 nor Windows-1252 text "
                                      f"({exc.reason}); export it again as CSV UTF-8") from None
            encoding = "cp1252"
    raise AssertionError("unreachable")  # pragma: no cover - each kind of restart happens once


def sniff(path: Path, name: str) -> Sniffed:
    """Encoding and delimiter from the start of the file; refuse what is not a CSV text file."""
    try:
        with open_input(path, "CSV file") as handle:
            head = handle.read(MAX_HEADER_BYTES)
    except OSError as exc:
        raise unreadable(name, exc, "CSV file") from None
    refuse_non_text(head, name)
    encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    body = head[len(codecs.BOM_UTF8):] if encoding == "utf-8-sig" else head
    start = len(body) - len(body.lstrip(b" \t\r\n"))
    if start == len(body):
        if len(head) < MAX_HEADER_BYTES:
            raise InvalidInput.at(name, "the file is empty; export the opportunities report "
                                  "again, with its header row")
        raise InvalidInput.at(name, f"the first {MAX_HEADER_BYTES:,} bytes are blank lines; "
                              "check that this is the right file")
    end = min((i for i in (body.find(b"\n", start), body.find(b"\r", start)) if i >= 0),
              default=-1)
    if end < 0 and len(head) == MAX_HEADER_BYTES:
        line = body.count(b"\n", 0, start) + 1
        raise InvalidInput.at(
            name, f"the header line is longer than {MAX_HEADER_BYTES:,} bytes; an export's "
            f"header names tens of columns, so this is not one (check that it is the right "
            "file, saved as CSV)", line=line, column=1)
    first = body[start:end if end >= 0 else len(body)].decode("latin-1")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return Sniffed(encoding, max(counts, key=lambda d: counts[d]))


def refuse_non_text(head: bytes, name: str) -> None:
    """UTF-16 (with or without its byte-order mark) and Excel workbooks, with how to fix them."""
    save = "save it as CSV in UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)')"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput.at(name, f"is UTF-16 text; export it again as CSV in UTF-8, or {save}")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput.at(name, f"is an Excel workbook, not a CSV file; {save}")
    newline = head.find(b"\n", 0, 400)
    first = head[: newline if newline >= 0 else 400]
    if len(first) >= 4 and b"\x00" in first:
        odd, even = first[1::2], first[0::2]
        if not odd.strip(b"\x00") or not even.strip(b"\x00"):
            order = "little" if not odd.strip(b"\x00") else "big"
            raise InvalidInput.at(
                name, f"is UTF-16 text ({order}-endian, without a byte-order mark): every other "
                f"byte of its first line is NUL; {save}", line=1, column=1)


def check_header(header: list[str], name: str, line: int) -> None:
    if len(header) > MAX_COLUMNS:
        raise InvalidInput.at(
            name, f"the header has {len(header):,} columns; an export has tens (qsrkit reads at "
            f"most {MAX_COLUMNS:,}), so check that this is the right file", line=line, column=1)


def overlong_row(row: list[str]) -> bool:
    """Whether a row that does not fit the header is really a line cut up by `lines`."""
    return len(row) > MAX_COLUMNS or sum(map(len, row)) + 3 * len(row) >= MAX_LINE


def overlong_problem(name: str, line: int, row: list[str]) -> Problem:
    return Problem(name, line, 0, "", f"the row is more than {MAX_LINE:,} characters long "
                   f"({len(row):,}+ values); a row of an export is far shorter, so check that "
                   "this is the right file")


# --- Where the csv module gave up (the slow path, after a csv.Error) ---------------------------


def csv_problem(exc: csv.Error, reopen: Callable[[], TextIO], *, name: str, delimiter: str,
                strict: bool, line_base: int, header: list[str] | None) -> Problem:
    """A located problem for `exc`, raised while reading the text that `reopen` gives again.

    Raises Restart when a strict read met a quote followed by more text (`"5" screen`): such a
    file is read again leniently, as the csv module does by default.
    """
    message = str(exc)
    if strict and "expected after" in message:
        raise Restart(lenient=True)
    start = _record_start(reopen, delimiter, strict)
    with reopen() as text:
        for _ in itertools.islice(lines(text), start - 1):
            pass
        kind, column, into, length, span = _culprit(text, delimiter)
    row = line_base + start + into
    field = header[column - 1] if header and 0 < column <= len(header) else ""
    if kind == "unclosed" or (kind == "" and "unexpected end of data" in message):
        return Problem(name, row, column, field, f"a quote opened on row {row} is never closed; "
                       "everything after it was read as one value. Remove the quote, or close "
                       "it where the value ends, and run again")
    if kind == "long" and span:
        return Problem(name, row, column, field, f"a quote opened on row {row} closes only on "
                       f"row {row + span}, so the rows in between were read as one value of "
                       f"{length:,} characters (at most {FIELD_LIMIT:,}); remove the stray quote "
                       "and run again")
    if kind == "long":
        return Problem(name, row, column, field, f"the value starting on row {row} is longer "
                       f"than {FIELD_LIMIT:,} characters; no CRM field is that long, so check "
                       "that this is the right file")
    return Problem(name, line_base + start, 0, "", f"cannot be read as CSV from this row on "
                   f"({message}); export the report again")


def _record_start(reopen: Callable[[], TextIO], delimiter: str, strict: bool) -> int:
    """The line (in what `reopen` gives) where the record that the csv module refused starts."""
    with reopen() as text:
        reader = csv.reader(lines(text), delimiter=delimiter, strict=strict)
        end = 0
        while True:
            try:
                next(reader)
            except StopIteration:  # pragma: no cover - the error happened on this same text
                return end + 1
            except csv.Error:
                return end + 1
            end = reader.line_num


def _culprit(text: TextIO, delimiter: str) -> tuple[str, int, int, int, int]:
    """The value that broke the record starting here: ("unclosed" or "long" or "", its 1-based
    column, lines into the record where it starts, its length and the line breaks in it (0
    when it runs past what was read))."""
    head = text.read(_SCAN)
    complete = len(head) < _SCAN
    stop = re.compile(f"[{re.escape(delimiter)}\r\n]")
    i, column, n = 0, 1, len(head)
    while i < n:
        if head[i] == '"':
            j = i + 1
            while True:
                q = head.find('"', j)
                if q < 0 or (q + 1 == n and not complete):
                    into = head.count("\n", 0, i)
                    if complete:
                        return "unclosed", column, into, n - i, 0
                    closed = _closes(text, head[q:] if q >= 0 else "")
                    return ("long" if closed else "unclosed"), column, into, n - i, 0
                if q + 1 < n and head[q + 1] == '"':
                    j = q + 2
                    continue
                break
            found = stop.search(head, q + 1)
        else:
            found = stop.search(head, i)
        end = found.start() if found else n
        if end - i > FIELD_LIMIT:
            return "long", column, head.count("\n", 0, i), end - i, head.count("\n", i, end)
        if end >= n or head[end] != delimiter:
            return "", column, 0, 0, 0
        column += 1
        i = end + 1
    return "", column, 0, 0, 0


def _closes(text: TextIO, carry: str) -> bool:
    """Whether a quoted value that runs past what was read ever closes before the end of `text`.

    `carry` is a quote just read whose next character is still unknown (or nothing).
    """
    while True:
        block = text.read(_BLOCK)
        data = carry + block
        if not block:
            return carry == '"'  # a quote at the very end closes the value
        i = 0
        carry = ""
        while True:
            q = data.find('"', i)
            if q < 0:
                break
            if q + 1 == len(data):
                carry = '"'
                break
            if data[q + 1] != '"':
                return True
            i = q + 2


def read_header(reader: Any, name: str, reopen: Any, delimiter: str, strict: bool) -> list[str]:
    """The first non-blank row; located problems for an empty or broken file."""
    try:
        header = next(reader, None)
        while header is not None and not any(h.strip() for h in header):
            header = next(reader, None)
    except csv.Error as exc:
        raise InvalidInput([csv_problem(exc, reopen, name=name, delimiter=delimiter,
                                               strict=strict, line_base=0, header=None)]) from None
    if header is None:
        raise InvalidInput.at(name, "the file is empty; export the opportunities report again, "
                              "with its header row")
    check_header(header, name, reader.line_num)
    return list(header)
