"""The deals behind the plan's starting rates (`--trailing N`), and when they are too few.

The win rate, average deal size and days to win that a plan starts from are computed over the N
quarters up to the previous one; `Sample` holds the deals they rest on and says which figures
rest on fewer than MIN_DECIDED decided or MIN_WON won deals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_TENTH = Decimal("0.1")
_UNIT = Decimal("1")


def _round(value: Decimal, step: Decimal) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


# The fewest deals a rate is planned on without a warning (one place; README "metrics").
# The calculator divides the target by the win rate and the deal size, so their relative error
# becomes the error of every weekly goal. A win rate's relative error is about
# sqrt((1 - rate) / wins): ~70% from 2 wins, ~30% from 10, so it needs MIN_WON wins; and below
# MIN_DECIDED decided deals one deal moves it by 5 points or more. A deal size is a mean of
# amounts that vary about as much as they average (a few big deals), off by about
# 1 / sqrt(wins): ~30% from 10 wins, ~70% from 2. These are about one or two quarters of a
# typical rep's deals, so `--trailing 2` to `4` reaches them; MAX_TRAILING quarters (two years)
# is as far back as a rate still describes how the rep sells now.
MIN_DECIDED = 20
MIN_WON = 10
MAX_TRAILING = 8
MAX_WARNED = 10  # reps warned about one by one; the rest are counted in one line


@dataclass
class Sample:
    """The plan's starting rates over the trailing quarters, and the deals they rest on."""

    first_quarter: str
    last_quarter: str  # the previous quarter
    quarters: int
    won: int
    lost: int
    won_cents: int
    won_days: int

    @property
    def decided(self) -> int:
        return self.won + self.lost

    @property
    def span(self) -> str:
        """`2026-Q3`, or `2026-Q1 to 2026-Q3`."""
        if self.quarters == 1:
            return self.last_quarter
        return f"{self.first_quarter} to {self.last_quarter}"

    @property
    def win_rate(self) -> Decimal | None:
        return _round(Decimal(self.won * 100) / self.decided, _TENTH) if self.decided else None

    @property
    def average_deal_size(self) -> Decimal | None:
        return _round(Decimal(self.won_cents) / 100 / self.won, _UNIT) if self.won else None

    @property
    def average_days_to_win(self) -> Decimal | None:
        return _round(Decimal(self.won_days) / self.won, _TENTH) if self.won else None

    @property
    def small(self) -> list[str]:
        """The figures that rest on fewer deals than MIN_DECIDED and MIN_WON say."""
        found = []
        if self.decided and (self.decided < MIN_DECIDED or self.won < MIN_WON):
            found.append("win_rate")
        if 0 < self.won < MIN_WON:
            found.append("average_deal_size")
        return found

    def suggested_trailing(self) -> int | None:
        """The quarters that would likely hold enough deals at this pace; None past MAX_TRAILING."""
        q = self.quarters  # at q / decided quarters a deal, MIN_DECIDED need that many times more
        wanted = max(-(-q * MIN_DECIDED // max(self.decided, 1)), -(-q * MIN_WON // max(self.won, 1)))
        wanted = min(wanted, MAX_TRAILING)
        return wanted if wanted > q else None

    def warning(self, rep: str) -> str | None:
        """What to tell sales ops about `rep` when a figure rests on too few deals."""
        small = self.small
        if not small:
            return None
        parts = []
        if "win_rate" in small:
            parts.append(f"the win rate ({self.won} won of {self.decided} decided)")
        if "average_deal_size" in small:
            parts.append(f"the average deal size ({self.won} won deal{'s' * (self.won != 1)})")
        more = self.suggested_trailing()
        advice = (f"try --trailing {more} (the last {more} quarters)" if more else
                  "treat them as rough estimates")
        verb = "rest" if len(parts) > 1 else "rests"
        return (f"{rep}: {' and '.join(parts)} in {self.span} {verb} on a small sample (below "
                f"{MIN_DECIDED} decided deals or {MIN_WON} won); {advice}")

    def as_json(self) -> dict[str, Any]:
        return {
            "first_quarter": self.first_quarter,
            "last_quarter": self.last_quarter,
            "quarters": self.quarters,
            "opportunities_won": self.won,
            "opportunities_lost": self.lost,
            "win_rate": None if self.win_rate is None else float(round(self.win_rate / 100, 4)),
            "average_deal_size": json_number(self.average_deal_size),
            "average_days_to_win": json_number(self.average_days_to_win),
            "small_sample": self.small,
        }


def json_number(value: Decimal | int | None) -> Any:
    """A JSON number: an int when whole."""
    if value is None or isinstance(value, int):
        return value
    return float(value) if value != value.to_integral_value() else int(value)


def capped(warnings: list[str]) -> list[str]:
    """The first MAX_WARNED small-sample warnings, and one line counting the rest."""
    if len(warnings) <= MAX_WARNED:
        return warnings
    rest = len(warnings) - MAX_WARNED
    return [*warnings[:MAX_WARNED], f"and {rest} more rep(s) whose win rate or deal size rests "
            "on a small sample (`qsrkit metrics` marks them with *)"]
