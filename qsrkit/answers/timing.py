"""Dates that do not fit the review's rhythm: a QSR finished after it was due, numbers from before
the quarter they plan. Warnings, not errors: the file is still right to render."""

from __future__ import annotations

import datetime as dt

SEND_AHEAD = dt.timedelta(days=2)  # the completed QSR reaches the manager 48 hours before


def late_preparation(prepared: dt.date | None, send_by: dt.date | None,
                     review: dt.date | None) -> str | None:
    """Why a preparation date after the send-by date is worth a word, or None."""
    if prepared is None or send_by is None or review is None or prepared <= send_by:
        return None
    return (f"is after {send_by.isoformat()}: the QSR goes to your manager 48 hours before the "
            f"review on {review.isoformat()}, so there is time to read it before you meet")


def early_as_of(as_of: dt.date | None, quarter: str | None, start: dt.date | None) -> str | None:
    """Why numbers dated before the quarter they plan are suspect, or None."""
    if as_of is None or quarter is None or start is None or as_of >= start:
        return None
    return (f"{as_of.isoformat()} is before {quarter} starts on {start.isoformat()}: weeks to work "
            "count from the start of the quarter; check that the closed won and open pipeline are "
            f"this quarter's, as of a date in {quarter}")
