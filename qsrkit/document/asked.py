"""The questions an org adds in `qsrkit.yaml`, with the rep's answers, for the document.

Each section of the context gets a list of `{key, label, value, items}`: `value` as text (a list
joined), `items` the list entries, so a template can print a line or bullets. The default
template shows them at the end of their section; custom templates can place them anywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.document.reflection import text

if TYPE_CHECKING:
    from pydantic import BaseModel

    from qsrkit.answers.models import Answers
    from qsrkit.answers.questions import Question


def _shown(question: Question, value: Any, symbol: str) -> tuple[str, list[str]]:
    if question.kind == "list":
        items = [text(v) for v in value or [] if v] or [text(None)]
        return "; ".join(items), items
    if value is None:
        shown = {"amount": fmt.money(None, symbol), "percent": fmt.percent(None)}.get(
            question.kind, text(None))
    elif question.kind == "amount":
        shown = fmt.money(Decimal(value), symbol)
    elif question.kind == "percent":
        shown = fmt.percent(Decimal(value))
    elif isinstance(value, dt.date):
        shown = value.isoformat()
    else:
        shown = text(value)
    return shown, [shown]


def _answers(section: BaseModel, questions: list[Question], symbol: str) -> list[dict[str, Any]]:
    found = []
    for question in questions:
        value, items = _shown(question, getattr(section, question.key, None), symbol)
        found.append({"key": question.key, "label": question.label, "value": value,
                      "items": items})
    return found


def asked(answers: Answers, questions: list[Question], symbol: str) -> dict[str, Any]:
    """The added questions of every section (for skill_development: one list per skill)."""

    def of(section: str) -> list[Question]:
        return [q for q in questions if q.section == section]

    return {
        "previous_quarter": _answers(answers.previous_quarter, of("previous_quarter"), symbol),
        "crm_pledge": _answers(answers.crm_pledge, of("crm_pledge"), symbol),
        "skill_development": [
            {"skill": text(skill.skill), "answers": _answers(skill, of("skill_development"), symbol)}
            for skill in answers.skill_development
        ] if of("skill_development") else [],
        "current_quarter": _answers(answers.current_quarter, of("current_quarter"), symbol),
    }
