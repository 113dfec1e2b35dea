"""An export's texts as numbers, in DuckDB, by the rules of `values` and nothing else.

The engine does the bulk; the careful readers decide every text that is not plain:

- Amounts. A plain amount (digits, at most two decimals, under 13 digits before the point) is
  cast by DuckDB exactly; every other distinct text (`$1,234.50`, `(250.00)`, `١٢٣`, `1e27`) goes
  through `values.parse_amount`, which reads it or says why not.
- Dates, statuses, forecast categories and push counts have few distinct texts, so each
  distinct text is read once in Python (`DateReader`, `status_reader`, `fold`, `parse_pushes`)
  and joined back: the same rules, the same messages, the same day-first detection (texts are
  read in the order they first appear in the file, as the csv reader met them).

View `t` has, per record: `k` (its ordinal), the text columns, and `cents`, `created_d`,
`close_d` (day ordinals; 0 for no close date), `status`, `qualified`, `is_commit`, `pushes`,
with `*_err` set to the reason where a value cannot be read.
"""

from __future__ import annotations

from typing import Any

from qsrkit.crm.accumulate import status_reader
from qsrkit.crm.columns import Layout, fold
from qsrkit.crm.engine import Careful, Table, mapping
from qsrkit.crm.values import BadValue, DateReader, parse_amount, parse_pushes

_PLAIN = {
    ".": r" *([0-9]{1,13}(\.[0-9]{0,2})?|\.[0-9]{1,2}) *",
    ",": r" *([0-9]{1,13}(,[0-9]{0,2})?|,[0-9]{1,2}) *",
}


def plain_cents(column: str, decimal: str) -> tuple[str, str]:
    """SQL for a plain amount's cents, and the condition that it is plain."""
    plain = f"regexp_full_match({column}, '{_PLAIN[decimal]}')"
    cents = f"CAST(CAST(replace(trim({column}), ',', '.') AS DECIMAL(15,2)) * 100 AS BIGINT)"
    return cents, plain


def _distinct(table: Table, decimal: str) -> dict[str, list[Any]]:
    """Every distinct text the careful readers must see, in one scan of the file."""
    _, plain = plain_cents("amount", decimal)
    status = [f for f in STATUS_FIELDS if f in table.index]
    asked = {"amount": f"list(DISTINCT amount) FILTER (WHERE NOT {plain})",
             "dates": "list(DISTINCT created) || list(DISTINCT close)",
             "status": f"list(DISTINCT [{', '.join(status)}])"}
    for f in ("forecast_category", "push_count"):
        if f in table.index:
            asked[f] = f"list(DISTINCT {f})"
    row = table.con.execute(f"SELECT {', '.join(asked.values())} FROM {table.source}").fetchone()
    if not table.careful and table.rejected():
        raise Careful
    found = {key: list(value or []) for key, value in zip(asked, row, strict=True)}
    if table.careful:  # texts in the order they first appear, as the csv reader met them
        found["dates"] = [r[0] for r in table.con.execute(
            "SELECT v FROM (SELECT created AS v, rowid * 2 AS k FROM x UNION ALL "
            "SELECT close, rowid * 2 + 1 FROM x) GROUP BY v ORDER BY min(k)").fetchall()]
    elif table.order is None and both_orders(found["dates"]):
        raise Careful  # which came first decides the message: only the careful path knows
    else:
        found["dates"] = list(dict.fromkeys(found["dates"]))
    return found


def both_orders(texts: list[str]) -> bool:
    """Whether slash dates of both orders are among `texts` (14/7/2026 and 7/14/2026)."""
    day_first = month_first = False
    for text in texts:
        parts = text.strip().split(" ", 1)[0].split("/")
        if len(parts) == 3 and len(parts[0]) != 4 and parts[0].isdigit() and parts[1].isdigit():
            day_first = day_first or int(parts[0]) > 12 >= int(parts[1])
            month_first = month_first or int(parts[1]) > 12
    return day_first and month_first


def read_amounts(table: Table, texts: list[str], decimal: str) -> None:
    """Table `amap` (v, cents, err): every amount text that is not plain, read carefully."""
    cents: list[int | None] = []
    errors: list[str | None] = []
    for text in texts:
        try:
            cents.append(parse_amount(text, decimal))
            errors.append(None)
        except BadValue as exc:
            cents.append(None)
            errors.append(str(exc))
    mapping(table.con, "amap", {"v": "VARCHAR", "cents": "BIGINT", "err": "VARCHAR"},
            {"v": texts, "cents": cents, "err": errors})


def read_dates(table: Table, texts: list[str]) -> DateReader:
    """Table `dmap` (v, d, err, blank): each date text read (in the order given)."""
    dates = DateReader(table.order)
    days: list[int | None] = []
    errors: list[str | None] = []
    blank: list[bool] = []
    for text in texts:
        blank.append(not text.strip())
        try:
            days.append(dates(text))  # raises Restart for a day-first file read month-first
            errors.append(None)
        except BadValue as exc:
            days.append(None)
            errors.append(str(exc))
    mapping(table.con, "dmap", {"v": "VARCHAR", "d": "INTEGER", "err": "VARCHAR",
                                "blank": "BOOLEAN"},
            {"v": texts, "d": days, "err": errors, "blank": blank})
    return dates


STATUS_FIELDS = ("stage", "won", "closed")


def read_statuses(table: Table, layout: Layout, keys: list[list[str]]) -> list[str]:
    """Table `smap` (the status fields, status, qualified, err); the fields the export has."""
    present = [f for f in STATUS_FIELDS if f in table.index]
    decide = status_reader(layout, *[present.index(f) if f in present else None
                                     for f in STATUS_FIELDS])
    values: dict[str, list[Any]] = {f: [] for f in present}
    values.update(status=[], qualified=[], err=[])
    for key in keys:
        for f, text in zip(present, key, strict=True):
            values[f].append(text)
        try:
            status, qualified = decide(list(key))
            values["status"].append(status)
            values["qualified"].append(qualified)
            values["err"].append(None)
        except BadValue as exc:
            values["status"].append(None)
            values["qualified"].append(None)
            values["err"].append(str(exc))
    columns = {f: "VARCHAR" for f in present}
    columns.update(status="TINYINT", qualified="BOOLEAN", err="VARCHAR")
    mapping(table.con, "smap", columns, values)
    return present


def read_small(table: Table, texts: list[str], name: str, kind: str, read: Any) -> None:
    """Table `name` (v, value): `read` of each text."""
    mapping(table.con, name, {"v": "VARCHAR", "value": kind},
            {"v": texts, "value": [read(t) for t in texts]})


def build(table: Table, layout: Layout, decimal: str) -> DateReader:
    """View `t`: every record of an export with its values read (see the module docstring);
    the date reader that read its dates (its order, its cache) for the careful messages.
    Raises `engine.Careful` when the fast path cannot answer for the file."""
    index = table.index
    found = _distinct(table, decimal)
    read_amounts(table, found["amount"], decimal)
    dates = read_dates(table, found["dates"])
    present = read_statuses(table, layout, found["status"])
    joins = [
        "LEFT JOIN amap ON amap.v = x.amount",
        "LEFT JOIN dmap dc ON dc.v = x.created",
        "LEFT JOIN dmap dl ON dl.v = x.close",
        "LEFT JOIN smap ON " + " AND ".join(f"smap.{f} = x.{f}" for f in present),
    ]
    extra = []
    if "forecast_category" in index:
        read_small(table, found["forecast_category"], "fmap", "BOOLEAN",
                   lambda t: fold(t) == "commit")
        joins.append("LEFT JOIN fmap ON fmap.v = x.forecast_category")
        extra.append("fmap.value AS is_commit")
    else:
        extra.append("false AS is_commit")
    if "push_count" in index:
        read_small(table, found["push_count"], "pmap", "BIGINT", parse_pushes)
        joins.append("LEFT JOIN pmap ON pmap.v = x.push_count")
        extra.append("pmap.value AS pushes")
    else:
        extra.append("NULL::BIGINT AS pushes")
    cents, plain = plain_cents("x.amount", decimal)
    ordinal = "rowid" if table.careful else "NULL::BIGINT"
    # Whether an amount is plain is worked out once a row (a regular expression is the cost).
    table.con.execute(f"""
        CREATE OR REPLACE TEMP VIEW t AS SELECT x.*,
          CASE WHEN x.plain THEN {cents} ELSE amap.cents END AS cents,
          CASE WHEN x.plain THEN NULL ELSE amap.err END AS amount_err,
          dc.d AS created_d, dc.err AS created_err,
          CASE WHEN dl.blank THEN 0 ELSE dl.d END AS close_d,
          CASE WHEN dl.blank THEN NULL ELSE dl.err END AS close_err,
          smap.status, smap.qualified, smap.err AS status_err, {', '.join(extra)}
        FROM (SELECT {ordinal} AS k, *, {plain.replace("x.amount", "amount")} AS plain
              FROM {table.source}) AS x {' '.join(joins)}""")
    return dates


def raw_row(table: Table, k: int) -> list[str]:
    """Record `k` as a row of the header's width (the fields read; "" elsewhere), for the
    careful readers that say which value of a bad row is wrong."""
    fields = sorted(table.index, key=table.index.__getitem__)
    values = table.con.execute(f"SELECT {', '.join(fields)} FROM x WHERE rowid = ?",
                               [k]).fetchone()
    row = [""] * len(table.header)
    for f, v in zip(fields, values, strict=True):
        row[table.index[f]] = v
    return row
