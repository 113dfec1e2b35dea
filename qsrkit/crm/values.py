"""How a CRM export writes its values: amounts in any common style, dates in any order, flags.

Each reader refuses what it cannot read for certain (raising `BadValue` with the reason), so a
number is never guessed; `Restart` asks the reader to start over with what it has learnt.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_TRUE = frozenset({"1", "true", "yes", "y", "t", "x"})


_FALSE = frozenset({"0", "false", "no", "n", "f", ""})


class BadValue(ValueError):
    pass


_CURRENCY = re.compile(r"^(?:[A-Z]{3}\s*)?[$€£¥]?\s*|\s*[$€£¥]?(?:\s*[A-Z]{3})?$")


_GROUPED = {
    ".": re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$"),
    ",": re.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^\d+(?:,\d+)?$|^,\d+$"),
}


_CENT = Decimal("0.01")


def parse_amount(text: str, decimal: str) -> int:
    """An amount as whole cents; raise BadValue with what is wrong."""
    if decimal == ".":
        dot = text.rfind(".")
        if dot < 0 or len(text) - dot <= 3:
            try:
                value = float(text)
            except ValueError:
                pass
            else:
                if value - value != 0:  # nan or infinity
                    raise BadValue(f"'{text}' is not an amount")
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
        raise BadValue(f"'{text}' is not an amount (this file is read with a {separator})")
    plain = s.replace("," if decimal == "." else ".", "").replace(",", ".")
    try:
        cents = int((Decimal(plain) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise BadValue(f"'{text}' is not an amount") from None
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
            raise BadValue("the date is empty")
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
                raise BadValue(f"'{text}' is not a date (write the year in full)")
            return dt.date(int(y), int(m), int(d)).toordinal()
        except BadValue:
            raise
        except ValueError:
            raise BadValue(f"'{text}' is not a date; qsrkit reads YYYY-MM-DD, "
                            f"{'M/D/YYYY' if self.order == 'MDY' else 'D/M/YYYY'} and D.M.YYYY") from None

    def _slash_order(self, a: str, b: str, text: str) -> tuple[str, str]:
        first, second = int(a), int(b)
        if self.order == "DMY":
            return b, a
        if self.configured is None and first > 12 >= second:
            if self.month_first_seen:
                raise BadValue(f"'{text}' is day-first but earlier dates in the file are "
                                "month-first; set date_format in a --columns mapping file")
            raise Restart(date_order="DMY")
        if second > 12:
            self.month_first_seen = True
        return a, b


def parse_flag(text: str) -> bool:
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadValue(f"'{text}' is not yes/no; qsrkit reads 1/0, true/false and yes/no")


def parse_pushes(text: str) -> int:
    try:
        return int(float(text))
    except ValueError:
        return 0


class Restart(Exception):
    """Read again from the start with what was learnt (encoding or day-first dates)."""

    def __init__(self, encoding: str | None = None, date_order: str | None = None) -> None:
        super().__init__(encoding, date_order)  # as args, so it survives a worker process
        self.encoding = encoding
        self.date_order = date_order
