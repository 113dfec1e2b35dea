"""One snapshot file through the engine: its deals' ids, close dates, categories and stages.

DuckDB reads the records (`engine.load`: the fast path, or the careful one that knows every
record's line); each distinct date, category and stage text is read once in Python, by the
readers `metrics` uses (`DateReader`, `fold`), and joined back, so a snapshot says what an
export says about a bad date, at the same line and column. `history` follows the deals.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from qsrkit.answers.parse import shown
from qsrkit.crm import rawcsv
from qsrkit.crm.columns import PRESETS, Layout, fold
from qsrkit.crm.engine import Careful, Table, fetch_column, load, mapping
from qsrkit.crm.typed import both_orders
from qsrkit.crm.values import BadValue, DateReader
from qsrkit.errors import InvalidInput, Problem

MAX_SHOWN = 10
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_WANTED = ("opportunity_id", "close", "forecast_category", "stage", "snapshot_date")


@dataclass
class Snapshot:
    """One file, read: a date for the whole file, or one a row (`days`)."""

    file: str
    day: int | None
    ids: list[str]
    closes: list[int] | None
    commits: list[bool] | None
    stages: list[str] | None
    days: list[int] | None
    stage_names: dict[str, str]


def date_in_name(path: Path) -> int | None:
    """The date in a file's name (YYYY-MM-DD) as an ordinal; None when it has none."""
    found = _DATE_IN_NAME.search(path.stem)
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3])).toordinal()
    except ValueError:
        raise InvalidInput.at(str(path), f"the file name holds {found[0]}, which is not a day "
                              "on the calendar; name each snapshot with its date as YYYY-MM-DD, "
                              "e.g. 2026-09-28.csv") from None


def read_snapshot(file: str, layout: Layout | None) -> Snapshot:
    path = Path(file)
    return rawcsv.read_with_restarts(
        path, file, layout.date_order if layout else None,
        lambda encoding, delimiter, order, strict: _read_rows(
            path, encoding, delimiter, layout, order, strict))


def history_columns(header: list[str], layout: Layout | None, file: str) -> dict[str, int]:
    """The columns a snapshot needs: the id, and at least one of close, category and stage."""
    folded = [fold(h) for h in header]
    for candidate in [layout] if layout else PRESETS:
        assert candidate is not None
        index: dict[str, int] = {}
        for name in _WANTED:
            at = [i for i, h in enumerate(folded)
                  for o in candidate.columns.get(name, ()) if h == fold(o)]
            if at:
                index[name] = min(at)
        if "opportunity_id" in index:
            break
    had = ", ".join(repr(h) for h in header)
    if "opportunity_id" not in index:
        names = " or ".join(repr(o) for p in ([layout] if layout else PRESETS) if p
                            for o in p.columns.get("opportunity_id", ())[:1]) or "'Opportunity ID'"
        raise InvalidInput.at(file, f"a snapshot needs the opportunity id column ({names}) to "
                              f"follow each deal from one week to the next. The header has: "
                              f"{had}", line=1)
    if not {"close", "forecast_category", "stage"} & set(index):
        raise InvalidInput.at(file, "a snapshot needs at least one of the close date, forecast "
                              f"category and stage columns. The header has: {had}", line=1)
    return index


def _read_rows(path: Path, encoding: str, delimiter: str, layout: Layout | None,
               order: str | None, strict: bool) -> Snapshot:
    try:
        return _read_table(path, encoding, delimiter, layout, order, strict, careful=False)
    except Careful:
        return _read_table(path, encoding, delimiter, layout, order, strict, careful=True)


def _read_table(path: Path, encoding: str, delimiter: str, layout: Layout | None,
                order: str | None, strict: bool, careful: bool) -> Snapshot:
    """One snapshot through the engine: DuckDB reads the records, and each distinct date,
    category and stage text is read once in Python (as `typed` does for an export). On the fast
    path, a record DuckDB set aside, a bad date or dates of both orders raise `Careful`: the
    careful path knows every record's line, for the messages."""
    name = str(path)

    def pick(header: list[str]) -> dict[str, int]:
        index = history_columns(header, layout, name)
        if "snapshot_date" not in index and date_in_name(path) is None:
            raise InvalidInput.at(name, "cannot tell the date of this snapshot: name the file "
                                  "with it (e.g. 2026-09-28.csv) or add a 'Snapshot Date' column")
        return index

    table = load(path, name, pick, encoding, delimiter, order, strict, careful)
    try:
        return _snapshot(table, path)
    finally:
        table.close()


def _snapshot(table: Table, path: Path) -> Snapshot:
    name, header, index, con = table.name, table.header, table.index, table.con
    day = None if "snapshot_date" in index else date_in_name(path)
    ordinal = "rowid" if table.careful else "NULL::BIGINT"
    # A row without an id is no deal (a subtotal, a blank line of separators): left out first.
    con.execute(f"""CREATE TEMP VIEW s AS SELECT * FROM (
        SELECT {ordinal} AS k, regexp_replace(opportunity_id, '^\\s+|\\s+$', '', 'g') AS id, *
        FROM {table.source}) WHERE id <> ''""")
    dated: list[str] = [f for f in ("close", "snapshot_date") if f in index]
    texts: list[str] = []
    if dated:
        union = " UNION ALL ".join(f"SELECT {f} AS v, k, {n} AS n FROM s"
                                   for n, f in enumerate(dated))
        if table.careful:  # in the order the csv reader meets them (the day-first detection)
            texts = fetch_column(con, f"SELECT v FROM ({union}) GROUP BY v ORDER BY min(k * 2 + n)")
        else:
            texts = fetch_column(con, f"SELECT DISTINCT v FROM ({union})")
            if table.rejected() or (table.order is None and both_orders(texts)):
                raise Careful
    dates = DateReader(table.order)
    days: list[int | None] = []
    errors: list[str | None] = []
    for text in texts:
        try:
            days.append(dates(text) if text.strip() else 0)  # raises Restart when day-first
            errors.append(None)
        except BadValue as exc:
            days.append(None)
            errors.append(str(exc))
    mapping(con, "dmap", {"v": "VARCHAR", "d": "INTEGER", "err": "VARCHAR"},
            {"v": texts, "d": days, "err": errors})
    problems = _date_problems(table, dated) if any(errors) else []
    if table.structure is not None:
        problems = sorted([*table.structure.problems, *problems], key=lambda p: p.line)
    if problems:
        raise InvalidInput([*problems[:MAX_SHOWN], Problem(
            name, 0, 0, "", "the snapshot has rows that cannot be read; fix them (or export it "
            "again) and run again")])
    stage_names: dict[str, str] = {}
    columns = ["s.id"]
    joins = []
    for f in dated:
        joins.append(f"LEFT JOIN dmap {f}_m ON {f}_m.v = s.{f}")
        columns.append(f"{f}_m.d")
    if "forecast_category" in index:
        found = fetch_column(con, "SELECT DISTINCT forecast_category FROM s")
        mapping(con, "fmap", {"v": "VARCHAR", "c": "BOOLEAN"},
                {"v": found, "c": [fold(t) == "commit" for t in found]})
        joins.append("LEFT JOIN fmap ON fmap.v = s.forecast_category")
        columns.append("fmap.c")
    if "stage" in index:
        found = (fetch_column(con, "SELECT stage FROM s GROUP BY stage ORDER BY min(k)")
                 if table.careful else fetch_column(con, "SELECT DISTINCT stage FROM s"))
        keys = [fold(t) for t in found]
        if not table.careful and len(set(keys)) < len(keys):
            raise Careful  # two spellings of a stage: the first in the file names it
        for text, key in zip(found, keys, strict=True):
            stage_names.setdefault(key, " ".join(text.split()))
        mapping(con, "smap", {"v": "VARCHAR", "key": "VARCHAR"}, {"v": found, "key": keys})
        joins.append("LEFT JOIN smap ON smap.v = s.stage")
        columns.append("smap.key")
    order_by = "ORDER BY s.k" if table.careful else ""
    rows = con.execute(f"SELECT {', '.join(columns)} FROM s {' '.join(joins)} {order_by}"
                       ).fetchall()
    if not table.careful and table.rejected():
        raise Careful
    if not rows:
        i_id = index["opportunity_id"]
        raise InvalidInput.at(name, "has a header but no deals with an opportunity id; export "
                              f"the snapshot again with its rows (ids in {shown(header[i_id])})",
                              line=1)
    found_columns = list(zip(*rows, strict=True))
    got = dict(zip(["id", *dated, *[f for f in ("forecast_category", "stage") if f in index]],
                   found_columns, strict=True))
    return Snapshot(
        name, day, list(got["id"]),
        list(got["close"]) if "close" in got else None,
        list(got["forecast_category"]) if "forecast_category" in got else None,
        list(got["stage"]) if "stage" in got else None,
        list(got["snapshot_date"]) if "snapshot_date" in got else None,
        stage_names)


def _date_problems(table: Table, dated: list[str]) -> list[Problem]:
    """The first rows with a date that cannot be read, located (the careful path's job)."""
    if not table.careful:
        raise Careful
    close = "close" in dated
    bad = " OR ".join(f"{f}_m.err IS NOT NULL" for f in dated)
    joins = " ".join(f"LEFT JOIN dmap {f}_m ON {f}_m.v = s.{f}" for f in dated)
    # The close date's reason when it is the bad one, else the snapshot date's.
    which = ("CASE WHEN close_m.err IS NOT NULL THEN 'close' ELSE 'snapshot_date' END"
             if close else "'snapshot_date'")
    reason = (f"coalesce(close_m.err, {'snapshot_date_m.err' if len(dated) > 1 else 'NULL'})"
              if close else "snapshot_date_m.err")
    rows = table.con.execute(f"SELECT s.k, {which}, {reason} FROM s {joins} WHERE {bad} "
                             f"ORDER BY s.k LIMIT {MAX_SHOWN}").fetchall()
    lines = table.lines(k for k, _, _ in rows)
    problems = []
    for k, field_name, reason_text in rows:
        column = table.index[field_name]
        problems.append(Problem(table.name, lines.get(k, 0), column + 1, table.header[column],
                                reason_text))
    return problems
