"""`qsrkit team`: read a team's answers files once and gather the manager's pack.

`readiness` is the roster alone (for `--status`); `build` adds the team at a glance, the page
per rep and, with a CRM export, `qsrkit diagnose`'s figures and questions for each rep.
`pack_json` is the pack as `--format json` prints it. Nothing here prints or renders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.crm import names
from qsrkit.errors import Problem, UsageError
from qsrkit.team import glance
from qsrkit.team.roster import (
    STATUSES,
    RepFile,
    answers_files,
    expected_reps,
    read_rep_file,
    roster,
)

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers
    from qsrkit.config import OrgConfig


@dataclass
class TeamRequest:
    """What `qsrkit team` was asked for, as typed."""

    inputs: list[Path]
    team_list: Path | None = None
    crm: Path | None = None
    history: Path | None = None
    previous_dir: Path | None = None
    team_quota: str | None = None
    as_of: str | None = None


@dataclass
class Readiness:
    as_of: dt.date
    reps: list[RepFile]
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {status: sum(1 for r in self.reps if r.status == status) for status in STATUSES}

    @property
    def needs_attention(self) -> bool:
        """`--status` fails when a rep is late, has errors or has no file."""
        from qsrkit.team.roster import LATE, MISSING

        return any(r.status in (LATE, MISSING) or r.errors for r in self.reps)

    @property
    def quarter(self) -> str:
        found = sorted({r.quarter for r in self.reps if r.quarter})
        return found[-1] if found else ""

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.reps for p in r.errors]


@dataclass
class TeamPack:
    readiness: Readiness
    rows: list[glance.RepRow]
    summary: glance.Summary
    pages: list[dict[str, Any]]
    crm_period: str = ""


def _today(as_of: str | None) -> dt.date:
    from qsrkit.answers.parse import parse_date

    if as_of is None:
        return dt.date.today()
    try:
        return parse_date(as_of)
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None


def readiness(request: TeamRequest, config: OrgConfig) -> Readiness:
    """Every expected rep, their file and its status on `--as-of` (default today)."""
    today = _today(request.as_of)
    if not request.inputs:
        raise UsageError("give the team's folder or its answers files",
                         hint="e.g. qsrkit team team/ --status")
    files = answers_files(request.inputs)
    expected = expected_reps(request.team_list, config)
    if not files and expected is None:
        raise UsageError(f"no answers files (*.yaml) in {', '.join(map(str, request.inputs))}",
                         hint="write them with `qsrkit new --team DIR`, or name the reps with "
                         "--team-list so the missing ones are listed")
    reps, notes = roster(files, expected, config, today)
    return Readiness(today, reps, notes)


def _team_quota(request: TeamRequest, config: OrgConfig) -> Decimal | None:
    if request.team_quota is None:
        return config.team_quota
    from qsrkit.answers.parse import parse_money

    try:
        return parse_money(request.team_quota)
    except ValueError as exc:
        raise UsageError(f"--team-quota {request.team_quota}: {exc}") from None


def _previous(folder: Path | None, config: OrgConfig) -> tuple[dict[str, tuple[Answers, str]],
                                                               list[str]]:
    """Last quarter's QSRs by rep (the latest quarter when a rep has several)."""
    if folder is None:
        return {}, []
    if not folder.is_dir():
        raise UsageError(f"--previous-dir {folder}: no such folder")
    found: dict[str, tuple[Answers, str]] = {}
    notes = []
    for path in answers_files([folder]):
        entry = read_rep_file(path, config)
        if entry.answers is None:
            notes.append(f"{path}: left out of what reps said they would do ({len(entry.errors)} "
                         "error(s); `qsrkit check` lists them)")
            continue
        key = names.key(entry.rep)
        if key not in found or (entry.quarter or "") > (found[key][0].quarter or ""):
            found[key] = (entry.answers, path.name)
    return found, notes


def build(request: TeamRequest, config: OrgConfig) -> TeamPack:
    """The whole pack: readiness, the team at a glance, a page per rep (and the CRM's view)."""
    from qsrkit.team.pages import page

    if request.history is not None and request.crm is None:
        raise UsageError("--history adds snapshots to a CRM export: give --crm EXPORT too")
    team_quota = _team_quota(request, config)
    ready = readiness(request, config)
    previous, notes = _previous(request.previous_dir, config)
    ready.notes += notes
    readable = [r for r in ready.reps if r.answers is not None]
    rows = [glance.rep_row(r, config) for r in readable]
    glance.raise_flags(rows)
    summary = glance.summarise(rows, team_quota)
    symbol = config.currency_symbol
    pages = []
    for entry, row in zip(readable, rows, strict=True):
        before = previous.get(names.key(entry.rep))
        pages.append(page(entry, row, before[0] if before else None, symbol,
                          before[1] if before else ""))
    found = TeamPack(ready, rows, summary, pages)
    if request.crm is not None:
        _add_crm(found, request, config)
    return found


def _add_crm(found: TeamPack, request: TeamRequest, config: OrgConfig) -> None:
    """`qsrkit diagnose`'s figures beside the team's medians, and its questions, on each page."""
    from qsrkit.crm.diagnose import DiagnoseRequest, diagnose
    from qsrkit.crm.diagnosis_rows import metric_rows

    assert request.crm is not None
    diagnosis = diagnose(DiagnoseRequest(export=request.crm, history=request.history,
                                         as_of=request.as_of), config)
    found.crm_period = diagnosis.period
    by_rep = {names.key(r.rep): r for r in diagnosis.reps}
    for entry in found.pages:
        rep = by_rep.get(names.key(entry["name"]))
        if rep is None:
            entry["crm"] = {"period": diagnosis.period, "metrics": [], "flags": [],
                            "note": f"no opportunities owned by {entry['name']} in the export"}
            continue
        entry["crm"] = {
            "period": diagnosis.period,
            "metrics": [{"label": a, "rep": b, "team": c}
                        for a, b, c in metric_rows(diagnosis, rep, config.currency_symbol)],
            "flags": [{"tendency": f.tendency, "title": f.title, "because": f.because,
                       "questions": f.questions} for f in rep.flags],
            "note": rep.note,
        }
    found.readiness.notes += [p.format() for p in diagnosis.warnings] + diagnosis.notes


# --- JSON ----------------------------------------------------------------------------------


def readiness_json(ready: Readiness) -> dict[str, Any]:
    return {
        "as_of": ready.as_of.isoformat(),
        "quarter": ready.quarter or None,
        "counts": ready.counts,
        "needs_attention": ready.needs_attention,
        "reps": [{
            "rep": r.rep,
            "file": str(r.path) if r.path else None,
            "found": r.path is not None,
            "answered": r.answered if r.answers is not None else None,
            "asked": r.asked if r.answers is not None else None,
            "share_answered": round(r.share_answered, 4) if r.share_answered is not None
            and r.answers is not None else None,
            "errors": len(r.errors),
            "review_date": r.review_date.isoformat() if r.review_date else None,
            "send_by": r.send_by.isoformat() if r.send_by else None,
            "status": r.status,
            "on_team_list": r.listed,
            "notes": r.notes,
        } for r in ready.reps],
        "problems": [p.as_dict() for p in ready.problems],
        "notes": ready.notes,
    }


def pack_json(found: TeamPack) -> dict[str, Any]:
    """The pack's facts as plain JSON (the README documents the shape)."""
    return {
        "readiness": readiness_json(found.readiness),
        "team": {"reps": [glance.row_json(r) for r in found.rows],
                 **glance.summary_json(found.summary), "rules": glance.RULES},
        "pages": [{
            "rep": p["name"],
            "answers": {a["key"]: a["lines"] for a in p["answers"]},
            "previous_file": p["previous_file"] or None,
            "skills": p["skills"],
            "weekly_plan": p["weekly_plan"],
            "weekly_needs": p["weekly_needs"],
            "flags": p["flags"],
            "prompts": p["prompts"],
            "crm": p["crm"],
        } for p in found.pages],
        "crm_period": found.crm_period or None,
    }
