"""The text qsrkit writes into a 1:1 log: the header of a new log and one week's entry.

An entry is text appended after the last one, so it is written line by line here (not dumped
from data): the comments saying where each number came from stay beside it, blanks are left to
fill in during the meeting, and every text value is a scalar PyYAML reads back as exactly that
text (plain when it is safe, double-quoted with escapes otherwise). Nothing here touches a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from qsrkit.living.weekly_log import LOG_SCHEMA

if TYPE_CHECKING:
    from qsrkit.living.weekly_log import Objective
    from qsrkit.living.weekly_numbers import WeekNumbers

# Text that reads back as itself when written plain: no indicator at the start, no `: ` or ` #`
# inside, nothing YAML would take for a number, a date, a blank or a flow collection.
_PLAIN = re.compile(r"[A-Za-z\u00c0-\uffef][^\n\r\t:#'\"\\{}\[\]|>&*!%@`]*")

HEADER = """\
# Weekly 1:1 log: {rep}, {quarter}, beside the QSR {qsr}.
#
# Each week, `qsrkit one-on-one <the QSR> --crm <this week's export>` adds an entry at the end:
# last week's next steps and objectives not marked done come forward as this week's
# objectives, so the meeting starts where the last one left off, and this week's numbers come
# from the export and the QSR. `qsrkit one-on-one <the QSR> --render` makes a document of it.
#
# Each week holds:
#   week            the day of the 1:1 (YYYY-MM-DD)
#   updated         the day the entry was last changed: set it when you edit the entry
#   rep_topics      what the rep wants to talk about, first: help needed, a prospect situation
#   manager_topics  what the manager wants to talk about: demos and meetings reviewed, how the
#                   plays committed in the QSR are going
#   objectives      open items carried from earlier weeks (objective, owner, due, since: the
#                   week it was agreed); mark each `done: yes` or `done: no` in the meeting
#   next_steps      what each of you will do before next week: step, owner, due (a date), done
#   numbers         written by qsrkit: opportunities created in the 7 days up to the 1:1
#                   against the weekly need of the QSR's calculator, and with --since the
#                   changes in the open pipeline; leave them as they are
# qsrkit only ever adds text at the end of this file: keep `weeks:` the last key.

schema_version: {schema}
rep: {rep_value}
quarter: {quarter}
qsr: {qsr_value}
weeks:
"""


def scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same text."""
    import yaml

    if _PLAIN.fullmatch(text) and text not in ("null", "Null", "NULL"):
        # The pattern is the quick test; reading it back is the proof (line separators such
        # as U+2028 and trailing spaces are what a pattern misses).
        with contextlib.suppress(yaml.YAMLError):
            if yaml.load(f"k: {text}\n", Loader=yaml.BaseLoader) == {"k": text}:
                return text
    dumped: str = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1 << 30)
    return dumped.strip()


def header(rep: str, quarter: str, qsr: str) -> str:
    def comment(text: str) -> str:  # a name in a comment stays on its comment line
        return " ".join(text.split())

    return HEADER.format(rep=comment(rep), quarter=quarter, qsr=comment(qsr),
                         schema=LOG_SCHEMA, rep_value=scalar(rep), qsr_value=scalar(qsr))


def _amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}" + (f".{rest:02d}" if rest else "")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def entry(day: dt.date, carried: Sequence[Objective], numbers: WeekNumbers,
          qsr: str) -> list[str]:
    """The lines of one week's entry, without indentation (the caller indents them)."""
    lines = [f"- week: {day.isoformat()}", f"  updated: {day.isoformat()}",
             "  rep_topics:", "  -", "  manager_topics:", "  -"]
    if carried:
        lines.append(f"  objectives:  # {len(carried)} open from earlier weeks: mark each "
                     "done: yes or no")
        for item in carried:
            lines.append(f"  - objective: {scalar(item.objective or '')}")
            lines.append(f"    owner: {scalar(item.owner) if item.owner else ''}".rstrip())
            lines.append(f"    due: {item.due.isoformat() if item.due else ''}".rstrip())
            lines.append(f"    since: {item.since.isoformat() if item.since else ''}".rstrip())
            lines.append("    done:")
    else:
        lines.append("  objectives:  # nothing open from earlier weeks")
    lines += ["  next_steps:", "  - step:", "    owner:", "    due:", "    done:"]
    lines += _numbers(numbers, qsr)
    return lines


def _numbers(numbers: WeekNumbers, qsr: str) -> list[str]:
    lines: list[str] = []
    created = numbers.created
    if created is not None:
        lines += [f"    export: {scalar(created.export)}",
                  f"    opportunities_created: {created.count}  # created "
                  f"{created.first_day.isoformat()} to {created.last_day.isoformat()}",
                  f"    pipeline_created: {_amount(created.cents)}"]
    if numbers.need:
        lines.append(f"    weekly_need:  # opportunities a week, as qsrkit calc "
                     f"{' '.join(qsr.split())} says")
        for percent, per_week in numbers.need:
            lines += [f"    - target: {_number(percent)}", f"      per_week: {_number(per_week)}"]
    changes = numbers.changes
    if changes is not None:
        lines += ["    pipeline:  # open pipeline closing this quarter, from --since to --crm",
                  f"      since: {scalar(changes.since)}",
                  f"      old_open: {_amount(changes.old_open)}",
                  f"      new_open: {_amount(changes.new_open)}"]
        if changes.groups:
            lines.append("      changes:")
            for group, deals, cents in changes.groups:
                lines += [f"      - group: {group}", f"        deals: {deals}",
                          f"        amount: {_amount(cents)}"]
    return ["  numbers:  # written by qsrkit", *lines] if lines else []
