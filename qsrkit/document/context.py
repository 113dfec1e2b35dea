"""The view context: everything the QSR template prints, as display strings.

Answers, the org config and the calculator's plan go in; text comes out, with a blank to write on
wherever an answer is missing. No template, no file output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from qsrkit import formatting as fmt
from qsrkit.answers.screenshots import Folder, Picture, load_screenshot
from qsrkit.document.sandbox import BLANK, IMAGE_SCHEME, Screenshot
from qsrkit.document.wording import labels_for
from qsrkit.errors import Problem, QsrError, UsageError
from qsrkit.plan.rows import plan_rows, target_label

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers, Dashboard
    from qsrkit.answers.yamlsource import YamlDocument
    from qsrkit.config import OrgConfig
    from qsrkit.plan.calculator import TargetPlan


def _text(value: object) -> str:
    return BLANK if value in (None, "") else str(value)


def _ratio(actual: Decimal | None, goal: Decimal | None) -> Decimal | None:
    if actual is None or not goal:
        return None
    return actual * 100 / goal


def build_context(
    answers: Answers, config: OrgConfig, *, answers_dir: Path | None = None,
    found: Findings | None = None, source: YamlDocument | None = None,
) -> dict[str, Any]:
    """Everything the template prints, as display strings (blanks where answers are missing).

    `answers_dir` anchors screenshot paths; `source` (the answers file as loaded) locates the
    warnings about them; `found` collects those warnings and the pictures read."""
    labels = labels_for(config)
    found = found if found is not None else Findings()
    notes = found.warnings
    symbol = config.currency_symbol

    def money(value: Decimal | None) -> str:
        return fmt.money(value, symbol)

    prev = answers.previous_quarter
    m = prev.metrics
    metrics = [
        (labels["revenue_vs_quota"], money(m.quota), money(m.actual_revenue),
         fmt.percent(m.percent_of_quota)),
        (labels["revenue_vs_personal_goal"], money(m.personal_goal), money(m.actual_revenue),
         fmt.percent(m.percent_of_personal_goal)),
        (labels["weekly_meetings"], fmt.number(m.weekly_meetings.goal),
         fmt.number(m.weekly_meetings.actual),
         fmt.percent(_ratio(m.weekly_meetings.actual, m.weekly_meetings.goal))),
        (labels["weekly_opportunities"], fmt.number(m.weekly_opportunities.goal),
         fmt.number(m.weekly_opportunities.actual),
         fmt.percent(_ratio(m.weekly_opportunities.actual, m.weekly_opportunities.goal))),
        (labels["weekly_pipeline"], money(m.weekly_pipeline.goal), money(m.weekly_pipeline.actual),
         fmt.percent(_ratio(m.weekly_pipeline.actual, m.weekly_pipeline.goal))),
        (labels["win_rate"], fmt.percent(m.win_rate.goal), fmt.percent(m.win_rate.actual),
         fmt.percent(_ratio(m.win_rate.actual, m.win_rate.goal))),
        (labels["opportunities_won"], fmt.number(m.opportunities_won.goal),
         fmt.number(m.opportunities_won.actual),
         fmt.percent(_ratio(_dec(m.opportunities_won.actual), _dec(m.opportunities_won.goal)))),
        (labels["average_deal_size"], money(m.average_deal_size.goal),
         money(m.average_deal_size.actual),
         fmt.percent(_ratio(m.average_deal_size.actual, m.average_deal_size.goal))),
    ]
    focus = [
        {"skill": _text(s.skill), "target": _text(s.target), "actual": _text(s.actual)}
        for s in prev.focus_skills
    ] or [{"skill": BLANK, "target": BLANK, "actual": BLANK}] * 2
    replicate = [_text(x) for x in prev.diagnosis.replicate]
    improve = [_text(x) for x in prev.diagnosis.improve]
    rows = max(len(replicate), len(improve)) or 3
    diagnosis = [
        {"replicate": replicate[i] if i < len(replicate) else BLANK,
         "improve": improve[i] if i < len(improve) else BLANK}
        for i in range(rows)
    ]
    pledge = answers.crm_pledge
    pledges = [
        {"factor": labels["accuracy"], "actions": [_text(a) for a in pledge.accuracy]},
        {"factor": labels["updates"], "actions": [_text(a) for a in pledge.updates]},
        {"factor": labels["forecasting"], "actions": [_text(a) for a in pledge.forecasting]},
    ]
    skills = [
        {"goal": _text(s.goal), "skill": _text(s.skill), "target": _text(s.target),
         "actual": _text(s.actual)}
        for s in answers.skill_development
    ] or [{"goal": BLANK, "skill": BLANK, "target": BLANK, "actual": BLANK}] * 2

    current = answers.current_quarter
    dashboards = _dashboards(config, current.dashboards, answers_dir, found, labels, source)
    plans, columns = _calculator(answers, config, notes, labels)
    outlook = current.outlook
    weekly = [
        (f"{labels['weekly_creation_for']} {column}",
         f"{fmt.number(p.opps_per_week) if p else '___'} {labels['opportunities_short']} · "
         f"{fmt.money(p.pipeline_per_week if p else None, symbol, whole=True)}")
        for column, p in zip(columns, plans or _no_plans(len(columns)), strict=True)
    ]
    outlook_rows = [
        (labels["quota"], money(outlook.quota)),
        (labels["personal_goal"], money(outlook.personal_goal_amount)),
        (labels["personal_goal_percent"], fmt.percent(outlook.personal_goal_percent)),
        (labels["win_rate"], fmt.percent(outlook.win_rate)),
        (labels["average_deal_size"], money(outlook.average_deal_size)),
        (labels["weekly_opportunity_goal"], fmt.number(outlook.weekly_opportunity_goal)),
        *weekly,
    ]
    calc_rows = plan_rows(plans or _blank_plans(len(columns)), symbol)
    plays = [
        {"headline": _text(p.headline), "bullets": [_text(b) for b in p.bullets]}
        for p in current.plays
    ] or [{"headline": BLANK, "bullets": []}] * 3

    rep = answers.account_executive
    quarter = answers.quarter
    team_message = answers.team_message or config.team_message
    return {
        "label": labels,
        "blank": BLANK,
        "company": config.company or "",
        "currency": config.currency,
        "currency_symbol": symbol,
        "rep": _text(rep),
        "manager": _text(answers.manager),
        "quarter": _text(quarter),
        "previous_quarter": prev.quarter or "",
        "preparation_date": _text(answers.preparation_date and answers.preparation_date.isoformat()),
        "review_date": answers.review_date.isoformat() if answers.review_date else "",
        "team_message": team_message or BLANK,
        "metrics": [dict(zip(("metric", "goal", "actual", "attainment"), r, strict=True))
                    for r in metrics],
        "focus_skills": focus,
        "diagnosis": diagnosis,
        "pledge": pledges,
        "skills": skills,
        "dashboards": dashboards,
        "outlook": [{"metric": a, "value": b} for a, b in outlook_rows],
        "calculator": {
            "complete": plans is not None,
            "columns": columns,
            "rows": [{"label": label, "cells": cells} for label, cells in calc_rows],
        },
        "plays": plays,
    }


def _no_plans(count: int) -> list[TargetPlan | None]:
    return [None] * count


def _dec(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass
class Findings:
    """What building the context found besides the context itself."""

    warnings: list[str] = field(default_factory=list)  # said as they are
    problems: list[Problem] = field(default_factory=list)  # located in the answers or config
    pictures: dict[str, Picture] = field(default_factory=dict)  # image token → checked picture


def _dashboards(config: OrgConfig, own: Sequence[Dashboard], answers_dir: Path | None,
                found: Findings, labels: dict[str, str],
                source: YamlDocument | None) -> list[dict[str, Any]]:
    """The org's dashboards, then the seller's (a link or title given twice is shown once), each
    screenshot checked and read (see `screenshots`)."""
    seen: set[str] = set()
    boards: list[dict[str, Any]] = []
    shared = config.screenshots_path
    shared_folder = ([Folder(shared, f"the screenshots_folder of {_config_name(config)}")]
                     if shared is not None else [])
    answers_base = answers_dir or Path.cwd()
    config_base = config.folder or Path.cwd()
    lists = (
        (config.dashboards, config_base, config.source, ("dashboards",),
         [Folder(config_base, f"the folder of {_config_name(config)}"), *shared_folder]),
        (own, answers_base, source, ("current_quarter", "dashboards"),
         [Folder(answers_base, "the answers file's folder"), *shared_folder]),
    )
    for entries, base, where, path, folders in lists:
        for index, board in enumerate(entries):
            key = (board.link or board.title or "").strip()
            if key and key in seen:
                continue
            seen.add(key)
            screenshot = None
            if board.screenshot:
                picture = load_screenshot(board.screenshot, base, folders)
                if isinstance(picture, str):
                    found.problems.append(_located(where, (*path, index, "screenshot"), picture))
                else:
                    token = f"{IMAGE_SCHEME}{len(found.pictures) + 1}"
                    found.pictures[token] = picture
                    screenshot = Screenshot(picture.name, token)
            boards.append({
                "title": board.title or "", "link": board.link or "", "screenshot": screenshot,
                "caption": f"{labels['screenshot_of']} {board.title or board.link or ''}".strip(),
            })
    return boards or [{"title": labels["no_dashboards"], "link": "", "screenshot": None,
                       "caption": ""}] * 2


def _config_name(config: OrgConfig) -> str:
    return Path(config.source.file).name if config.source is not None else "qsrkit.yaml"


def _located(source: YamlDocument | None, path: tuple[str | int, ...], message: str) -> Problem:
    """A warning at `path` of `source`; without a source (positions unknown), field only."""
    from qsrkit.answers.yamlsource import dotted

    if source is None:
        return Problem("", 0, 0, dotted(path), message, severity="warning")
    line, column = source.position(path)
    return Problem(source.file, line, column, dotted(path), message, severity="warning")


def _calculator(answers: Answers, config: OrgConfig, notes: list[str],
                labels: dict[str, str]) -> tuple[list[TargetPlan] | None, list[str]]:
    """The calculator exactly as `qsrkit calc FILE` computes it, or None when inputs are missing."""
    from qsrkit.plan import calculator
    from qsrkit.plan.inputs import CalcFlags, resolve

    targets = list(config.targets)
    plans: list[TargetPlan] | None
    try:
        inputs, chosen = resolve(CalcFlags(), answers, config.calendar, targets)
        plans = calculator.plan(inputs, chosen)
        percents = [p.percent_of_quota for p in plans]
    except QsrError as exc:
        if not isinstance(exc, UsageError):  # missing inputs are normal in a half-filled file
            notes.append(f"the calculator was left blank: {exc.message}")
        plans, percents = None, targets
    personal = answers.current_quarter.outlook.personal_goal_percent
    columns = [
        target_label(p) + (f" ({labels['personal_goal_column']})"
                               if personal is not None and p == personal and p != 100 else "")
        for p in percents
    ]
    return plans, columns


class _Unknown:
    """Stands in for a missing figure so plan_rows prints its blanks: anything × it is unknown."""

    def __mul__(self, other: object) -> None:
        return None


def _blank_plans(count: int) -> list[TargetPlan]:
    blank = type("BlankPlan", (), {
        "target": None, "win_rate": _Unknown(), "gap_to_goal": None, "pipeline_needed": None,
        "open_pipeline": None, "pipeline_to_create": None, "avg_deal_size": None,
        "opps_needed": None, "weeks_to_work": None, "opps_per_week": None,
        "pipeline_per_week": None, "meetings_per_week": None,
    })
    return cast("list[TargetPlan]", [blank() for _ in range(count)])
