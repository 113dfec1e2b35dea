"""How typed text becomes money, percentages, counts and dates, with messages a seller understands.

Every parser accepts the text exactly as typed in YAML (or on the command line) and either returns
a value or raises ValueError with a sentence that says what to write instead. Nothing is guessed:
`0.25` as a percentage is refused with a question rather than read as 25% or 0.25%.

Plain functions with no pydantic, so `qsrkit calc` from flags starts fast; `qsrkit.values` wraps
them as pydantic types for the answers models.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
MAX_DIGITS = 15  # a trillion dollars with cents fits; a 5,000-digit number does not

# Characters that would break a message's one line (`file:line:col: field: error: message`) or
# hide in it: line breaks of every kind (str.splitlines splits on all of these), other control
# characters, and lone surrogates, which cannot even be printed as UTF-8.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
SHOWN_CHARS = 60


def shown(value: object) -> str:
    """What a seller typed, quoted in a message: on one line and short.

    Line breaks and control characters appear as escapes (`\\n`, `\\x0b`), and a long answer is
    cut, because a message only needs enough of it to recognise.
    """
    text = str(value)
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return _UNSHOWABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def _number(text: str, what: str) -> Decimal:
    cleaned = text.strip().replace("_", "")
    if not cleaned:
        raise ValueError(f"{what} is empty")
    # Every way the figure departs from plain digits is named at once, with the figure as it
    # should be typed: `$276,500` gets one message, not one for the sign and then one for the comma.
    sign = cleaned[0] in "$€£¥" or cleaned[-1] in "$€£¥"
    comma = "," in cleaned
    if sign or comma:
        plain = cleaned.strip("$€£¥ ").replace(",", "")
        example = plain if _NUMBER.match(plain) else "1000"
        if sign and comma:
            raise ValueError(f"write {what} as a plain number without a currency sign or "
                             f"thousands separators, e.g. {example}")
        if sign:
            raise ValueError(f"write {what} as a plain number without a currency sign, e.g. {example}")
        raise ValueError(
            f"write {what} without thousands separators or decimal commas, e.g. 1000.50 not 1,000.50"
        )
    if cleaned.lower().rstrip("k").rstrip("m") != cleaned.lower() and _NUMBER.match(cleaned[:-1]):
        raise ValueError(f"write {what} in full, e.g. 250000 rather than 250k")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"'{shown(text)}' is not a number; write {what} as digits, e.g. 1000 or 1000.50")
    # Zeros after the point count too: 0.0000000000000001 is as unreal as 1000000000000000, and a
    # ratio of one to the other would be too large for a document to show.
    whole, _, fraction = cleaned.lstrip("+-").partition(".")
    digits = len(whole.lstrip("0")) + len(fraction)
    if digits > MAX_DIGITS:
        raise ValueError(f"{what} has {digits} digits; that is more than any real figure")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the regex already admits only decimals
        raise ValueError(f"'{shown(text)}' is not a number") from None


def _as_text(value: Any, what: str) -> str:
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a number, not true/false")
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{what} must be a finite number")
        return repr(value)
    if isinstance(value, str):
        return value
    raise ValueError(f"{what} must be a single number, not a list or a section")


def parse_money(value: Any) -> Decimal:
    """A non-negative amount with at most two decimal places (cents)."""
    amount = _number(_as_text(value, "an amount"), "an amount")
    if amount < 0:
        raise ValueError("an amount cannot be negative")
    if -amount.as_tuple().exponent > 2:  # type: ignore[operator]
        raise ValueError(f"{shown(amount)} has more than two decimal places; round it to cents")
    return amount


def parse_count(value: Any) -> Decimal:
    """A non-negative count; weekly averages may carry decimals (2.5 meetings a week)."""
    count = _number(_as_text(value, "a count"), "a count")
    if count < 0:
        raise ValueError("a count cannot be negative")
    return count


def parse_whole(value: Any) -> int:
    """A non-negative whole number, such as opportunities won."""
    count = parse_count(value)
    if count != count.to_integral_value():
        raise ValueError(f"{shown(count)} must be a whole number")
    return int(count)


def parse_percent(value: Any) -> Decimal:
    """Percent points: `25` and `25%` both mean 25 percent.

    A bare number between 0 and 1 (such as `0.25`) is refused: it is the one case where a
    spreadsheet habit (0.25 = 25%) and our rule (0.25 = 0.25%) disagree, and we do not guess.
    Write `25` or `25%` for a quarter, or `0.25%` if a quarter of one percent is really meant.
    """
    text = _as_text(value, "a percentage").strip()
    explicit = text.endswith("%")
    number = _number(text[:-1] if explicit else text, "a percentage")
    if number < 0:
        raise ValueError("a percentage cannot be negative")
    if not explicit and 0 < number < 1:
        raise ValueError(
            f"{shown(text)} is ambiguous: qsrkit reads percentages as percent points. "
            f"Write {(number * 100).normalize():f} (or {(number * 100).normalize():f}%) for "
            f"{(number * 100).normalize():f} percent, or {shown(text)}% if you really mean "
            f"{shown(text)} percent"
        )
    return number


def parse_rate(value: Any) -> Decimal:
    """A win rate: a percentage greater than 0 and at most 100."""
    rate = parse_percent(value)
    if rate > 100:
        raise ValueError(f"a win rate of {rate}% is impossible; it is at most 100%")
    return rate


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("write a date as YYYY-MM-DD, e.g. 2026-10-06")
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        raise ValueError(f"'{shown(text)}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-06")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a day on the calendar; check the month and day") from None


# ASCII digits only: a quarter is also a file name and a key other tools compare as text.
_QUARTER = re.compile(r"^(?:(\d{4})\s*-?\s*Q([1-4])|Q([1-4])\s*[- ]?\s*(\d{4}))$",
                      re.IGNORECASE | re.ASCII)


def parse_quarter(value: Any) -> str:
    """`2026-Q4`, `2026Q4`, `Q4 2026` and `q4-2026` all become `2026-Q4`."""
    if not isinstance(value, str):
        raise ValueError("write the quarter as YYYY-Qn, e.g. 2026-Q4")
    match = _QUARTER.match(value.strip())
    if not match:
        raise ValueError(f"'{shown(value)}' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q4")
    year, q = (match[1], match[2]) if match[1] else (match[4], match[3])
    return f"{year}-Q{q}"


# Characters python-docx (and XML 1.0) cannot store. Tabs and line breaks are fine.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


MAX_TEXT = 4000  # characters in one answer; a QSR answer is a sentence or a short paragraph


def clean_text(value: Any) -> str:
    """Text as typed, minus characters no Word document can hold (they are invisible anyway)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValueError("must be text, not a list or a section")
    text = str(value)
    if len(text) > MAX_TEXT:
        raise ValueError(
            f"is {len(text):,} characters long; a QSR answer is a sentence or a short paragraph "
            f"(at most {MAX_TEXT:,} characters), so keep the point and move detail elsewhere"
        )
    text = XML_ILLEGAL.sub("", text)
    return unicodedata.normalize("NFC", text).strip()
