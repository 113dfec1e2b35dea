"""Questions sales operations add to the QSR in `qsrkit.yaml`, and the answers model that holds them.

The seed says to add or delete elements to fit the team. A question declared in the org config
becomes a field of its section in the answers file, read with the same rules as the built-in
ones (an amount is an amount, a list has a limit, an unknown key is still an error with a "did
you mean"), scaffolded by `qsrkit new` and shown in its section of the document:

    questions:
      - section: previous_quarter      # previous_quarter, crm_pledge, skill_development (each
        key: biggest_competitor        #   skill), current_quarter
        label: Competitor met most often
        kind: text                     # text, list, amount, percent, date
      - section: current_quarter
        key: partner_deals
        label: Deals to close with a partner
        kind: list
        limit: 3

Each set of questions gets its own answers model, built once and cached.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Any, Literal, cast

from pydantic import AfterValidator, ConfigDict, Field, create_model, field_validator

from qsrkit.answers import models
from qsrkit.answers.values import Date, Money, Percent, Text

SECTIONS = ("previous_quarter", "crm_pledge", "skill_development", "current_quarter")
MAX_PER_SECTION = 5
MAX_LIST = 10


class Question(models.Section):
    """One question sales operations add to a section of the QSR."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: Literal["previous_quarter", "crm_pledge", "skill_development", "current_quarter"]
    key: str = Field(description="The answer's key in the answers file, in snake_case")
    label: Text = Field(description="The question as the document and the scaffold show it")
    kind: Literal["text", "list", "amount", "percent", "date"] = "text"
    limit: int = Field(3, ge=1, le=MAX_LIST, description="With kind: list, the most entries")
    optional: bool = Field(False, description="True: `check` does not list it when unanswered")
    help: Text | None = Field(None, description="A hint for the scaffold's comment")

    @field_validator("key")
    @classmethod
    def _snake_case(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", value) or keyword.iskeyword(value):
            raise ValueError(f"'{value}' is not a key qsrkit can use; write it in snake_case, "
                             "e.g. biggest_competitor (lower-case letters, digits and _)")
        return value


def check_questions(questions: list[Question]) -> list[Question]:
    """No question may shadow a built-in answer or another question, and each section stays short."""
    seen: dict[tuple[str, str], int] = {}
    for index, question in enumerate(questions):
        builtin = _base(question.section).model_fields
        if question.key in builtin:
            raise ValueError(f"questions[{index}]: '{question.key}' is already an answer of "
                             f"{question.section}; give the question a key of its own")
        where = (question.section, question.key)
        if where in seen:
            raise ValueError(f"questions[{index}]: '{question.key}' is asked twice in "
                             f"{question.section} (also questions[{seen[where]}])")
        seen[where] = index
    for section in SECTIONS:
        count = sum(q.section == section for q in questions)
        if count > MAX_PER_SECTION:
            raise ValueError(
                f"{section} has {count} added questions; the QSR keeps at most "
                f"{MAX_PER_SECTION} a section: a short template gets honest answers")
    return questions


Questions = Annotated[list[Question], AfterValidator(check_questions)]


def _base(section: str) -> type[models.Section]:
    bases: dict[str, type[models.Section]] = {
        "previous_quarter": models.PreviousQuarter, "crm_pledge": models.CrmPledge,
        "skill_development": models.SkillPlan, "current_quarter": models.CurrentQuarter}
    return bases[section]


def _field_type(question: Question) -> Any:
    if question.kind == "list":
        limit = models.at_most(
            question.limit, f"sales operations keep '{question.label}' to {question.limit}")
        return Annotated[list[Text | None], limit]
    return {"text": Text, "amount": Money, "percent": Percent, "date": Date}[question.kind] | None


def _section_model(section: str, questions: Sequence[Question]) -> type[models.Section]:
    base = _base(section)
    mine = [q for q in questions if q.section == section]
    if not mine:
        return base
    fields: dict[str, Any] = {
        q.key: (_field_type(q), Field(default_factory=list, description=q.label)
                if q.kind == "list" else Field(None, description=q.label))
        for q in mine
    }
    model = cast("type[models.Section]",
                 create_model(f"{base.__name__}WithQuestions", __base__=base, **fields))
    model.optional_answers = base.optional_answers | {q.key for q in mine if q.optional}
    return model


@lru_cache(maxsize=16)
def answers_model(questions: tuple[Question, ...] = ()) -> type[models.Answers]:
    """The Answers model with the org's questions in their sections (Answers itself without)."""
    if not questions:
        return models.Answers
    previous = _section_model("previous_quarter", questions)
    pledge = _section_model("crm_pledge", questions)
    skill = _section_model("skill_development", questions)
    current = _section_model("current_quarter", questions)
    skills: Any = Annotated[list[skill], models.TWO_SKILLS]  # type: ignore[valid-type]
    return cast("type[models.Answers]", create_model(
        "AnswersWithQuestions", __base__=models.Answers,
        previous_quarter=(previous, Field(default_factory=previous)),
        crm_pledge=(pledge, Field(default_factory=pledge)),
        skill_development=(skills, Field(default_factory=list)),
        current_quarter=(current, Field(default_factory=current)),
    ))
