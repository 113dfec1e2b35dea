"""One page per rep for the review meeting: seed 001's six questions, answered from the QSR.

A leader who knows, for each rep, what they said they would do, what they did, what worked,
what did not, what they learned and what they will do next can make the number. Each answer is
taken from the rep's own words in their answers file:

    said they would do   last quarter's QSR (`--previous-dir`): its plays, its personal goal and
                         weekly plan, its skills; else this QSR's memory of them: the plays
                         it names, last quarter's goals, the focus skills' targets
    did                  last quarter's results against those goals, the plays' outcomes, the
                         focus skills' results
    worked / did not     previous_quarter.diagnosis: replicate / improve
    learned              previous_quarter.lessons: learned, environment
    will do next         current_quarter.plays (with their bullets)

An answer with nothing behind it reads "not answered". The skills for this quarter, the
calculator's weekly need beside the rep's plan and a few questions to open the conversation
follow: seed 002 asks for coaching, not grilling, so the questions ask for the rep's view
instead of stating a verdict. Nothing here prints or renders.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from qsrkit import formatting as fmt
from qsrkit.team.glance import BEHIND_PACE, PLAN_SHORT, THIN_PIPELINE

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers
    from qsrkit.team.glance import RepRow
    from qsrkit.team.roster import RepFile

NOT_ANSWERED = "not answered"
QUESTIONS = (
    ("said", "What they said they would do"),
    ("did", "What they did"),
    ("worked", "What worked"),
    ("did_not_work", "What did not work"),
    ("learned", "What they learned"),
    ("next", "What they will do next"),
)


def _given(*values: object) -> list[str]:
    return [str(v) for v in values if v not in (None, "")]


def _vs(actual: str | None, goal: str | None, what: str) -> str | None:
    if actual is None and goal is None:
        return None
    if goal is None:
        return f"{what}: {actual}"
    if actual is None:
        return f"{what}: goal {goal}, result not given"
    return f"{what}: {actual} against a goal of {goal}"


def said_and_did(answers: Answers, previous: Answers | None,
                 symbol: str) -> tuple[list[str], list[str]]:
    """What the rep set out to do last quarter, and what came of it."""
    prev = answers.previous_quarter
    m = prev.metrics

    def money(value: Decimal | None) -> str | None:
        return None if value is None else fmt.money(value, symbol)

    def count(value: Decimal | int | None) -> str | None:
        return None if value is None else fmt.number(value)

    def rate(value: Decimal | None) -> str | None:
        return None if value is None else fmt.percent(value)

    said: list[str] = []
    if previous is not None:  # last quarter's own QSR: the plan as it was written then
        out = previous.current_quarter.outlook
        if out.personal_goal_amount is not None:
            said.append(f"Personal goal {fmt.money(out.personal_goal_amount, symbol)}"
                        + (f" on a quota of {fmt.money(out.quota, symbol)}" if out.quota else ""))
        if out.weekly_opportunity_goal is not None:
            said.append(f"{fmt.number(out.weekly_opportunity_goal)} qualified opportunities a week")
        said += [_play(p.headline, p.bullets) for p in previous.current_quarter.plays
                 if p.headline or any(p.bullets)]
        said += [f"Skill: {s.skill}" + (f" ({s.target})" if s.target else "")
                 for s in previous.skill_development if s.skill]
    else:
        if m.personal_goal is not None:
            said.append(f"Personal goal {fmt.money(m.personal_goal, symbol)}"
                        + (f" on a quota of {fmt.money(m.quota, symbol)}" if m.quota else ""))
        if m.weekly_opportunities.goal is not None:
            said.append(f"{fmt.number(m.weekly_opportunities.goal)} qualified opportunities a week")
        said += [f"Play: {p.headline}" for p in prev.plays if p.headline]
        said += [f"Skill: {s.skill}" + (f" ({s.target})" if s.target else "")
                 for s in prev.focus_skills if s.skill]

    did: list[str] = []
    if m.actual_revenue is not None:
        line = f"Closed {fmt.money(m.actual_revenue, symbol)}"
        if m.percent_of_quota is not None:
            line += f", {fmt.percent(m.percent_of_quota)} of quota"
        if m.percent_of_personal_goal is not None:
            line += f" and {fmt.percent(m.percent_of_personal_goal)} of the personal goal"
        did.append(line)
    did += _given(
        _vs(count(m.weekly_opportunities.actual), count(m.weekly_opportunities.goal),
            "Qualified opportunities a week"),
        _vs(rate(m.win_rate.actual), rate(m.win_rate.goal), "Win rate"),
        _vs(money(m.average_deal_size.actual), money(m.average_deal_size.goal),
            "Average deal size"),
    )
    did += [f"{p.headline or 'A play'}: {p.outcome}" for p in prev.plays if p.outcome]
    did += [f"{s.skill or 'A skill'}: {s.actual}" for s in prev.focus_skills if s.actual]
    return said, did


def _play(headline: str | None, bullets: list[str | None]) -> str:
    points = [b for b in bullets if b]
    text = headline or "A play"
    return f"{text}: {'; '.join(points)}" if points else text


def six_answers(answers: Answers, previous: Answers | None, symbol: str) -> dict[str, list[str]]:
    """Seed 001's six answers, each a list of lines (empty: not answered)."""
    said, did = said_and_did(answers, previous, symbol)
    prev = answers.previous_quarter
    lessons = prev.lessons
    return {
        "said": said,
        "did": did,
        "worked": _given(*prev.diagnosis.replicate),
        "did_not_work": _given(*prev.diagnosis.improve),
        "learned": _given(lessons.learned, *(
            [f"What changed around them: {lessons.environment}"] if lessons.environment else [])),
        "next": [_play(p.headline, p.bullets) for p in answers.current_quarter.plays
                 if p.headline or any(p.bullets)],
    }


def skills(answers: Answers) -> list[dict[str, str]]:
    """This quarter's two skills: the skill, its target and actions, the goal it serves."""
    return [{"skill": s.skill or NOT_ANSWERED, "target": s.target or NOT_ANSWERED,
             "goal": s.goal or NOT_ANSWERED}
            for s in answers.skill_development if s.skill or s.target or s.goal]


def weekly_needs(row: RepRow, symbol: str) -> list[dict[str, str]]:
    """The calculator's weekly need for each target beside the rep's own weekly plan."""
    from qsrkit.plan.rows import target_label

    if not row.plans:
        return []
    return [{"target": target_label(p.percent_of_quota, p.personal_goal),
             "opportunities": fmt.significant(p.opps_per_week, up=True),
             "pipeline": fmt.money_up(p.pipeline_per_week, symbol),
             "to_create": fmt.money_up(p.pipeline_to_create, symbol)}
            for p in row.plans]


def prompts(row: RepRow, said: dict[str, list[str]], first: str) -> list[str]:
    """Questions to open the conversation, from what stands out; the rep's view first."""
    asked: list[str] = []
    if said["worked"]:
        asked.append(f"You would keep doing \"{said['worked'][0]}\": what made it work, and "
                     "who on the team could use it?")
    if not said["learned"]:
        asked.append(f"What did last quarter teach you, {first}, and what has changed in "
                     "your accounts or your market?")
    if BEHIND_PACE in row.flags and row.weekly_opps_needed is not None:
        asked.append(
            f"Quota needs {fmt.significant(row.weekly_opps_needed, up=True)} new opportunities "
            f"a week; last quarter you created {fmt.number(row.weekly_opps_last)}. What would "
            "have to change in your week to close that gap, and how can I help?")
    if PLAN_SHORT in row.flags and row.weekly_opps_needed_goal is not None:
        plan = (f"you plan {fmt.number(row.weekly_opps_planned)} a week"
                if row.weekly_opps_planned is not None else "there is no weekly plan yet")
        asked.append(
            f"Your goal needs {fmt.significant(row.weekly_opps_needed_goal, up=True)} "
            f"opportunities a week and {plan}: is it more opportunities, larger deals or a "
            "higher win rate that gets you there?")
    if THIN_PIPELINE in row.flags:
        asked.append("Your open pipeline covers less of your gap than most of the team's: "
                     "which of your plays builds pipeline in the first weeks?")
    if said["did_not_work"]:
        asked.append(f"You want to improve \"{said['did_not_work'][0]}\": what will you do "
                     "differently this quarter, and how will we both know it is working?")
    if row.calculator_note:
        asked.append("The plan's numbers are not complete yet: which of them are still open, "
                     "and when will you have them?")
    return asked[:5]


def page(entry: RepFile, row: RepRow, previous: Answers | None, symbol: str,
         previous_file: str = "") -> dict[str, Any]:
    """The context of one rep's page (display strings)."""
    answers = entry.answers
    assert answers is not None
    said = six_answers(answers, previous, symbol)
    first = entry.rep.split()[0] if entry.rep.split() else entry.rep
    return {
        "name": entry.rep,
        "quarter": answers.quarter or "",
        "review_date": answers.review_date.isoformat() if answers.review_date else "",
        "status": entry.status,
        "previous_file": previous_file,
        "answers": [{"key": key, "question": label, "lines": said[key]}
                    for key, label in QUESTIONS],
        "skills": skills(answers),
        "weekly_plan": (fmt.number(row.weekly_opps_planned)
                        if row.weekly_opps_planned is not None else NOT_ANSWERED),
        "weekly_needs": weekly_needs(row, symbol),
        "calculator_missing": row.calculator_note,
        "flags": row.flags,
        "prompts": prompts(row, said, first),
        "crm": None,
    }
