"""`qsrkit new --crm`: one rep's answers file, or a whole team's, with the CRM numbers in place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from qsrkit.config import OrgConfig
from qsrkit.crm.prefill import CrmRequest, metrics_for, prefill_for
from qsrkit.errors import UsageError, WriteError
from qsrkit.filenames import clashes, default_file_name, quoted_list
from qsrkit.scaffold.writer import NewResult, new_answers, prepare_new, write_new


def new_from_crm(
    path: Path | None,
    request: CrmRequest,
    *,
    rep: str,
    previous: Path | None,
    force: bool,
    config: OrgConfig,
    today: dt.date | None = None,
    into_folder: bool = False,
) -> NewResult:
    """One rep's answers file with the CRM numbers in place."""
    if not rep.strip():
        raise UsageError("--rep is empty; give the owner's name as the export writes it")
    found = metrics_for(request, config, today=today)
    metrics = found.find(rep)
    return new_answers(path, rep=metrics.rep, quarter=metrics.quarter, previous=previous,
                       force=force, config=config, today=today,
                       prefill=prefill_for(metrics, request), into_folder=into_folder,
                       inputs=crm_inputs(request))


def crm_inputs(request: CrmRequest) -> list[tuple[Path, str]]:
    """The files a CRM run reads, which no file it writes may replace."""
    named = [(request.export, "CRM export"), (request.quotas, "quotas file"),
             (request.columns, "columns mapping file"), (request.team_list, "team list")]
    return [(path, role) for path, role in named if path is not None]


@dataclass
class TeamResult:
    written: list[NewResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # existed, and no --force
    notes: list[str] = field(default_factory=list)


def new_team(folder: Path, request: CrmRequest, *, force: bool, config: OrgConfig,
             today: dt.date | None = None) -> TeamResult:
    """One answers file per rep (in the export, or in the team list) in `folder`.

    All or nothing: every file is made in memory, two reps whose names give one file name are
    refused together, and then every file is written or, if one cannot be, none. Existing files
    are skipped (and listed) unless `force`.
    """
    if folder.exists() and not folder.is_dir():
        raise WriteError(f"--team {folder} is a file; give a folder")
    found = metrics_for(request, config, today=today)
    result = TeamResult(notes=list(found.notes))
    targets = [(folder / default_file_name(m.rep, m.quarter), m) for m in found.reps]
    clashing = clashes((path, m.rep) for path, m in targets)
    if clashing:
        path, reps = clashing[0]
        others = f" (and {len(clashing) - 1} more file name(s) shared)" if len(clashing) > 1 else ""
        raise WriteError(
            f"{quoted_list(reps)} would both be written to {path}{others}; nothing was written",
            hint="write one of them on its own: qsrkit new --crm EXPORT --rep NAME FILE.yaml, "
            "and leave the others to --team with a --team-list",
        )
    files = []
    for target, metrics in targets:
        if target.exists() and not force:
            result.skipped.append(target)
            continue
        files.append(prepare_new(target, rep=metrics.rep, quarter=metrics.quarter, previous=None,
                                 config=config, today=today,
                                 prefill=prefill_for(metrics, request)))
    # Every input has been read and every file made: only the writes are left.
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create the folder {folder}: {exc.strerror or exc}; "
                         "nothing was written", hint="choose a folder you can write to") from None
    result.written = write_new(files, force=force, inputs=crm_inputs(request)) if files else []
    return result
