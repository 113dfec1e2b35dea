"""The answers file as pydantic models: one class per part of the QSR template.

Every answer may be missing (None): a half-filled file is normal while a seller works on it, and it
renders with blanks. `qsrkit check` reports the missing answers as warnings. What the method limits
(two focus skills, three things to replicate and to improve, three plays) is enforced here with a
message that explains the reason for the limit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from qsrkit import SCHEMA_VERSION
from qsrkit.answers.checkins import BLANK_IS_EMPTY, PlayStatus
from qsrkit.answers.values import Count, Date, Money, Quarter, Text, Whole, WinRate, parse_percent


class Section(BaseModel):
    """Base for every part of the file: unknown keys are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # Fields a seller may leave empty without `check` calling them unanswered.
    optional_answers: ClassVar[frozenset[str]] = frozenset()


def at_most(limit: int, why: str) -> Any:
    def check(items: list[Any]) -> list[Any]:
        if len(items) > limit:
            raise ValueError(f"has {len(items)} entries; the QSR keeps at most {limit}: {why}")
        return items

    return AfterValidator(check)


TWO_SKILLS = at_most(
    2,
    "two skills tied to the metrics that matter get real practice in a quarter, more get none; "
    "pick the two that move your numbers most",
)
THREE_LESSONS = at_most(
    3,
    "three sharp lessons are remembered and acted on, a long list is not; keep the three that "
    "matter most for next quarter",
)
THREE_PLAYS = at_most(
    3,
    "a short list of plays keeps the quarter focused on quality instead of a laundry list; "
    "keep the three with the biggest effect on your goal",
)
THREE_ACTIONS = at_most(
    3, "a pledge is a few specific habits you will keep, not a policy manual; keep the top three"
)


# --- Section 1: previous quarter reflection -------------------------------------------------


class CountGoal(Section):
    """A weekly activity measured against its goal."""

    goal: Count | None = None
    actual: Count | None = None


class MoneyGoal(Section):
    goal: Money | None = None
    actual: Money | None = None


class RateGoal(Section):
    goal: WinRate | None = None
    actual: WinRate | None = None


class WholeGoal(Section):
    goal: Whole | None = None
    actual: Whole | None = None


class PreviousMetrics(Section):
    """Goals and actuals for last quarter. Percent of quota and of personal goal are computed."""

    quota: Money | None = Field(None, description="Last quarter's quota")
    personal_goal: Money | None = Field(
        None, description="The personal revenue goal set in last quarter's QSR (an amount)"
    )
    actual_revenue: Money | None = Field(None, description="Revenue actually closed last quarter")
    weekly_meetings: CountGoal = Field(default_factory=CountGoal)
    weekly_opportunities: CountGoal = Field(
        default_factory=CountGoal, description="Qualified opportunities created per week"
    )
    weekly_pipeline: MoneyGoal = Field(
        default_factory=MoneyGoal, description="$ of qualified opportunities created per week"
    )
    win_rate: RateGoal = Field(default_factory=RateGoal)
    opportunities_won: WholeGoal = Field(default_factory=WholeGoal)
    average_deal_size: MoneyGoal = Field(default_factory=MoneyGoal)

    @property
    def percent_of_quota(self) -> Decimal | None:
        return _percent(self.actual_revenue, self.quota)

    @property
    def percent_of_personal_goal(self) -> Decimal | None:
        return _percent(self.actual_revenue, self.personal_goal)


def _percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return part * 100 / whole


class FocusSkillResult(Section):
    skill: Text | None = None
    target: Text | None = Field(None, description="The measurable target set for the skill")
    actual: Text | None = Field(None, description="The measurable result reached")


class PlayResult(Section):
    """A play from last quarter's QSR and what came of it."""

    optional_answers = frozenset({"outcome"})

    headline: Text | None = None
    outcome: Text | None = None


class Diagnosis(Section):
    replicate: Annotated[list[Text | None], THREE_LESSONS] = Field(
        default_factory=list, description="Up to 3 things to replicate going forward"
    )
    improve: Annotated[list[Text | None], THREE_LESSONS] = Field(
        default_factory=list, description="Up to 3 things to improve going forward"
    )


class Lessons(Section):
    """What the quarter taught, and what changed around the rep: the fifth thing a leader must
    know before planning the next quarter with them."""

    learned: Text | None = Field(None, description="What you learned last quarter")
    environment: Text | None = Field(
        None, description="What changed in your selling environment: a big client, a competitor, "
        "a new product, a new territory"
    )


class PreviousQuarter(Section):
    optional_answers = frozenset({"quarter", "plays"})

    quarter: Quarter | None = None
    metrics: PreviousMetrics = Field(default_factory=PreviousMetrics)
    focus_skills: Annotated[list[FocusSkillResult], TWO_SKILLS] = Field(default_factory=list)
    plays: Annotated[list[PlayResult], THREE_PLAYS] = Field(default_factory=list)
    diagnosis: Diagnosis = Field(default_factory=Diagnosis)
    lessons: Lessons = Field(default_factory=Lessons)


# --- Section 2: CRM / data pledge -------------------------------------------------------------


class CrmPledge(Section):
    accuracy: Annotated[list[Text | None], THREE_ACTIONS] = Field(default_factory=list)
    updates: Annotated[list[Text | None], THREE_ACTIONS] = Field(default_factory=list)
    forecasting: Annotated[list[Text | None], THREE_ACTIONS] = Field(default_factory=list)


# --- Section 3: skill development -------------------------------------------------------------


class SkillPlan(Section):
    optional_answers = frozenset({"actual"})

    goal: Text | None = Field(None, description="The goal or metric this skill serves")
    skill: Text | None = None
    target: Text | None = Field(None, description="The target result and the actions to reach it")
    actual: Text | None = Field(None, description="Filled in during the quarter")


# --- Section 4: current quarter plan ----------------------------------------------------------


class Dashboard(Section):
    optional_answers = frozenset({"screenshot"})

    title: Text | None = None
    link: Text | None = None
    screenshot: Text | None = Field(
        None,
        description="A picture (PNG, JPEG or GIF, at most 10 MB) inside the folder of this file "
        "(or of the org config's screenshots_folder), named relative to this file; a picture "
        "anywhere else is left out and the document shows the link only",
    )


MAX_DASHBOARDS = 10
TEN_DASHBOARDS = at_most(
    MAX_DASHBOARDS,
    "a QSR links the few dashboards the review is run from; keep the ones you will open in the "
    "meeting and link the rest from one of them",
)


class PersonalGoal(BaseModel):
    """The personal goal as typed: an amount (`900000`) or a percent of quota (`150%`)."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal | None = None
    percent: Decimal | None = None

    def resolve(self, quota: Decimal | None) -> Decimal | None:
        if self.amount is not None:
            return self.amount
        if self.percent is not None and quota is not None:
            return quota * self.percent / 100
        return None

    def percent_of(self, quota: Decimal | None) -> Decimal | None:
        if self.percent is not None:
            return self.percent
        return _percent(self.amount, quota)


def _parse_personal_goal(value: Any) -> PersonalGoal:
    from qsrkit.answers.values import parse_money

    if isinstance(value, PersonalGoal):
        return value
    # Only a number or text: a section (`amount: -5`) would build the goal unchecked.
    if isinstance(value, (dict, list)):
        raise ValueError("write the personal goal as one amount (900000) or a percent of quota "
                         "(150%), not a list or a section")
    text = str(value).strip()
    if text.endswith("%"):
        return PersonalGoal(percent=parse_percent(text))
    return PersonalGoal(amount=parse_money(text))


class Outlook(Section):
    # The weekly and won goals are the rep's own plan; the calculator says what is needed, and
    # the document sets one beside the other. `--previous` carries them into the next reflection.
    optional_answers = frozenset({"weekly_opportunity_goal", "weekly_pipeline_goal",
                                  "weekly_meeting_goal", "opportunities_won_goal"})

    quota: Money | None = None
    personal_goal: Annotated[
        PersonalGoal,
        Field(
            json_schema_extra={
                "anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
            },
            description="An amount (900000) or a percent of quota (150%)",
        ),
    ] | None = None
    win_rate: WinRate | None = None
    average_deal_size: Money | None = None
    weekly_opportunity_goal: Count | None = Field(
        None, description="Qualified opportunities to create per week"
    )
    weekly_pipeline_goal: Money | None = Field(
        None, description="Qualified pipeline to create per week, an amount"
    )
    weekly_meeting_goal: Count | None = Field(None, description="First meetings to hold per week")
    opportunities_won_goal: Whole | None = Field(
        None, description="Opportunities to close won this quarter"
    )

    _parse_goal = field_validator("personal_goal", mode="before")(
        classmethod(lambda cls, v: None if v is None else _parse_personal_goal(v))
    )

    @property
    def personal_goal_amount(self) -> Decimal | None:
        return self.personal_goal.resolve(self.quota) if self.personal_goal else None

    @property
    def personal_goal_percent(self) -> Decimal | None:
        return self.personal_goal.percent_of(self.quota) if self.personal_goal else None


class CalculatorInputs(Section):
    """What the opportunity creation calculator needs besides the outlook."""

    optional_answers = frozenset({"weeks_to_work", "as_of"})

    closed_won: Money | None = Field(None, description="Closed won so far this quarter")
    open_pipeline: Money | None = Field(
        None, description="Open pipeline scheduled to close this quarter"
    )
    weeks_to_work: Count | None = Field(
        None, description="Selling weeks left; leave empty to count them from as_of"
    )
    as_of: Date | None = Field(
        None, description="Count weeks to work from this date to the end of the quarter"
    )


class Play(Section):
    headline: Text | None = None
    bullets: list[Text | None] = Field(default_factory=list)


class CurrentQuarter(Section):
    optional_answers = frozenset({"dashboards"})

    dashboards: Annotated[list[Dashboard], TEN_DASHBOARDS] = Field(default_factory=list)
    outlook: Outlook = Field(default_factory=Outlook)
    calculator: CalculatorInputs = Field(default_factory=CalculatorInputs)
    plays: Annotated[list[Play], THREE_PLAYS] = Field(default_factory=list)


# --- During the quarter: the monthly check-ins (rules across entries: answers.checkins) ------


class CheckInSkill(Section):
    skill: Text | None = Field(None, description="As named in skill_development")
    actual: Text | None = Field(None, description="The result reached so far")


class CheckInPlay(Section):
    optional_answers = frozenset({"note"})

    headline: Text | None = Field(None, description="As written in current_quarter.plays")
    status: PlayStatus | None = Field(None, description="on track, at risk, done or dropped")
    note: Text | None = None


class CheckIn(Section):
    """A monthly review: the numbers that day, each skill and play, the audibles agreed."""

    optional_answers = frozenset({"skills", "plays", "audibles"})

    date: Date | None = None
    closed_won: Money | None = Field(None, description="Closed won this quarter by the date")
    open_pipeline: Money | None = Field(None, description="Open pipeline closing this quarter")
    skills: Annotated[list[CheckInSkill], BLANK_IS_EMPTY] = Field(default_factory=list)
    plays: Annotated[list[CheckInPlay], BLANK_IS_EMPTY] = Field(default_factory=list)
    audibles: Annotated[list[Text | None], BLANK_IS_EMPTY] = Field(default_factory=list)


# --- The whole file ---------------------------------------------------------------------------


class Answers(Section):
    """One seller's answers for one quarter."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        title="qsrkit answers file",
        json_schema_extra={"$comment": "Generated by `qsrkit schema`."},
    )
    optional_answers = frozenset({"manager", "review_date", "team_message", "check_ins"})

    schema_version: int = Field(
        SCHEMA_VERSION, description="The answers-file format; qsrkit writes this for you"
    )
    account_executive: Text | None = None
    manager: Text | None = None
    quarter: Quarter | None = Field(None, description="The quarter being planned, e.g. 2026-Q4")
    preparation_date: Date | None = None
    review_date: Date | None = None
    team_message: Text | None = None

    previous_quarter: PreviousQuarter = Field(default_factory=PreviousQuarter)
    crm_pledge: CrmPledge = Field(default_factory=CrmPledge)
    skill_development: Annotated[list[SkillPlan], TWO_SKILLS] = Field(default_factory=list)
    current_quarter: CurrentQuarter = Field(default_factory=CurrentQuarter)
    check_ins: Annotated[list[CheckIn], BLANK_IS_EMPTY] = Field(
        default_factory=list, description="The monthly check-ins, oldest first (`qsrkit check-in`)"
    )

    @property
    def send_by(self) -> dt.date | None:
        """When the completed QSR reaches the manager: 48 hours before the review meeting."""
        return self.review_date - dt.timedelta(days=2) if self.review_date else None

    @field_validator("schema_version", mode="before")
    @classmethod
    def _known_version(cls, value: Any) -> int:
        try:
            version = int(str(value).strip())
        except ValueError:
            raise ValueError(f"must be a whole number such as {SCHEMA_VERSION}") from None
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"this file uses format {version}, written by a newer qsrkit; this qsrkit reads up "
                f"to format {SCHEMA_VERSION}: upgrade with `pip install -U qsrkit`"
            )
        if version < 1:
            raise ValueError(f"format {version} does not exist; use {SCHEMA_VERSION}")
        return version
