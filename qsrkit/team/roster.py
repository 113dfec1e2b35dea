"""Who is on the team, which answers file is whose, and how far along each one is.

A rep is expected when `--team-list` or the org config's `team:` names them; without either, the
files found are the team. Each file is read once with the org's answers model: a file with
errors stays on the roster (its errors counted, its name and review date read from what parses)
so that one broken file never hides the rest of the team. Nothing here prints or renders.

Readiness, for each expected rep, on `today` (`--as-of`, else the real today):

    answered    answers given ÷ answers the file asks for, counted as `qsrkit check` counts
                blanks: each answer that is not optional is one, an empty list is one, each
                entry of a list is one (a skill or a play counts each of its answers)
    missing     no answers file for the rep
    ready       the file has no errors and nothing is left unanswered
    late        not ready, and `today` is after the send-by date (review date − 2 days)
    in progress not ready and not late (also: no review date yet)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.crm import names
from qsrkit.errors import InvalidInput, Problem, UsageError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from qsrkit.answers.models import Answers
    from qsrkit.config import OrgConfig

MISSING, IN_PROGRESS, READY, LATE = "missing", "in progress", "ready", "late"
STATUSES = (MISSING, IN_PROGRESS, READY, LATE)
# Files in a team folder that are not answers files.
_NOT_ANSWERS = frozenset({"qsrkit.yaml", "qsrkit.yml"})


@dataclass
class RepFile:
    """One rep's place on the team: the answers file (if any) and what reading it found."""

    rep: str  # as the team list or the file names them
    path: Path | None = None
    answers: Answers | None = None  # None when the file is missing or has errors
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    asked: int = 0
    answered: int = 0
    review_date: dt.date | None = None
    quarter: str | None = None
    listed: bool = True  # on the team list (False: a file found that the list does not name)
    notes: list[str] = field(default_factory=list)
    status: str = MISSING

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def send_by(self) -> dt.date | None:
        return self.review_date - dt.timedelta(days=2) if self.review_date else None


def answers_files(inputs: list[Path]) -> list[Path]:
    """The answers files among `inputs`: folders give their `*.yaml`/`*.yml`, but not
    `qsrkit.yaml` nor the weekly 1:1 logs `one-on-one` keeps beside each QSR."""
    from qsrkit.filenames import ONE_ON_ONE_LOG

    found: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found += sorted(p for p in item.iterdir() if p.suffix.lower() in (".yaml", ".yml")
                            and p.name.lower() not in _NOT_ANSWERS
                            and not p.name.lower().endswith(ONE_ON_ONE_LOG) and p.is_file())
        elif item.exists():
            found.append(item)
        else:
            raise UsageError(f"{item}: no such file or folder",
                             hint="give the team's folder or its answers files")
    return list(dict.fromkeys(found))


def count_answers(model: BaseModel) -> tuple[int, int]:
    """(asked, answered), with the rules `qsrkit check` uses to list blanks."""
    from qsrkit.answers.models import Section

    asked = answered = 0
    optional = model.optional_answers if isinstance(model, Section) else frozenset()
    for name in type(model).model_fields:
        if name in optional or name == "schema_version":
            continue
        value = getattr(model, name)
        if isinstance(value, Section):
            a, b = count_answers(value)
        elif isinstance(value, list):
            a, b = (1, 0) if not value else _count_items(value)
        else:
            a, b = 1, int(value is not None and value != "")
        asked, answered = asked + a, answered + b
    return asked, answered


def _count_items(items: list[Any]) -> tuple[int, int]:
    from pydantic import BaseModel

    asked = answered = 0
    for item in items:
        if isinstance(item, BaseModel):
            a, b = count_answers(item)
        else:
            a, b = 1, int(item not in (None, ""))
        asked, answered = asked + a, answered + b
    return asked, answered


def read_rep_file(path: Path, config: OrgConfig) -> RepFile:
    """One answers file, read with the org's model; errors are kept, never raised."""
    from qsrkit.answers.loading import load_answers

    entry = RepFile(rep="", path=path)
    try:
        loaded = load_answers(path, with_warnings=True, model=config.answers_model)
    except InvalidInput as exc:
        entry.errors = [p for p in exc.problems if p.severity == "error"]
        entry.warnings = [p for p in exc.problems if p.severity != "error"]
        entry.rep, entry.review_date, entry.quarter = what_parses(path)
        entry.rep = entry.rep or path.stem
        return entry
    model = entry.answers = loaded.model
    entry.warnings = loaded.warnings
    entry.asked, entry.answered = count_answers(model)
    entry.rep = model.account_executive or path.stem
    entry.review_date, entry.quarter = model.review_date, model.quarter
    return entry


def what_parses(path: Path) -> tuple[str, dt.date | None, str | None]:
    """The rep, review date and quarter of a file with errors, where they can be read."""
    from qsrkit.answers import parse
    from qsrkit.answers.yamlsource import load

    try:
        data = load(path).data
    except InvalidInput:
        return "", None, None
    if not isinstance(data, dict):
        return "", None, None

    def read(key: str, parser: Any) -> Any:
        try:
            return parser(data[key]) if data.get(key) not in (None, "") else None
        except (ValueError, TypeError):
            return None

    rep = data.get("account_executive")
    return (" ".join(rep.split()) if isinstance(rep, str) else "",
            read("review_date", parse.parse_date), read("quarter", parse.parse_quarter))


# Below this many files one process is faster than starting workers (~12 ms a file to read).
PARALLEL_FROM = 40


def _read_chunk(args: tuple[list[Path], OrgConfig]) -> list[RepFile]:
    paths, config = args
    return [read_rep_file(path, config) for path in paths]


def read_all(paths: list[Path], config: OrgConfig) -> list[RepFile]:
    """Every file read, in order; a second-line manager's hundreds of files on every core.

    Workers are forked (where the platform can): they inherit the loaded answers models, so
    they start in milliseconds; the parent has no threads at this point."""
    import multiprocessing
    import os

    count = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                else os.cpu_count() or 1, 8)
    if (len(paths) < PARALLEL_FROM or count < 2
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [read_rep_file(path, config) for path in paths]
    from concurrent.futures import ProcessPoolExecutor

    from qsrkit.document.batch import signals_held, stop_workers

    chunks = [paths[i::count] for i in range(count)]
    pool = ProcessPoolExecutor(max_workers=count,
                               mp_context=multiprocessing.get_context("fork"))
    try:
        with signals_held():
            parts = list(pool.map(_read_chunk, [(chunk, config) for chunk in chunks]))
    except BaseException:
        stop_workers(pool)  # Ctrl-C or a signal: no worker outlives the run
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    found: list[RepFile] = []
    for index in range(len(paths)):  # chunks took every count-th file: put them back in order
        found.append(parts[index % count][index // count])
    return found


def status_of(entry: RepFile, today: dt.date) -> str:
    if entry.path is None:
        return MISSING
    if not entry.errors and entry.asked and entry.answered == entry.asked:
        return READY
    if entry.send_by is not None and today > entry.send_by:
        return LATE
    return IN_PROGRESS


def roster(files: list[Path], expected: list[str] | None, config: OrgConfig,
           today: dt.date) -> tuple[list[RepFile], list[str]]:
    """Every expected rep (in the list's order) with their file, then files the list does not
    name; and notes for the manager (a second file for one rep, quarters that differ)."""
    from qsrkit.filenames import slug

    notes: list[str] = []
    read = read_all(files, config)
    by_rep: dict[str, list[RepFile]] = {}
    for entry in read:
        by_rep.setdefault(names.key(entry.rep), []).append(entry)
    chosen: dict[str, RepFile] = {}
    for key, entries in by_rep.items():
        # A folder may still hold last quarter's file: the latest quarter is this review's.
        entries.sort(key=lambda e: (e.quarter or "", not e.errors), reverse=True)
        chosen[key] = entries[0]
        for other in entries[1:]:
            notes.append(f"{entries[0].rep}: {other.path} left out; {entries[0].path} is used "
                         f"(the later quarter)" if other.quarter != entries[0].quarter else
                         f"{entries[0].rep}: {other.path} left out; {entries[0].path} is used "
                         "(two files for one quarter: remove one)")
    team: list[RepFile] = []
    if expected is not None:
        for name in expected:
            found = chosen.pop(names.key(name), None)
            if found is not None:
                entry = found
            else:  # a file whose rep is unanswered is matched by its name
                stem = next((k for k, e in chosen.items()
                             if e.path is not None and e.rep == e.path.stem
                             and e.path.stem.lower().startswith(slug(name))), None)
                entry = chosen.pop(stem) if stem is not None else RepFile(rep=name)
            entry.rep = name
            team.append(entry)
        for entry in chosen.values():
            entry.listed = False
            entry.notes.append("not on the team list")
    team += chosen.values()
    quarters = sorted({e.quarter for e in team if e.quarter})
    if len(quarters) > 1:
        notes.append(f"the files plan different quarters ({', '.join(quarters)}); check that "
                     "each is this quarter's QSR")
    for entry in team:
        entry.status = status_of(entry, today)
    return team, notes


def expected_reps(team_list: Path | None, config: OrgConfig) -> list[str] | None:
    """The reps expected: `--team-list` (one name a line), else `team:` in the org config."""
    if team_list is not None:
        from qsrkit.crm.inputs import load_team

        return [name for _, name in load_team(team_list).names]
    if config.team:
        return list(config.team)
    return None
