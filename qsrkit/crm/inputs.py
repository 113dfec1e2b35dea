"""The small files that go with an export: the quotas file (`--quotas`) and the team list.

Both are read whole, with a size cap (`qsrkit.fileio.read_input`, which also refuses a device or
a pipe at once), and every row keeps its line so that a problem found later, when the export's
owners are known, still points at it. Names are compared with `names.key`.

Quotas file: a CSV with the columns rep, quarter and quota (any order, any case, comma or
semicolon separated, UTF-8 or Windows-1252). A quota is an amount as the export writes one
(`values.parse_amount`) and must also pass the answers file's own rule (`parse_money`): at most
15 digits, not negative. Refused, naming both places: one of those columns twice, and one rep
twice for one quarter (however the two spellings differ in case, spaces or Unicode form). Other
columns are ignored, even when their names repeat.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from qsrkit.answers.parse import shown
from qsrkit.crm import names, rawcsv
from qsrkit.crm import values as crm_values
from qsrkit.errors import InvalidInput, Problem
from qsrkit.fileio import read_input

MAX_QUOTAS_BYTES = 4 * 1024 * 1024  # a row per rep and quarter: tens of thousands of rows
MAX_TEAM_BYTES = 1024 * 1024  # a name a line
MAX_SHOWN = 10
_COLUMNS = ("rep", "quarter", "quota")


@dataclass(frozen=True)
class QuotaRow:
    line: int
    name: str  # as written
    key: str
    quarter: str
    amount: Decimal


@dataclass
class Quotas:
    file: str
    rows: list[QuotaRow] = field(default_factory=list)
    rep_column: tuple[int, str] = (1, "rep")  # 1-based, and the header as written

    def get(self, name: str, quarter: str) -> Decimal | None:
        wanted = names.key(name)
        return next((r.amount for r in self.rows if r.key == wanted and r.quarter == quarter), None)

    def lookup(self) -> dict[tuple[str, str], Decimal]:
        return {(r.key, r.quarter): r.amount for r in self.rows}


@dataclass
class Team:
    file: str
    names: list[tuple[int, str]]  # (line, name as written)


def _decode(raw: bytes, name: str) -> str:
    rawcsv.refuse_non_text(raw[: rawcsv.MAX_HEADER_BYTES], name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def load_quotas(path: Path) -> Quotas:
    """The quotas file, every problem in it located (the first MAX_SHOWN of them)."""
    from qsrkit.answers.parse import parse_money, parse_quarter

    name = str(path)
    raw = read_input(path, limit=MAX_QUOTAS_BYTES, kind="quotas file",
                     why="a quotas file has one short row per rep and quarter")
    text = _decode(raw, name)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise InvalidInput.at(name, "the quotas file is empty; it needs the columns rep, "
                              "quarter, quota")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    decimal = "," if delimiter == ";" else "."

    def reopen() -> io.StringIO:
        return io.StringIO(text, newline="")

    reader = csv.reader(rawcsv.lines(reopen()), delimiter=delimiter, strict=True)
    named: list[str] | None = None  # the header, once read: it names a column in messages
    try:
        header = next(reader)
        while not any(h.strip() for h in header):
            header = next(reader)
        named = [h.strip() for h in header]
        rawcsv.check_header(header, name, reader.line_num)
        quotas = Quotas(name)
        header_line = reader.line_num
        col = _columns(header, name, header_line)
        quotas.rep_column = (col["rep"] + 1, header[col["rep"]].strip())
        problems: list[Problem] = []
        seen: dict[tuple[str, str], int] = {}
        for row in reader:
            if not any(v.strip() for v in row):
                continue
            line = reader.line_num
            if len(row) != len(header):
                problems.append(Problem(name, line, 0, "", f"has {len(row)} value(s) but the "
                                        f"header has {len(header)} columns"))
                continue
            rep = row[col["rep"]]
            if not names.key(rep):
                problems.append(Problem(name, line, col["rep"] + 1, header[col["rep"]].strip(),
                                        "the rep is empty; write the name as the export does"))
                continue
            try:
                quarter = parse_quarter(row[col["quarter"]])
            except ValueError as exc:
                problems.append(Problem(name, line, col["quarter"] + 1,
                                        header[col["quarter"]].strip(), str(exc)))
                continue
            try:
                cents = crm_values.parse_amount(row[col["quota"]], decimal)
                if cents < 0:
                    raise ValueError("a quota cannot be negative")
                amount = (Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                parse_money(format(amount, "f"))
            except (crm_values.BadValue, ValueError) as exc:
                problems.append(Problem(name, line, col["quota"] + 1,
                                        header[col["quota"]].strip(), str(exc)))
                continue
            key = names.key(rep)
            before = seen.get((key, quarter))
            if before is not None:
                problems.append(Problem(
                    name, line, col["rep"] + 1, header[col["rep"]].strip(),
                    f"'{shown(rep.strip())}' has a quota for {quarter} on row {before} too (the "
                    "same rep, however the name is spelled); keep one of the two rows"))
                continue
            seen[(key, quarter)] = line
            quotas.rows.append(QuotaRow(line, rep.strip(), key, quarter, amount))
    except StopIteration:
        raise InvalidInput.at(name, "the quotas file is empty; it needs the columns rep, "
                              "quarter, quota") from None
    except csv.Error as exc:
        raise InvalidInput([rawcsv.csv_problem(exc, reopen, name=name, delimiter=delimiter,
                                               strict=True, line_base=0, header=named)]) from None
    if problems:
        raise InvalidInput(problems[:MAX_SHOWN])
    return quotas


def _columns(header: list[str], name: str, line: int) -> dict[str, int]:
    folded = [names.key(h) for h in header]
    problems = []
    for column in _COLUMNS:
        at = [i for i, h in enumerate(folded) if h == column]
        if len(at) > 1:
            problems.append(Problem(
                name, line, at[1] + 1, header[at[1]].strip(),
                f"the column '{column}' appears twice (columns {at[0] + 1} and {at[1] + 1}); "
                "qsrkit cannot tell which to use, so remove or rename one"))
    missing = [c for c in _COLUMNS if c not in folded]
    if missing:
        problems.append(Problem(name, line, 0, "", f"missing column(s) {', '.join(missing)}; "
                                f"the header has: {', '.join(shown(h) for h in header)}"))
    if problems:
        raise InvalidInput(problems)
    return {c: folded.index(c) for c in _COLUMNS}


def load_team(path: Path) -> Team:
    """A team list: one rep name a line; blank lines and lines starting with # are skipped."""
    name = str(path)
    raw = read_input(path, limit=MAX_TEAM_BYTES, kind="team list",
                     why="a team list has one name a line")
    rawcsv.refuse_non_text(raw[: rawcsv.MAX_HEADER_BYTES], name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InvalidInput.at(name, f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the "
                              "list as UTF-8 and run again", line=line) from None
    team = Team(name, [])
    problems = []
    seen: dict[str, int] = {}
    for number, written in enumerate(text.split("\n"), start=1):
        entry = written.strip()
        if not entry or entry.startswith("#"):
            continue
        key = names.key(entry)
        if key in seen:
            problems.append(Problem(name, number, 1, "", f"'{shown(entry)}' is listed on line "
                                    f"{seen[key]} too (the same rep, however the name is "
                                    "spelled); keep one"))
            continue
        seen[key] = number
        team.names.append((number, entry))
    if problems:
        raise InvalidInput(problems[:MAX_SHOWN])
    if not team.names:
        raise InvalidInput.at(name, "the team list is empty; write one rep name a line")
    return team
