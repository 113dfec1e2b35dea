"""How numbers look to people: money with the org's currency, percentages, weekly figures.

Shared by the terminal output and the documents so a number reads the same everywhere.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Context, Decimal

BLANK_MONEY = "______"


def rounded(value: Decimal, places: int) -> Decimal:
    """`value` rounded half up to `places` decimals, however large it is.

    Computed figures can be very large (a win rate of 0.000000000000001% needs pipeline beyond
    any real figure), and `quantize` in the default context raises once the result has more
    than 28 digits; so the context holds every digit of this one.
    """
    context = Context(prec=max(28, value.adjusted() + places + 2))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=context)


def money(value: Decimal | None, symbol: str = "$", *, whole: bool = False) -> str:
    """`$1,250,000`, or `$1,250.50` when there are cents; a fill-in blank when unknown.

    `whole=True` rounds to whole units: computed figures (pipeline per week) are estimates, and
    cents on them suggest a precision they do not have.
    """
    if value is None:
        return f"{symbol}{BLANK_MONEY}"
    cents = rounded(value, 2)
    if whole or cents == cents.to_integral_value():
        return f"{symbol}{cents:,.0f}"
    return f"{symbol}{cents:,.2f}"


def percent(value: Decimal | None) -> str:
    """`25%` or `33.3%`; a blank when unknown."""
    if value is None:
        return "___%"
    return f"{number(value)}%"


def number(value: Decimal | int | None, places: int = 1) -> str:
    """A count: `12`, or `3.5` with one decimal when it is not whole."""
    if value is None:
        return "___"
    if isinstance(value, int):
        return f"{value:,}"
    shown = rounded(value, places)
    if shown == shown.to_integral_value():
        return f"{shown:,.0f}"
    return f"{shown:,.{places}f}"


def significant(value: Decimal, places: int = 1, *, up: bool = False) -> str:
    """`value` with `places` decimals, or with two significant digits when that would show 0.

    A need of 0.00054 opportunities a week is not "0", and a win rate of 0.001% is not "0%":
    a small figure keeps the digits that say how small it is. `up=True` rounds towards more
    (what a seller must do is never shown as less than it is).
    """
    if value == 0:
        return "0"
    rounding = ROUND_CEILING if up else ROUND_HALF_UP
    step = places
    if abs(value) < Decimal(1).scaleb(-places):
        step = -value.adjusted() + 1  # two significant digits
    context = Context(prec=max(28, value.adjusted() + step + 2))
    shown = value.quantize(Decimal(1).scaleb(-step), rounding=rounding, context=context)
    if shown == shown.to_integral_value():
        return f"{shown:,.0f}"
    text = f"{shown:,.{step}f}"
    return text.rstrip("0") if step > places else text


def money_up(value: Decimal, symbol: str = "$") -> str:
    """Whole currency units, rounded up: `$56,001` for 56,000.10 needed."""
    whole = value.to_integral_value(rounding=ROUND_CEILING)
    return f"{symbol}{whole:,.0f}"
