"""The fiscal calendar: which dates a quarter like `2026-Q4` covers, and how many weeks are left.

A fiscal year starts on the first day of `start_month`. With `named_for="end"` (the usual
convention when the year does not start in January: Microsoft, Salesforce) the fiscal year that
starts in July 2026 is FY2027; with `named_for="start"` it is FY2026. A January start gives the
same names either way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

NamedFor = Literal["start", "end"]


@dataclass(frozen=True)
class FiscalCalendar:
    start_month: int = 1
    named_for: NamedFor = "end"

    def quarter_bounds(self, quarter: str) -> tuple[dt.date, dt.date]:
        """First and last day of a quarter written `YYYY-Qn`."""
        match = re.fullmatch(r"(\d{4})-Q([1-4])", quarter)
        if not match:
            raise ValueError(f"'{quarter}' is not a quarter; write it as YYYY-Qn, e.g. 2026-Q4")
        fiscal_year, number = int(match[1]), int(match[2])
        start_year = fiscal_year
        if self.start_month != 1 and self.named_for == "end":
            start_year -= 1
        first_month = self.start_month - 1 + (number - 1) * 3  # months after January of start_year
        start = dt.date(start_year + first_month // 12, first_month % 12 + 1, 1)
        after = first_month + 3
        end = dt.date(start_year + after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)
        return start, end

    def quarter_of(self, day: dt.date) -> str:
        months_in = (day.month - self.start_month) % 12
        start_year = day.year if day.month >= self.start_month else day.year - 1
        fiscal_year = start_year
        if self.start_month != 1 and self.named_for == "end":
            fiscal_year += 1
        return f"{fiscal_year}-Q{months_in // 3 + 1}"

    def next_quarter(self, quarter: str) -> str:
        _, end = self.quarter_bounds(quarter)
        return self.quarter_of(end + dt.timedelta(days=1))

    def previous_quarter(self, quarter: str) -> str:
        start, _ = self.quarter_bounds(quarter)
        return self.quarter_of(start - dt.timedelta(days=1))

    def weeks_left(self, quarter: str, as_of: dt.date) -> Decimal:
        """Weeks from `as_of` (counted in full) to the last day of the quarter, to one decimal.

        A date before the quarter starts counts the whole quarter; a date after it ends gives 0.
        """
        start, end = self.quarter_bounds(quarter)
        first = max(as_of, start)
        days = (end - first).days + 1
        if days <= 0:
            return Decimal(0)
        return (Decimal(days) / 7).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
