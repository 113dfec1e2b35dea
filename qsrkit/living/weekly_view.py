"""The 1:1 log as the view context of `one_on_one.md.j2`: display strings, newest week first.

The pace line compares the opportunities created in the week with the weekly need of the first
target (100% of quota by default), in the coaching voice of the seeds: what is left to make up,
never a reprimand. Nothing here prints; `render_log` returns the document's bytes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.errors import InvalidInput

if TYPE_CHECKING:
    from qsrkit.living.weekly import OpenLog
    from qsrkit.living.weekly_log import Numbers, PipelineChanges, Week

DONE = {True: "done", False: "not done", None: "not marked yet"}


def render_log(answers_file: Path, config: Any, fmt: str | None,
               output: Path | None) -> tuple[Path, bytes, int, list[str]]:
    """(where to write, the document, how many weeks, warnings) for the log of the QSR."""
    from qsrkit.document.one_on_one import one_on_one_document
    from qsrkit.fileio import refuse_inputs
    from qsrkit.living.weekly import open_log

    found = open_log(answers_file, config)
    if found.log is None:
        raise InvalidInput.at(str(answers_file), f"has no 1:1 log yet ({found.path} does not "
                              "exist); run `qsrkit one-on-one` on it to start one")
    kind = fmt or (output.suffix.lower().lstrip(".") if output is not None else "docx")
    kind = kind if kind in ("md", "html") or fmt else "docx"
    target = output or found.path.with_suffix(f".{kind}")
    refuse_inputs(target, [(answers_file, "answers file"), (found.path, "1:1 log")])
    context = one_on_one_context(found, config)
    data, warnings = one_on_one_document(context, config, kind)
    return target, data, len(context["weeks"]), warnings


def one_on_one_context(found: OpenLog, config: Any) -> dict[str, Any]:
    """Everything the 1:1 template prints, as display strings; weeks newest first."""
    from qsrkit.document.one_on_one import TITLE

    assert found.log is not None
    symbol = config.currency_symbol
    weeks = list(reversed(found.log.weeks or []))
    updated = max((w.updated or w.week for w in weeks), default=None)
    return {
        "title": TITLE,
        "company": config.company or "",
        "rep": found.log.rep,
        "manager": found.answers.manager or "",
        "quarter": found.log.quarter,
        "qsr": found.log.qsr or "",
        "updated": updated.isoformat() if updated else "",
        "weeks": [_week(w, symbol) for w in weeks],
    }


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _week(week: Week, symbol: str) -> dict[str, Any]:
    numbers = week.numbers
    return {
        "week": week.week.isoformat(),
        "updated": (week.updated or week.week).isoformat(),
        "rep_topics": [t for t in week.rep_topics or [] if t],
        "manager_topics": [t for t in week.manager_topics or [] if t],
        "objectives": [{"objective": o.objective, "owner": o.owner or "", "due": _day(o.due),
                        "since": _day(o.since), "done": DONE[o.done]}
                       for o in week.objectives or [] if o.objective],
        "next_steps": [{"step": s.step, "owner": s.owner or "", "due": _day(s.due),
                        "done": DONE[s.done]}
                       for s in week.next_steps or [] if s.step],
        "numbers": _numbers(week, numbers, symbol) if numbers else [],
        "pace": _pace(numbers) if numbers else "",
        "pipeline": _pipeline(numbers.pipeline, symbol) if numbers and numbers.pipeline else None,
    }


def _numbers(week: Week, numbers: Numbers, symbol: str) -> list[dict[str, str]]:
    from qsrkit.formatting import money, number
    from qsrkit.plan.rows import target_label

    first = week.week - dt.timedelta(days=6)
    rows = []
    if numbers.opportunities_created is not None:
        rows.append({"label": f"Opportunities created, {first.isoformat()} to "
                              f"{week.week.isoformat()}",
                     "value": number(numbers.opportunities_created)})
    if numbers.pipeline_created is not None:
        rows.append({"label": "Pipeline created", "value": money(numbers.pipeline_created, symbol)})
    for need in numbers.weekly_need or []:
        rows.append({"label": f"Opportunities needed a week for {target_label(need.target)}",
                     "value": number(need.per_week)})
    return rows


def _pace(numbers: Numbers) -> str:
    """One sentence: this week's opportunities against the first target's weekly need."""
    from qsrkit.formatting import number
    from qsrkit.plan.rows import target_label

    if numbers.opportunities_created is None or not numbers.weekly_need:
        return ""
    made, need = Decimal(numbers.opportunities_created), numbers.weekly_need[0]
    said = (f"{number(made)} opportunit{'y' if made == 1 else 'ies'} created this week "
            f"against {number(need.per_week)} a week needed for {target_label(need.target)}")
    if made >= need.per_week:
        return f"{said}: on pace."
    return f"{said}: {number(need.per_week - made)} to make up."


def _pipeline(changes: PipelineChanges, symbol: str) -> dict[str, Any]:
    from qsrkit.crm.changes import LABELS
    from qsrkit.formatting import money

    def signed(amount: Decimal) -> str:
        return ("−" if amount < 0 else "+") + money(abs(amount), symbol)

    rows = [{"label": "Open pipeline then", "deals": "",
             "amount": money(changes.old_open, symbol)}]
    rows += [{"label": LABELS[c.group], "deals": str(c.deals), "amount": "" if c.group == "stage_moved" else signed(c.amount)}
             for c in changes.changes or []]
    rows.append({"label": "Open pipeline now", "deals": "",
                 "amount": money(changes.new_open, symbol)})
    return {"since": changes.since or "the older export", "rows": rows}
