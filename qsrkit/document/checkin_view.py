"""The Check-ins section of the view context: the quarter's story, one monthly review at a time.

A table of the numbers at each check-in (after the QSR's own plan), with the weekly need the
calculator gives for the weeks left that day and the pace against a straight line to the first
target (`plan.pace`); then, per check-in, the plays' status, the skills' actuals so far and the
audibles agreed. None when the file has no check-ins, so the section is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.document.reflection import text
from qsrkit.plan.pace import Standing, pace_words, planned, standing_on
from qsrkit.plan.rows import target_label

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers, CheckIn
    from qsrkit.config import OrgConfig


def check_ins(answers: Answers, config: OrgConfig,
              labels: dict[str, str]) -> dict[str, Any] | None:
    """The section's context, or None without check-ins."""
    if not answers.check_ins:
        return None
    targets = list(config.targets)
    plan = planned(answers, config.calendar, targets)
    dated = [(entry, _standing(answers, config, targets, entry)) for entry in answers.check_ins]
    known = next((s.plans for s in [plan, *(s for _, s in dated)] if s and s.plans), ())
    percents = [(p.percent_of_quota, p.personal_goal) for p in known] or [
        (t, False) for t in targets]
    columns = [f"{labels['opportunities_a_week_for']} "
               f"{target_label(p, goal, labels['personal_goal_column'])}" for p, goal in percents]
    first = target_label(*percents[0], labels["personal_goal_column"])
    as_of = f" ({plan.day.isoformat()})" if plan.day else ""
    rows = [_row(labels["qsr_plan"] + as_of, plan, len(columns), labels, config)]
    rows += [_row(entry.date.isoformat() if entry.date else text(None), standing, len(columns),
                  labels, config) for entry, standing in dated]
    return {
        "columns": columns,
        "pace_column": f"{labels['pace_to']} {first}",
        "rows": rows,
        "entries": [_entry(entry) for entry in answers.check_ins],
    }


def _standing(answers: Answers, config: OrgConfig, targets: list[Any],
              entry: CheckIn) -> Standing | None:
    if entry.date is None:
        return None
    return standing_on(answers, config.calendar, targets, day=entry.date,
                       closed_won=entry.closed_won, open_pipeline=entry.open_pipeline)


def _row(date: str, standing: Standing | None, count: int, labels: dict[str, str],
         config: OrgConfig) -> dict[str, Any]:
    symbol = config.currency_symbol
    if standing is None:
        return {"date": date, "closed_won": fmt.money(None, symbol),
                "open_pipeline": fmt.money(None, symbol), "weeks_left": fmt.number(None),
                "needs": [fmt.number(None)] * count, "pace": fmt.money(None, symbol)}
    needs = [fmt.significant(p.opps_per_week, up=True) for p in standing.plans]
    pace = (pace_words(standing.pace[0], symbol, labels["ahead"], labels["behind"],
                       labels["on_pace"]) if standing.pace else "—")
    weeks = standing.weeks_left
    return {
        "date": date,
        "closed_won": fmt.money(standing.closed_won, symbol),
        "open_pipeline": fmt.money(standing.open_pipeline, symbol),
        "weeks_left": fmt.significant(weeks) if weeks is not None else fmt.number(None),
        "needs": (needs + [fmt.number(None)] * count)[:count],
        "pace": pace,
    }


def _entry(entry: CheckIn) -> dict[str, Any]:
    return {
        "date": entry.date.isoformat() if entry.date else text(None),
        "plays": [{"headline": text(p.headline), "status": text(p.status),
                   "note": p.note or ""} for p in entry.plays],
        "skills": [{"skill": text(s.skill), "actual": text(s.actual)} for s in entry.skills],
        "audibles": [a for a in entry.audibles if a],
    }
