"""The opportunity creation calculator: how much pipeline, and how many opportunities a week, a
seller must create to reach each target. Pure: numbers in, numbers out, no I/O.

For quota Q, closed won so far C, win rate W (a fraction), open pipeline P, average deal size A,
weeks to work K and target percent T:

    target             = Q × T / 100
    wins_needed        = ⌈target / A⌉            deals to close won for the whole target
    gap_to_goal        = max(0, target − C)
    pipeline_needed    = ⌈gap_to_goal / W⌉       in whole currency units
    pipeline_to_create = max(0, pipeline_needed − P)
    opps_needed        = ⌈pipeline_to_create / A⌉
    opps_per_week      = opps_needed / K
    pipeline_per_week  = pipeline_to_create / K

What a seller must build is rounded up, never down, and pipeline needed is whole before the
rest is computed from it, so every figure shown follows from the figures shown above it (a
33.333333% win rate cannot show $320,000 to create and then 17 opportunities of $20,000).
The weekly figures keep full precision; `rows` rounds them up where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_CEILING, Decimal

from qsrkit.errors import CalculationError
from qsrkit.formatting import rounded

DEFAULT_TARGETS = (Decimal(100), Decimal(150))
# A fiscal quarter is 13 weeks, 14 in a 53-week year: more is a typing mistake, and it would
# show a weekly need of nearly nothing.
MAX_WEEKS = Decimal(14)


@dataclass(frozen=True)
class CalculatorInputs:
    quota: Decimal
    closed_won: Decimal
    win_rate: Decimal  # a fraction: 0.25 for 25%
    open_pipeline: Decimal
    avg_deal_size: Decimal
    weeks_to_work: Decimal
    meeting_rate: Decimal | None = None  # qualified opportunities per meeting
    # The rep's own goal as a percent of quota; the target equal to it is marked as theirs.
    personal_goal_percent: Decimal | None = None


@dataclass(frozen=True)
class TargetPlan:
    percent_of_quota: Decimal
    target: Decimal
    closed_won: Decimal
    wins_needed: int
    win_rate: Decimal
    gap_to_goal: Decimal
    pipeline_needed: Decimal
    open_pipeline: Decimal
    pipeline_to_create: Decimal
    avg_deal_size: Decimal
    opps_needed: int
    weeks_to_work: Decimal
    opps_per_week: Decimal
    pipeline_per_week: Decimal
    meetings_per_week: Decimal | None = None
    personal_goal: bool = False  # this target is the rep's own goal

    def as_json(self) -> dict[str, int | float | None]:
        """Plain JSON numbers: money to the cent, rates and weekly figures to two decimals."""
        out: dict[str, int | float | None] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "meetings_per_week" and value is None:
                continue
            if isinstance(value, int):  # counts, and the personal_goal flag (a bool)
                out[f.name] = value
            elif f.name == "win_rate":
                out[f.name] = float(value)
            else:
                out[f.name] = float(rounded(value, 2))
        return out


def validate(inputs: CalculatorInputs) -> None:
    """Raise CalculationError naming every input that cannot give a meaningful answer."""
    problems = []
    for name in ("quota", "closed_won", "open_pipeline", "avg_deal_size"):
        if getattr(inputs, name) < 0:
            problems.append(f"{name.replace('_', ' ')} cannot be negative")
    if inputs.win_rate <= 0:
        problems.append("win rate must be above 0%: with no wins, no amount of pipeline reaches a target")
    elif inputs.win_rate > 1:
        problems.append("win rate cannot be above 100%")
    if inputs.avg_deal_size <= 0:
        problems.append("average deal size must be above 0 to turn pipeline into a count of opportunities")
    if inputs.weeks_to_work <= 0:
        problems.append("weeks to work must be above 0: the quarter has no selling time left")
    elif inputs.weeks_to_work > MAX_WEEKS:
        problems.append(f"weeks to work is {inputs.weeks_to_work.normalize():f}, but a quarter "
                        f"has at most {MAX_WEEKS} weeks; count the weeks left in this quarter")
    if inputs.meeting_rate is not None and inputs.meeting_rate <= 0:
        problems.append("meeting rate (qualified opportunities per meeting) must be above 0")
    if problems:
        raise CalculationError("; ".join(problems))


def plan(inputs: CalculatorInputs, targets: tuple[Decimal, ...] = DEFAULT_TARGETS) -> list[TargetPlan]:
    """One TargetPlan per target percent, in the order given."""
    validate(inputs)
    if not targets:
        raise CalculationError("give at least one target percent, e.g. 100")
    for percent in targets:
        if percent <= 0:
            raise CalculationError(f"target {percent}% must be above 0% of quota")
    return [_plan_one(inputs, percent) for percent in targets]


def _plan_one(inputs: CalculatorInputs, percent: Decimal) -> TargetPlan:
    target = inputs.quota * percent / 100
    gap = max(Decimal(0), target - inputs.closed_won)
    pipeline_needed = _up(gap / inputs.win_rate)
    to_create = max(Decimal(0), pipeline_needed - inputs.open_pipeline)
    opps_needed = _up(to_create / inputs.avg_deal_size)
    opps_per_week = Decimal(opps_needed) / inputs.weeks_to_work
    meetings = None
    if inputs.meeting_rate is not None:
        meetings = opps_per_week / inputs.meeting_rate
    return TargetPlan(
        percent_of_quota=percent,
        target=target,
        closed_won=inputs.closed_won,
        wins_needed=_up(target / inputs.avg_deal_size),
        win_rate=inputs.win_rate,
        gap_to_goal=gap,
        pipeline_needed=Decimal(pipeline_needed),
        open_pipeline=inputs.open_pipeline,
        pipeline_to_create=to_create,
        avg_deal_size=inputs.avg_deal_size,
        opps_needed=opps_needed,
        weeks_to_work=inputs.weeks_to_work,
        opps_per_week=opps_per_week,
        pipeline_per_week=to_create / inputs.weeks_to_work,
        meetings_per_week=meetings,
        personal_goal=percent == inputs.personal_goal_percent,
    )


def _up(value: Decimal) -> int:
    """The whole number at or above `value`: a seller cannot create 0.4 of an opportunity."""
    return int(value.to_integral_value(rounding=ROUND_CEILING))
