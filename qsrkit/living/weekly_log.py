"""The weekly 1:1 log as typed models, read with every problem located by file, line and field.

The log is a YAML file beside the QSR (`<rep>-<quarter>-1on1.yaml`): who and which quarter at
the top, then `weeks:`, one entry a week, oldest first. It is read like an answers file (text
exactly as typed, no YAML guessing, aliases and duplicate keys refused: `answers.yamlsource`)
and validated by pydantic models that forbid unknown keys, so a misspelt field is an error at
its line rather than a note that silently disappears. Nothing here prints or writes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from qsrkit.answers.parse import shown
from qsrkit.answers.values import Count, Date, Money, Quarter, Text, Whole, parse_money
from qsrkit.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from qsrkit.answers.yamlsource import YamlDocument

LOG_SCHEMA = 1
# The pipeline groups of `crm.changes`, as the log may name them.
PIPELINE_GROUPS = ("new", "pulled_in", "reopened", "reassigned_in", "won", "lost", "pushed_out",
                   "removed", "reassigned_out", "amount_up", "amount_down", "stage_moved")

_YES = frozenset({"yes", "y", "done", "true", "x"})
_NO = frozenset({"no", "n", "not done", "false"})


def parse_done(value: Any) -> bool | None:
    """`yes`/`done` or `no`/`not done`; blank means it has not been marked yet."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in _YES | _NO:
        return value.strip().casefold() in _YES
    raise ValueError(f"'{shown(value)}' is not yes or no; write done: yes, or done: no")


def parse_signed_money(value: Any) -> Decimal:
    """An amount that may be negative (a pipeline change: −10000 when a deal was won)."""
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text[:1] in ("-", "−"):
        return -parse_money(text[1:])
    return parse_money(text)


Done = Annotated[bool | None, BeforeValidator(parse_done)]
SignedMoney = Annotated[Decimal, BeforeValidator(parse_signed_money)]


class Part(BaseModel):
    """Every part of the log: unknown keys are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Objective(Part):
    """Last week's next step (or an objective still open), carried into this week."""

    objective: Text | None = None
    owner: Text | None = None
    due: Date | None = None
    since: Date | None = Field(None, description="The week it was first agreed")
    done: Done = None


class NextStep(Part):
    step: Text | None = None
    owner: Text | None = None
    due: Date | None = None
    done: Done = None


class WeeklyNeed(Part):
    target: Count = Field(description="Percent of quota")
    per_week: Count = Field(description="Opportunities to create a week, as `qsrkit calc` says")


class GroupChange(Part):
    group: Annotated[str, BeforeValidator(lambda v: _group(v))]
    deals: Whole
    amount: SignedMoney


class PipelineChanges(Part):
    since: Text | None = Field(None, description="The older export")
    old_open: Money | None = None
    new_open: Money | None = None
    changes: list[GroupChange] | None = None


class Numbers(Part):
    export: Text | None = None
    opportunities_created: Whole | None = None
    pipeline_created: Money | None = None
    weekly_need: list[WeeklyNeed] | None = None
    pipeline: PipelineChanges | None = None


class Week(Part):
    week: Date
    updated: Date | None = None
    rep_topics: list[Text | None] | None = None
    manager_topics: list[Text | None] | None = None
    objectives: list[Objective] | None = None
    next_steps: list[NextStep] | None = None
    numbers: Numbers | None = None

    def open_items(self) -> list[Objective]:
        """What carries into next week: objectives and next steps not marked done."""
        carried = [Objective(objective=o.objective, owner=o.owner, due=o.due,
                             since=o.since or self.week)
                   for o in self.objectives or [] if o.objective and o.done is not True]
        carried += [Objective(objective=s.step, owner=s.owner, due=s.due, since=self.week)
                    for s in self.next_steps or [] if s.step and s.done is not True]
        # An open objective written again as a next step is one item, not two: the first
        # (the older, with its `since`) is kept.
        seen: set[str] = set()
        unique = []
        for item in carried:
            key = " ".join((item.objective or "").casefold().split())
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return unique


class WeeklyLog(Part):
    schema_version: Whole | None = None
    rep: Text
    quarter: Quarter
    qsr: Text | None = Field(None, description="The answers file the log belongs to")
    weeks: list[Week] | None = None


def _group(value: Any) -> str:
    if isinstance(value, str) and value.strip() in PIPELINE_GROUPS:
        return value.strip()
    raise ValueError(f"'{shown(value)}' is not a pipeline group; the groups are: "
                     f"{', '.join(PIPELINE_GROUPS)}")


def log_path(answers_file: Path, rep_slug: str, quarter: str) -> Path:
    """The log beside the QSR: `<rep>-<quarter>-1on1.yaml`."""
    from qsrkit.filenames import ONE_ON_ONE_LOG

    return answers_file.parent / f"{rep_slug}-{quarter}{ONE_ON_ONE_LOG}"


def read_log(text: str, name: str) -> tuple[WeeklyLog, YamlDocument, list[Problem]]:
    """The log in `text` (the file `name`), where each value stands, and warnings;
    InvalidInput locates every error."""
    from qsrkit.answers.loading import validate_document
    from qsrkit.answers.yamlsource import parse

    document = parse(text, name)
    if document.data is None:
        raise InvalidInput.at(name, "the 1:1 log is empty; delete it and run `qsrkit one-on-one` "
                              "again to start a new one", line=1, column=1)
    loaded = validate_document(document, WeeklyLog)
    log = loaded.model
    problems = list(loaded.warnings)
    weeks = log.weeks or []
    errors = []
    for index in range(1, len(weeks)):
        if weeks[index].week <= weeks[index - 1].week:
            line, column = document.position(("weeks", index, "week"))
            errors.append(Problem(
                name, line, column, f"weeks[{index}].week",
                f"{weeks[index].week.isoformat()} is not after the entry before it "
                f"({weeks[index - 1].week.isoformat()}); entries go oldest first, one a week, "
                "so fix the date"))
    if errors:
        raise InvalidInput(errors)
    # Only the newest week is followed up next, so only its next steps are worth a warning;
    # an old week's gaps would repeat on every run.
    for index, week in list(enumerate(weeks))[-1:]:
        for number, step in enumerate(week.next_steps or []):
            if step.step and (not step.owner or step.due is None):
                where = ("weeks", index, "next_steps", number)
                line, column = document.position(where)
                missing = " or ".join(x for x, v in (("owner", step.owner),
                                                     ("due date", step.due)) if not v)
                problems.append(Problem(name, line, column,
                                        f"weeks[{index}].next_steps[{number}]",
                                        f"has no {missing}; a next step needs both to be "
                                        "followed up next week", severity="warning"))
    return log, document, problems


def last_week(log: WeeklyLog) -> Week | None:
    weeks = log.weeks or []
    return weeks[-1] if weeks else None
