"""The rows of an export that cannot count, as located messages (file, line, column, value).

The engine (`typed`) has already said which records have a value it cannot read, a credit
(negative amount) or a decided deal without a close date; here the first MAX_SHOWN of each kind
get their line (`engine.Table.lines`) and their messages, worded by the careful readers
themselves on the record's own texts, so a message is the same whatever found the row. Rows
with the wrong number of values come from the csv module's pass (`engine.Structure`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qsrkit.answers.parse import shown
from qsrkit.crm.accumulate import MAX_SHOWN
from qsrkit.crm.engine import Table
from qsrkit.crm.typed import raw_row
from qsrkit.errors import Problem

# A bad record's problems: (its texts as a row, its line, whether it is only missing a close
# date) -> the problems to show.
Describe = Callable[[list[str], int, bool], list[Problem]]

ERRORS = ("(amount_err IS NOT NULL OR created_err IS NOT NULL OR close_err IS NOT NULL "
          "OR status_err IS NOT NULL)")
NO_CLOSE = "(close_d = 0 AND status <> 0)"


@dataclass
class Found:
    warnings: list[Problem]  # the credits left out, and how many
    problems: list[Problem]  # the first MAX_SHOWN bad rows' problems, in line order
    bad: int  # rows that cannot be read
    rows: int  # rows that count (good and bad), for "N row(s) of M"


def find(table: Table, *, skip: str, bad: str, params: dict[str, Any], describe: Describe,
         say_first: bool) -> Found:
    """The credits (`skip`, SQL over view `t`) and bad rows (`bad`) of `table`."""
    con, name, header = table.con, table.name, table.header
    i_amount = table.index["amount"]
    (skipped,) = con.execute(f"SELECT count(*) FROM t WHERE {skip}", params).fetchone()
    (wrong,) = con.execute(f"SELECT count(*) FROM t WHERE {bad}", params).fetchone()
    structure_bad = table.structure.bad if table.structure else 0
    credits = con.execute(f"SELECT k, amount FROM t WHERE {skip} ORDER BY k LIMIT {MAX_SHOWN}",
                          params).fetchall()
    rows = con.execute(f"SELECT k, NOT {ERRORS} FROM t WHERE {bad} ORDER BY k LIMIT {MAX_SHOWN}",
                       params).fetchall()
    lines = table.lines([k for k, _ in credits] + [k for k, _ in rows])
    warnings = [Problem(name, lines.get(k, 0), i_amount + 1, header[i_amount],
                        f"the amount {shown(text.strip())} is negative: a credit or a correction, "
                        "not a deal; the row is left out of every figure", severity="warning")
                for k, text in credits]
    if skipped:
        warnings.append(Problem(
            name, 0, 0, "", f"{skipped:,} row(s) with a negative amount were left out"
            + (f"; the first {MAX_SHOWN} are listed above" if say_first and skipped > MAX_SHOWN
               else ""), severity="warning"))
    grouped: list[tuple[int, list[Problem]]] = []
    for k, no_close in rows:
        line = lines.get(k, 0)
        grouped.append((line, describe(raw_row(table, k), line, bool(no_close))))
    if table.structure:
        grouped.extend((p.line, [p]) for p in table.structure.problems)
    grouped.sort(key=lambda entry: entry[0])
    problems = [p for _, found in grouped[:MAX_SHOWN] for p in found]
    total = table.structure.rows if table.structure else table.count()
    return Found(warnings, problems, wrong + structure_bad, total)


def no_close(table: Table, line: int) -> Problem:
    i_close = table.index["close"]
    return Problem(table.name, line, i_close + 1, table.header[i_close],
                   "a closed opportunity needs a close date")
