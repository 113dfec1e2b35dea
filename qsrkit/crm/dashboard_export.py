"""The export behind `qsrkit render --crm`: read once for a whole batch, every rep's deals kept.

The deals come from the per-deal reader (`deals.read_deals`), so an export gets the same checks
and the same located messages as in `diagnose`. Three columns the dashboards use and the
per-deal reader does not carry are read beside it, from the same file, by their Salesforce and
HubSpot names:

    name           Opportunity Name, Deal Name or Name: how a deal is listed
    probability    Probability (%), Probability or Deal probability: the weight of a deal in
                   the weighted pipeline. Percent points (10 or 10%) when the header has a %
                   sign or any value is above 1, else fractions (0.1), as HubSpot writes them
    next step      Next Step: a deal without one is listed to clean up

They are matched to the open deals they belong to by owner, amount, stage, opportunity id and
status, in file order (only open deals carry them into the dashboards). A column the export
lacks is simply not there: the dashboards say what they cannot show.

Nothing here prints or renders.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from qsrkit.answers.parse import shown
from qsrkit.crm import names, rawcsv
from qsrkit.crm.accumulate import FOOTER, MAX_SHOWN, OPEN, status_reader
from qsrkit.crm.columns import fold, resolve_columns
from qsrkit.crm.values import BadValue
from qsrkit.errors import InvalidInput, Problem, UsageError

if TYPE_CHECKING:
    from qsrkit.crm.columns import Layout
    from qsrkit.crm.deals import Deal

EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Opportunity Name", "Deal Name", "Name"),
    "probability": ("Probability (%)", "Probability", "Deal probability",
                    "Deal Stage Probability"),
    "next_step": ("Next Step", "Next step", "Next Steps"),
}

# Every deal from the first day of the year before the as-of date is kept (open deals whatever
# their dates): enough for a QSR of the as-of date's quarter, the next one or the one before.
KEEP_DAYS = 400
# An export whose newest deal was created this long before the as-of date is from another time
# (as `refresh`, `check-in` and `one-on-one` judge it): its open deals would all read as late.
STALE_DAYS = 45


@dataclass(slots=True)
class Extra:
    """What the dashboards read about an open deal besides the `Deal` itself."""

    name: str = ""
    probability: Decimal | None = None  # a fraction, 0 to 1; None: the row has none
    next_step: str = ""


@dataclass
class CrmData:
    """The export, read once: each rep's deals (and their extras, index for index).

    Picklable, so batch workers receive it with the render options."""

    file: str
    as_of: dt.date
    layout: Layout
    deals: dict[str, list[Deal]]  # by names.key(owner)
    extras: dict[str, list[Extra]]
    owners: dict[str, str]  # names.key -> the name as the export first writes it
    columns: frozenset[str]  # the fields the export has, extras included
    warnings: list[Problem] = field(default_factory=list)


def open_crm(export: Path, *, columns: Path | None = None, as_of: str | None = None,
             today: dt.date | None = None) -> CrmData:
    """`render --crm EXPORT [--columns MAP] [--as-of DATE]`: the export, read for the run."""
    from qsrkit.answers.parse import parse_date
    from qsrkit.crm.columns import load_layout

    try:
        day = parse_date(as_of) if as_of else (today or dt.date.today())
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None
    return read_crm(export, day, load_layout(columns) if columns else None)


def read_crm(path: Path, as_of: dt.date, layout: Layout | None = None) -> CrmData:
    """Every rep's deals that a dashboard as of `as_of` can show, with their extras."""
    from qsrkit.crm.deals import read_deals

    export = read_deals(path, 1, layout)  # from day 1: an open deal is kept however old
    keep_from = as_of.toordinal() - KEEP_DAYS
    queued, found = _extras(path, export.file, export.layout)
    newest = max((deal.created for deal in export.deals), default=0)
    if newest < as_of.toordinal() - STALE_DAYS:
        raise InvalidInput.at(export.file, f"no opportunity was created in the {STALE_DAYS} days "
                              f"before the as-of date {as_of.isoformat()} (the newest: "
                              f"{dt.date.fromordinal(newest).isoformat() if newest else 'none'}): "
                              "it looks like an older export; export the report again, or pass "
                              "--as-of the date it was exported")
    deals: dict[str, list[Deal]] = {}
    extras: dict[str, list[Extra]] = {}
    owners: dict[str, str] = {}
    for owner in sorted(export.first_row, key=export.first_row.__getitem__):
        owners.setdefault(names.key(owner), names.clean(owner)[0])
    blank = Extra()
    for deal in export.deals:
        extra = blank
        if deal.status == OPEN:
            waiting = queued.get((deal.owner, deal.cents, deal.stage, deal.opportunity_id))
            extra = waiting.popleft() if waiting else blank
        elif max(deal.close, deal.created) < keep_from:
            continue
        key = names.key(deal.owner)
        if key:
            deals.setdefault(key, []).append(deal)
            extras.setdefault(key, []).append(extra)
    return CrmData(export.file, as_of, export.layout, deals, extras, owners,
                   export.columns | found, list(export.warnings))


_Key = tuple[str, int, str, str]


def _extras(path: Path, name: str, layout: Layout) -> tuple[dict[_Key, deque[Extra]], frozenset[str]]:
    """The extras of every open row, queued by the key its `Deal` will have, and which of the
    extra columns the export has. No second pass when it has none of them."""
    from qsrkit.crm.values import parse_amount

    def read(encoding: str, delimiter: str, _order: str | None,
             strict: bool) -> tuple[dict[_Key, deque[Extra]], frozenset[str]]:
        def reopen() -> TextIO:
            return rawcsv.open_text(path, encoding)

        problems: list[Problem] = []
        with reopen() as handle:
            reader = csv.reader(rawcsv.lines(handle), delimiter=delimiter, strict=strict)
            header = rawcsv.read_header(reader, name, reopen, delimiter, strict)
            at = _extra_columns(header)
            if not at:
                return {}, frozenset()
            _, index = resolve_columns(header, layout, name)
            decimal = layout.decimal or ("," if delimiter != "," else ".")
            status_of = status_reader(layout, index.get("stage"), index.get("won"),
                                      index.get("closed"))
            i_owner, i_amount = index["owner"], index["amount"]
            i_stage, i_id = index.get("stage", -1), index.get("opportunity_id", -1)
            i_name, i_prob, i_step = (at.get(f, -1) for f in ("name", "probability", "next_step"))
            width = len(header)
            rows: list[tuple[_Key, Extra, int]] = []
            try:
                for row in reader:
                    if len(row) != width:
                        if len(row) <= 1 and row and FOOTER.match(row[0].strip()):
                            break
                        continue
                    try:
                        if status_of(row)[0] != OPEN:
                            continue
                        cents = parse_amount(row[i_amount], decimal)
                    except BadValue:
                        continue  # the per-deal reader reports it
                    stage = row[i_stage].strip() if i_stage >= 0 else ""
                    deal_id = row[i_id].strip() if i_id >= 0 else ""
                    extra = Extra(row[i_name].strip() if i_name >= 0 else "", None,
                                  row[i_step].strip() if i_step >= 0 else "")
                    rows.append(((row[i_owner], cents, stage, deal_id), extra, reader.line_num))
                    if i_prob >= 0:
                        extra.probability = _number(row[i_prob], name, reader.line_num, i_prob,
                                                    header[i_prob], problems)
            except csv.Error as exc:  # as the per-deal reader: located, or read leniently
                raise InvalidInput([rawcsv.csv_problem(
                    exc, reopen, name=name, delimiter=delimiter, strict=strict, line_base=0,
                    header=header)]) from None
        if problems:
            raise InvalidInput([*problems[:MAX_SHOWN], Problem(
                name, 0, 0, "", f"{len(problems):,} probability value(s) could not be read; "
                "write them as percent points (25 or 25%) or fractions (0.25)")])
        if i_prob >= 0:
            _scale(rows, "%" in header[i_prob], name, i_prob, header[i_prob])
        queued: dict[_Key, deque[Extra]] = {}
        for key, extra, _line in rows:
            queued.setdefault(key, deque()).append(extra)
        return queued, frozenset(at)

    return rawcsv.read_with_restarts(path, name, layout.date_order, read)


def _extra_columns(header: list[str]) -> dict[str, int]:
    """Which column holds each extra field: its first name found in the header."""
    folded = [fold(h) for h in header]
    found = {}
    for name, options in EXTRA_COLUMNS.items():
        for option in options:
            if fold(option) in folded:
                found[name] = folded.index(fold(option))
                break
    return found


def _number(text: str, file: str, line: int, column: int, header: str,
            problems: list[Problem]) -> Decimal | None:
    value = text.strip().rstrip("%").strip()
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", ".") if value.count(",") == 1 and "." not in value
                         else value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        problems.append(Problem(file, line, column + 1, header,
                                f"{shown(text.strip())} is not a probability; write 0 to 100 "
                                "(percent points) or 0 to 1 (a fraction)"))
        return None
    return number


def _scale(rows: list[tuple[_Key, Extra, int]], percent: bool, file: str, column: int,
           header: str) -> None:
    """Percent points become fractions; a column of fractions stays as it is."""
    values = [extra.probability for _, extra, _ in rows if extra.probability is not None]
    if not percent and all(v <= 1 for v in values):
        return
    for _, extra, line in rows:
        if extra.probability is None:
            continue
        if extra.probability > 100:
            raise InvalidInput([Problem(file, line, column + 1, header,
                                        f"a probability of {extra.probability}% is impossible; "
                                        "it is 0 to 100")])
        extra.probability = extra.probability / 100
