"""`qsrkit new --crm`: one rep's answers file, or a whole team's, with the CRM numbers in place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from qsrkit.config import OrgConfig
from qsrkit.crm.prefill import CrmRequest, metrics_for, prefill_for
from qsrkit.errors import UsageError, WriteError
from qsrkit.filenames import default_file_name
from qsrkit.scaffold.writer import NewResult, new_answers


def new_from_crm(
    path: Path | None,
    request: CrmRequest,
    *,
    rep: str,
    previous: Path | None,
    force: bool,
    config: OrgConfig,
    today: dt.date | None = None,
) -> NewResult:
    """One rep's answers file with the CRM numbers in place."""
    if not rep.strip():
        raise UsageError("--rep is empty; give the owner's name as the export writes it")
    found = metrics_for(request, config, today=today)
    metrics = found.find(rep)
    return new_answers(path, rep=metrics.rep, quarter=metrics.quarter, previous=previous,
                       force=force, config=config, today=today, prefill=prefill_for(metrics, request))


@dataclass
class TeamResult:
    written: list[NewResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # existed, and no --force
    notes: list[str] = field(default_factory=list)


def new_team(folder: Path, request: CrmRequest, *, force: bool, config: OrgConfig,
             today: dt.date | None = None) -> TeamResult:
    """One answers file per rep (in the export, or in the team list) in `folder`.

    Every file is rendered before any is written; existing ones are skipped unless `force`.
    """
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"--team {folder} is a file; give a folder")
    found = metrics_for(request, config, today=today)
    result = TeamResult(notes=list(found.notes))
    plans = []
    for metrics in found.reps:
        target = folder / default_file_name(metrics.rep, metrics.quarter)
        if target.exists() and not force:
            result.skipped.append(target)
            continue
        plans.append((metrics, target, prefill_for(metrics, request)))
    # Every input has been read and every number computed: only the writes are left.
    folder.mkdir(parents=True, exist_ok=True)
    for metrics, target, prefill in plans:
        result.written.append(new_answers(
            target, rep=metrics.rep, quarter=metrics.quarter, previous=None, force=force,
            config=config, today=today, prefill=prefill))
    return result
