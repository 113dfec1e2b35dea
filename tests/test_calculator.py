"""The opportunity creation calculator on hand-worked cases and on properties."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qsrkit.errors import CalculationError
from qsrkit.plan.calculator import CalculatorInputs, plan

D = Decimal


def inputs(**overrides: object) -> CalculatorInputs:
    values: dict[str, object] = {
        "quota": D(300000), "closed_won": D(60000), "win_rate": D("0.25"),
        "open_pipeline": D(400000), "avg_deal_size": D(20000), "weeks_to_work": D(10),
    }
    values.update(overrides)
    return CalculatorInputs(**values)  # type: ignore[arg-type]


def test_hand_worked_100_and_150() -> None:
    # 100%: target 300,000; gap 240,000; pipeline needed 240,000 / 0.25 = 960,000;
    # to create 960,000 - 400,000 = 560,000; 560,000 / 20,000 = 28 opps; 2.8 a week; 56,000 a week.
    # 150%: target 450,000; gap 390,000; needed 1,560,000; to create 1,160,000; 58 opps; 5.8; 116,000.
    hundred, one_fifty = plan(inputs())
    assert (hundred.target, hundred.gap_to_goal, hundred.pipeline_needed) == (D(300000), D(240000), D(960000))
    assert (hundred.pipeline_to_create, hundred.opps_needed) == (D(560000), 28)
    assert (hundred.opps_per_week, hundred.pipeline_per_week) == (D("2.8"), D(56000))
    assert (one_fifty.target, one_fifty.gap_to_goal, one_fifty.pipeline_needed) == (D(450000), D(390000), D(1560000))
    assert (one_fifty.pipeline_to_create, one_fifty.opps_needed) == (D(1160000), 58)
    assert (one_fifty.opps_per_week, one_fifty.pipeline_per_week) == (D("5.8"), D(116000))


def test_opportunities_round_up() -> None:
    # to create: 100,000 / 0.5 - 0 = 200,000; 200,000 / 30,000 = 6.67 -> 7 opportunities
    [result] = plan(inputs(quota=D(100000), closed_won=D(0), win_rate=D("0.5"), open_pipeline=D(0),
                           avg_deal_size=D(30000)), (D(100),))
    assert result.opps_needed == 7


def test_clamps_when_already_there() -> None:
    # Closed won beyond target: no gap. Open pipeline beyond need: nothing to create.
    [done] = plan(inputs(closed_won=D(500000)), (D(100),))
    assert done.gap_to_goal == 0 and done.pipeline_to_create == 0 and done.opps_needed == 0
    [covered] = plan(inputs(open_pipeline=D(5000000)), (D(100),))
    assert covered.pipeline_needed == D(960000) and covered.pipeline_to_create == 0


def test_meeting_rate_gives_meetings_per_week() -> None:
    [result] = plan(inputs(meeting_rate=D("0.5")), (D(100),))
    assert result.meetings_per_week == D("5.6")


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"win_rate": D(0)}, "win rate must be above 0%"),
        ({"avg_deal_size": D(0)}, "average deal size must be above 0"),
        ({"weeks_to_work": D(0)}, "weeks to work must be above 0"),
        ({"weeks_to_work": D(-2)}, "weeks to work must be above 0"),
        ({"quota": D(-1)}, "quota cannot be negative"),
        ({"open_pipeline": D(-1)}, "open pipeline cannot be negative"),
        ({"weeks_to_work": D(52000)}, "weeks to work is 52000, but a quarter has at most 14 weeks"),
    ],
)
def test_impossible_inputs_are_clear_errors(override: dict[str, Decimal], message: str) -> None:
    with pytest.raises(CalculationError, match=message):
        plan(inputs(**override))


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
positive_money = st.decimals(min_value=D("0.01"), max_value=10**9, places=2)
rate = st.decimals(min_value=D("0.001"), max_value=1, places=3)
weeks = st.decimals(min_value=D("0.1"), max_value=14, places=1)  # a quarter is at most 14 weeks
targets = st.lists(st.decimals(min_value=1, max_value=500, places=0), min_size=1, max_size=4)


@given(q=money, c=money, w=rate, p=money, a=positive_money, k=weeks, ts=targets)
def test_properties(q: D, c: D, w: D, p: D, a: D, k: D, ts: list[D]) -> None:
    plans = plan(CalculatorInputs(q, c, w, p, a, k), tuple(ts))  # valid inputs never raise
    assert [x.percent_of_quota for x in plans] == ts  # one result per target, in order
    for x in plans:
        assert x.gap_to_goal >= 0 and x.pipeline_to_create >= 0 and x.opps_needed >= 0
        assert x.opps_needed * a >= x.pipeline_to_create  # enough opportunities to cover it
        assert (x.opps_needed - 1) * a < x.pipeline_to_create or x.opps_needed == 0
        # pipeline needed is whole and covers the gap at the win rate, by less than one unit
        assert x.pipeline_needed == x.pipeline_needed.to_integral_value()
        assert x.pipeline_needed * w >= x.gap_to_goal > (x.pipeline_needed - 1) * w or x.gap_to_goal == 0
    ordered = sorted(plans, key=lambda x: x.percent_of_quota)
    for lower, higher in itertools.pairwise(ordered):  # a higher target never needs fewer
        assert higher.opps_needed >= lower.opps_needed
        assert higher.pipeline_to_create >= lower.pipeline_to_create


def test_every_figure_follows_from_the_figures_shown() -> None:
    # Quota 480,000, nothing closed, win rate 33.333333%, 640,000 open, 20,000 deals, 10 weeks.
    # Needed 480,000 / 0.33333333 = 1,440,000.0144 -> 1,440,001 (whole, up); to create
    # 1,440,001 - 640,000 = 800,001; 800,001 / 20,000 = 40.00005 -> 41 opportunities.
    # Rounded the old way, the table showed $800,000 to create and 41, which does not add up.
    [result] = plan(inputs(quota=D(480000), closed_won=D(0), win_rate=D("0.33333333"),
                           open_pipeline=D(640000)), (D(100),))
    assert result.pipeline_needed == D(1440001)
    assert result.pipeline_to_create == D(800001)
    assert result.opps_needed == 41
    # deals to close won: 480,000 / 20,000 = 24
    assert result.wins_needed == 24
