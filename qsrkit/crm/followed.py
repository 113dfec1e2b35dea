"""Every snapshot of a folder in one DuckDB query, each deal followed across them in SQL.

Weekly forecast-call exports are the same report saved every Monday: the same header, the same
encoding and separator, one row per open deal. Such a folder is read here in one go, in this
process (one connection, one `read_csv` over all the files), and each deal's close dates,
commit dates and stages are worked out with window functions, not row by row in Python.

Anything unusual sends the folder back to the careful path, file by file (`snapshot`), which
says what is wrong and where, exactly as before: files whose headers, encodings or separators
differ, a snapshot date column (a history report dates each row), a record DuckDB could not
read, a date that cannot be read or dates of both orders in one file, two spellings of a stage
in one file, a deal twice in one file, a file without deals. Then `None` is returned. The
results are the same either way (`history._follow` is the reference).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qsrkit.crm import rawcsv
from qsrkit.crm.columns import Layout, fold
from qsrkit.crm.engine import connect, fetch_column, mapping
from qsrkit.crm.snapshot import date_in_name, history_columns
from qsrkit.crm.typed import both_orders
from qsrkit.crm.values import BadValue, DateReader, Restart
from qsrkit.errors import InvalidInput


@dataclass
class Followed:
    """What the snapshots say, deal by deal (ids in `ids`; the lists are parallel)."""

    days: list[int]  # each file's date, in date order
    ids: list[str]
    seen_on: list[list[int] | None]  # the days each close date below was first seen
    closes: list[list[int] | None]  # close dates in date order, each kept when it changed
    commit_closes: list[list[int] | None]  # close dates while in Commit
    stages: list[list[str] | None]  # folded stages, first seen first (None: none)
    stage_names: dict[str, str]  # folded -> first spelling seen (by date)
    stage_order: list[str]  # folded, in the order deals go through them
    has_close: bool
    has_commit: bool
    has_stage: bool


def follow_folder(files: list[Path], layout: Layout | None) -> Followed | None:
    """The folder's snapshots followed in SQL; None when it needs the careful path."""
    import duckdb

    try:
        shape = _same_shape(files, layout)
    except (InvalidInput, Restart, UnicodeDecodeError, OSError, csv.Error):
        return None
    if shape is None:
        return None
    con = connect()
    try:
        return _follow(con, files, layout, *shape)
    except duckdb.Error:
        return None
    finally:
        con.close()


def _same_shape(files: list[Path], layout: Layout | None
                ) -> tuple[list[str], dict[str, int], str, int] | None:
    """The header, its columns, the separator and the header's lines, when every file has the
    same ones (the same encoding, strict quotes, the date in its name); None otherwise."""
    shapes = set()
    for path in files:
        name = str(path)
        sniffed = rawcsv.sniff(path, name)
        if date_in_name(path) is None:
            return None

        def reopen(path: Path = path, encoding: str = sniffed.encoding) -> Any:
            return rawcsv.open_text(path, encoding)

        with reopen() as handle:
            reader = csv.reader(rawcsv.lines(handle), delimiter=sniffed.delimiter, strict=True)
            header = rawcsv.read_header(reader, name, reopen, sniffed.delimiter, True)
            shapes.add((tuple(header), sniffed.encoding, sniffed.delimiter, reader.line_num))
        if len(shapes) > 1:
            return None
    (header_t, _, delimiter, header_lines), = shapes
    header = list(header_t)
    index = history_columns(header, layout, str(files[0]))
    if "snapshot_date" in index:
        return None
    return header, index, delimiter, header_lines


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _follow(con: Any, files: list[Path], layout: Layout | None, header: list[str],
            index: dict[str, int], delimiter: str, header_lines: int) -> Followed | None:
    days = [date_in_name(p) or 0 for p in files]
    if len(set(days)) < len(days):
        return None  # two snapshots of one day: the careful path says which
    mapping(con, "files", {"name": "VARCHAR", "f": "INTEGER", "day": "INTEGER"},
            {"name": [str(p) for p in files], "f": list(range(len(files))), "day": days})
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    keep = ", ".join(f"coalesce(c{i}, '') AS {f}" for f, i in index.items())
    names = ", ".join(_literal(str(p)) for p in files)
    con.execute(f"""CREATE TABLE raw AS SELECT files.f, files.day, r.* FROM (
        SELECT filename, {keep} FROM read_csv([{names}], header=false, skip={header_lines},
            auto_detect=false, all_varchar=true, delim={_literal(delimiter)}, quote='"',
            escape='"', columns={columns}, strict_mode=true, null_padding=false,
            ignore_errors=true, store_rejects=true, max_line_size={rawcsv.FIELD_LIMIT},
            filename=true)) r JOIN files ON files.name = r.filename""")
    if con.execute("SELECT count(*) FROM reject_errors").fetchone()[0]:
        return None
    con.execute("""CREATE TABLE s AS SELECT * EXCLUDE (opportunity_id) FROM (
        SELECT regexp_replace(opportunity_id, '^\\s+|\\s+$', '', 'g') AS id, * FROM raw)
        WHERE id <> ''""")
    # A file without deals, or a deal twice in one file: the careful path's to say or to order.
    if con.execute("SELECT count(DISTINCT f) FROM s").fetchone()[0] < len(files) or \
            con.execute("SELECT count(*) FROM (SELECT f, id FROM s GROUP BY ALL "
                        "HAVING count(*) > 1)").fetchone()[0]:
        return None
    selected = ["s.id", "s.day"]
    joins = []
    if "close" in index:
        if not _close_dates(con, layout.date_order if layout else None, len(files)):
            return None
        joins.append("JOIN dmap ON dmap.f = s.f AND dmap.v = s.close")
        selected.append("dmap.d AS close_d")
    else:
        selected.append("0 AS close_d")
    if "forecast_category" in index:
        found = fetch_column(con, "SELECT DISTINCT forecast_category FROM s")
        mapping(con, "fmap", {"v": "VARCHAR", "c": "BOOLEAN"},
                {"v": found, "c": [fold(t) == "commit" for t in found]})
        joins.append("JOIN fmap ON fmap.v = s.forecast_category")
        selected.append("fmap.c AS commit")
    else:
        selected.append("false AS commit")
    stage_names: dict[str, str] = {}
    if "stage" in index:
        rows = con.execute("SELECT DISTINCT f, stage FROM s").fetchall()
        spelled: dict[tuple[int, str], str] = {}
        for f, text in rows:
            if spelled.setdefault((f, fold(text)), text) != text:
                return None  # two spellings in one file: the first in it names the stage
        for f in sorted(range(len(files)), key=days.__getitem__):
            for (g, key), text in spelled.items():
                if g == f:
                    stage_names.setdefault(key, " ".join(text.split()))
        mapping(con, "smap", {"v": "VARCHAR", "key": "VARCHAR"},
                {"v": [t for _, t in rows], "key": [fold(t) for _, t in rows]})
        joins.append("JOIN smap ON smap.v = s.stage")
        selected.append("smap.key AS stage_key")
    else:
        selected.append("'' AS stage_key")
    con.execute(f"CREATE TABLE seen AS SELECT DISTINCT {', '.join(selected)} FROM s "
                f"{' '.join(joins)}")
    return _tracks(con, sorted(days), index, stage_names)


def _close_dates(con: Any, order: str | None, count: int) -> bool:
    """Table `dmap` (f, v, d): each file's close date texts read as the careful path reads them
    (each file detects its own date order); False when one cannot be read."""
    rows = con.execute("SELECT DISTINCT f, close FROM s").fetchall()
    by_file: dict[int, list[str]] = {f: [] for f in range(count)}
    for f, text in rows:
        by_file[f].append(text)
    fs: list[int] = []
    texts: list[str] = []
    values: list[int] = []
    for f, found in by_file.items():
        if order is None and both_orders(found):
            return False
        try:
            try:
                read = _read_dates(found, order)
            except Restart:  # day-first dates: the careful path reads the file again so
                read = _read_dates(found, "DMY")
        except BadValue:
            return False
        fs.extend([f] * len(found))
        texts.extend(found)
        values.extend(read)
    mapping(con, "dmap", {"f": "INTEGER", "v": "VARCHAR", "d": "INTEGER"},
            {"f": fs, "v": texts, "d": values})
    return True


def _read_dates(texts: list[str], order: str | None) -> list[int]:
    dates = DateReader(order)
    return [dates(t) if t.strip() else 0 for t in texts]


def _tracks(con: Any, days: list[int], index: dict[str, int],
            stage_names: dict[str, str]) -> Followed:
    """Each deal's close dates (kept when changed), commit dates and stages (first seen
    first), from table `seen` (id, day, close_d, commit, stage_key), and the funnel."""
    con.execute("""CREATE TABLE closes AS SELECT id, list(day ORDER BY day) AS seen_on,
        list(close_d ORDER BY day) AS closes FROM (
        SELECT id, day, close_d, lag(close_d) OVER (PARTITION BY id ORDER BY day) AS before
        FROM seen WHERE close_d <> 0) WHERE before IS DISTINCT FROM close_d GROUP BY id""")
    con.execute("""CREATE TABLE commits AS SELECT id, list(DISTINCT close_d) AS commits
        FROM seen WHERE commit AND close_d <> 0 GROUP BY id""")
    con.execute("""CREATE TABLE reached AS SELECT id, stage_key,
        row_number() OVER (PARTITION BY id ORDER BY first) - 1 AS position,
        count(*) OVER (PARTITION BY id) AS reached
        FROM (SELECT id, stage_key, min(day) AS first FROM seen WHERE stage_key <> ''
              GROUP BY id, stage_key)""")
    # A stage seen before another in a deal's history scores a point, one seen after loses one.
    scores = con.execute("""SELECT stage_key, sum(reached - 1 - 2 * position) AS score
        FROM reached GROUP BY stage_key ORDER BY score DESC, stage_key""").fetchall()
    rows = con.execute("""SELECT ids.id, closes.seen_on, closes.closes, commits.commits, stages.stages FROM
        (SELECT DISTINCT id FROM seen) ids
        LEFT JOIN closes USING (id) LEFT JOIN commits USING (id)
        LEFT JOIN (SELECT id, list(stage_key ORDER BY position) AS stages FROM reached
                   GROUP BY id) stages USING (id)""").fetchall()
    ids, seen_on, closes, commits, stages = (
        (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [], []))
    return Followed(days, ids, seen_on, closes, commits, stages, stage_names,
                    [s for s, _ in _sorted_scores(scores)], "close" in index,
                    "forecast_category" in index, "stage" in index)


def _sorted_scores(scores: list[tuple[str, int]]) -> list[tuple[str, int]]:
    # Python's order of the stage names, not the database's collation.
    return sorted(scores, key=lambda e: (-e[1], e[0]))
