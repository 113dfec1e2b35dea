"""`qsrkit new --crm`: one rep's answers file, or a whole team's, with the CRM numbers in place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from qsrkit.config import OrgConfig
from qsrkit.crm.prefill import CrmRequest, metrics_for, prefill_for
from qsrkit.crm.samples import capped
from qsrkit.errors import Problem, UsageError, WriteError
from qsrkit.filenames import clashes, default_file_name, quoted_list
from qsrkit.scaffold.writer import NewResult, new_answers, prepare_new, write_new


@dataclass
class CrmNewResult:
    """What `qsrkit new --crm` did: one file (`single`) or a team's (`team`), and what to say."""

    single: NewResult | None = None
    team: TeamResult | None = None
    warnings: list[Problem] = field(default_factory=list)  # located, about the CRM inputs
    notes: list[str] = field(default_factory=list)


def new_with_crm(
    path: Path | None,
    request: CrmRequest,
    *,
    rep: str | None,
    previous: Path | None,
    team: Path | None,
    force: bool,
    config: OrgConfig,
    today: dt.date | None = None,
    into_folder: bool = False,
) -> CrmNewResult:
    """`qsrkit new --crm`: one rep's file (the rep from --rep, else from --previous) or, with
    `team`, every rep's. Checks that the options go together before anything is read."""
    if team is not None:
        if rep is not None or path is not None or previous is not None:
            raise UsageError("--team writes every rep's file into its folder; leave out --rep, "
                             "PATH and --previous (or leave out --team to write one rep's file)")
        written = new_team(team, request, force=force, config=config, today=today)
        return CrmNewResult(team=written, warnings=request.warnings,
                            notes=[*written.notes, *capped(request.notes)])
    notes: list[str] = []
    if previous is not None:
        from qsrkit.answers.loading import load_answers
        from qsrkit.crm.names import key as name_key

        last_rep = load_answers(previous, model=config.answers_model).model.account_executive
        if rep is None:
            rep = last_rep
        elif last_rep and name_key(rep) != name_key(last_rep):
            notes.append(f"--rep {rep} is not {last_rep}, the account executive of {previous}; "
                         f"the new file is for {rep}")
    if rep is None:
        raise UsageError("--crm needs --rep NAME (the owner as the export writes it), --previous "
                         "FILE (last quarter's answers name the rep), or --team DIR for a file "
                         "per rep")
    single = new_from_crm(path, request, rep=rep, previous=previous, force=force, config=config,
                          today=today, into_folder=into_folder)
    return CrmNewResult(single=single, warnings=request.warnings, notes=[*notes, *request.notes])


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
    request.notes.extend(found.notes)  # about the export as a whole (owner-less rows, its age)
    metrics = found.find(rep)
    prefill = prefill_for(metrics, request)
    result = new_answers(path, rep=metrics.rep, quarter=metrics.quarter, previous=previous,
                         force=force, config=config, today=today, prefill=prefill,
                         into_folder=into_folder, inputs=crm_inputs(request))
    result.prefilled = len(prefill.values)  # the CRM's answers, not those from --previous
    return result


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
    result.written = (write_new(files, force=force, inputs=crm_inputs(request),
                                model=config.answers_model) if files else [])
    return result
