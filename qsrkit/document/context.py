"""The view context: everything the QSR template prints, as display strings.

Answers, the org config and the calculator's plan go in; text comes out, with a blank to write on
wherever an answer is missing. No template, no file output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.answers.screenshots import Folder, Picture, load_screenshot
from qsrkit.document import plan_view
from qsrkit.document.asked import asked
from qsrkit.document.charts_qsr import qsr_charts
from qsrkit.document.checkin_view import check_ins
from qsrkit.document.dashboard_view import crm_view
from qsrkit.document.reflection import reflection, text
from qsrkit.document.sandbox import BLANK, IMAGE_SCHEME, Screenshot
from qsrkit.document.wording import labels_for
from qsrkit.errors import Problem

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers, Dashboard
    from qsrkit.answers.yamlsource import YamlDocument
    from qsrkit.config import OrgConfig
    from qsrkit.crm.dashboard_export import CrmData


def build_context(
    answers: Answers, config: OrgConfig, *, answers_dir: Path | None = None,
    found: Findings | None = None, source: YamlDocument | None = None,
    instructions: bool = False, crm: CrmData | None = None,
) -> dict[str, Any]:
    """Everything the template prints, as display strings (blanks where answers are missing).

    `answers_dir` anchors screenshot paths; `source` (the answers file as loaded) locates the
    warnings about them; `found` collects those warnings and the pictures read; `instructions`
    adds the how-to for a rep about to fill in the blank document; `crm` (the export of
    `render --crm`) fills Section 4's dashboards."""
    labels = labels_for(config)
    found = found if found is not None else Findings()
    notes = found.warnings
    symbol = config.currency_symbol
    pledge = answers.crm_pledge
    pledges = [
        {"factor": labels["accuracy"], "actions": [text(a) for a in pledge.accuracy]},
        {"factor": labels["updates"], "actions": [text(a) for a in pledge.updates]},
        {"factor": labels["forecasting"], "actions": [text(a) for a in pledge.forecasting]},
    ]
    skills = [
        {"goal": text(s.goal), "skill": text(s.skill), "target": text(s.target),
         "actual": text(s.actual)}
        for s in answers.skill_development
    ] or [{"goal": BLANK, "skill": BLANK, "target": BLANK, "actual": BLANK}] * 2

    current = answers.current_quarter
    dashboards = _dashboards(config, current.dashboards, answers_dir, found, labels, source)
    plans, calculator = plan_view.calculator(answers, config, notes, labels)
    outlook = plan_view.outlook(current.outlook, plans, calculator["columns"], labels, symbol)
    plays = [_play(p.headline, p.bullets) for p in current.plays
             if p.headline or any(p.bullets)] or [{"headline": BLANK, "bullets": []}] * 3

    rep = answers.account_executive
    crm_board, weekly_created, crm_charts = crm_view(crm, rep, answers.quarter, config, labels,
                                                     plans, calculator["columns"], notes)
    team_message = answers.team_message or config.team_message
    return {
        "label": labels,
        "blank": BLANK,
        "instructions": instructions,
        "company": config.company or "",
        "currency": config.currency,
        "currency_symbol": symbol,
        "rep": text(rep),
        "manager": text(answers.manager),
        "quarter": text(answers.quarter),
        "preparation_date": text(answers.preparation_date and answers.preparation_date.isoformat()),
        "review_date": answers.review_date.isoformat() if answers.review_date else "",
        "send_by": answers.send_by.isoformat() if answers.send_by else "",
        "team_message": team_message or BLANK,
        **reflection(answers.previous_quarter, labels, symbol),
        "pledge": pledges,
        "skills": skills,
        "dashboards": dashboards,
        "crm": crm_board,
        "weekly_created": weekly_created,
        "outlook": outlook,
        "calculator": calculator,
        "plays": plays,
        "charts": {**qsr_charts(answers.previous_quarter, plans, calculator["columns"], labels,
                                symbol, answers.previous_quarter.quarter or ""),
                   **crm_charts},
        "asked": asked(answers, list(config.questions), symbol),
        "check_ins": check_ins(answers, config, labels),
    }


def _play(headline: str | None, bullets: list[str | None]) -> dict[str, Any]:
    # A bullet left blank in a play that has others is dropped: it would hang on the page alone.
    typed = [b for b in bullets if b]
    return {"headline": text(headline), "bullets": typed or [BLANK] * min(len(bullets), 1)}


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
