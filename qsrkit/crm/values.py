"""How a CRM export writes its values: amounts in any common style, dates in any order, flags.

Each reader refuses what it cannot read for certain (raising `BadValue` with the reason), so a
number is never guessed; `Restart` asks the reader to start over with what it has learnt.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from qsrkit.answers.parse import MAX_DIGITS, shown

_TRUE = frozenset({"1", "true", "yes", "y", "t", "x"})


_FALSE = frozenset({"0", "false", "no", "n", "f", ""})


class BadValue(ValueError):
    pass


_CURRENCY = re.compile(r"^(?:[A-Z]{3}\s*)?[$€£¥]?\s*|\s*[$€£¥]?(?:\s*[A-Z]{3})?$")


_GROUPED = {
    ".": re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$", re.ASCII),
    ",": re.compile(r"^\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^\d+(?:,\d+)?$|^,\d+$", re.ASCII),
}


_SCIENTIFIC = re.compile(r"^[\d.,]*\d[eE][+-]?\d+$", re.ASCII)


def parse_amount(text: str, decimal: str) -> int:
    """An amount as whole cents, negative for a credit; raise BadValue with what is wrong.

    The careful reader: the per-row loop in `accumulate` reads plain amounts itself and comes
    here for everything else. The rules are those of an amount in an answers file
    (`qsrkit.answers.parse.parse_money`), so a number gets the same answer in both: digits of
    any script are read as digits (Arabic-Indic `١٢٣` is 123), underscores are dropped (`1_000`
    is 1000), more than MAX_DIGITS digits are refused, and so is scientific notation (`1.2E+05`:
    Excel writes it for a number too wide for its column, and the digits it did not show are
    lost, so reading it would be a guess).
    """
    s = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    s = s.replace("_", "")
    if not s.isascii():
        s = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in s)
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
        raise BadValue(_why_not(text, s, decimal))
    plain = s.replace("," if decimal == "." else ".", "").replace(",", ".")
    whole, _, fraction = plain.partition(".")
    digits = len(whole.lstrip("0")) + len(fraction)
    if digits > MAX_DIGITS:
        # The words of parse_money, so the same number gets the same answer in both files.
        raise BadValue(f"an amount has {digits} digits; that is more than any real figure")
    try:
        cents = int((Decimal(plain) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # pragma: no cover - the pattern and the digit limit admit only these
        raise BadValue(f"'{shown(text)}' is not an amount") from None
    return -cents if negative else cents


def _why_not(text: str, s: str, decimal: str) -> str:
    if _SCIENTIFIC.match(s):
        return (f"'{shown(text)}' is in scientific notation, which may have lost digits; format "
                "the column as a number (not General) and export again")
    separator = "decimal point" if decimal == "." else "decimal comma"
    return f"'{shown(text)}' is not an amount (this file is read with a {separator})"


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
                raise BadValue(f"'{shown(text)}' is not a date (write the year in full)")
            return dt.date(int(y), int(m), int(d)).toordinal()
        except BadValue:
            raise
        except ValueError:
            raise BadValue(f"'{shown(text)}' is not a date; qsrkit reads YYYY-MM-DD, "
                            f"{'M/D/YYYY' if self.order == 'MDY' else 'D/M/YYYY'} and D.M.YYYY") from None

    def _slash_order(self, a: str, b: str, text: str) -> tuple[str, str]:
        first, second = int(a), int(b)
        if self.order == "DMY":
            return b, a
        if self.configured is None and first > 12 >= second:
            if self.month_first_seen:
                raise BadValue(f"'{shown(text)}' is day-first but earlier dates in the file are "
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
    raise BadValue(f"'{shown(text)}' is not yes/no; qsrkit reads 1/0, true/false and yes/no")


def parse_pushes(text: str) -> int:
    try:
        return int(float(text))
    except (ValueError, OverflowError):  # not a number, or "inf": not a count of pushes
        return 0


class Restart(Exception):
    """Read again from the start with what was learnt (encoding, day-first dates, or that a
    quote is followed by more text in a value, as in `"5" screen`, so quotes are read leniently)."""

    def __init__(self, encoding: str | None = None, date_order: str | None = None,
                 lenient: bool = False) -> None:
        super().__init__(encoding, date_order, lenient)  # as args: it survives a worker process
        self.encoding = encoding
        self.date_order = date_order
        self.lenient = lenient
