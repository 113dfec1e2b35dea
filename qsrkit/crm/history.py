"""History from a folder of dated snapshot exports: what each deal looked like, week by week.

Most sales teams keep the export of every weekly forecast call; `--history DIR` reads those
files and follows each deal (by its opportunity id) through them:

- its close dates, in date order, each kept when it changed: a close date that leaves a period
  for a later one is a push out of that period;
- the close dates it had while its forecast category was Commit: what the rep committed, and
  for when;
- the stages it was seen at: how far it got.

Each file is one snapshot. Its date is in its name, written as `--as-of` takes it
(`2026-09-28.csv`, `pipeline-2026-09-28.csv`), or, when the file has a snapshot date column
(`Snapshot Date`; `Edit Date` in Salesforce's opportunity history report, or any column a
`--columns` mapping file names as `snapshot_date`), in that column, row by row: a history
report is then many snapshots in one file. Files are CSV as `metrics` reads them (any preset
or the mapping file, UTF-8 or Windows-1252, comma, semicolon or tab); only the id column is
required, with at least one of close date, forecast category and stage.

The files are read on every core (one file a job, by DuckDB: `snapshot`); nothing here
prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from qsrkit.crm.columns import Layout
from qsrkit.crm.engine import workers
from qsrkit.crm.snapshot import Snapshot, date_in_name, history_columns, read_snapshot
from qsrkit.errors import InvalidInput, Problem, unreadable

SUFFIXES = (".csv", ".tsv", ".txt")
__all__ = ["History", "PendingHistory", "Track", "date_in_name", "history_columns",
           "read_history", "snapshot_files"]


@dataclass(slots=True)
class Track:
    """One deal as the snapshots saw it."""

    closes: list[tuple[int, int]] = field(default_factory=list)  # (seen on, close) when changed
    commit_closes: set[int] = field(default_factory=set)  # close dates while in Commit
    stages: list[str] = field(default_factory=list)  # folded stage names, first seen first


@dataclass
class History:
    folder: str
    snapshots: int  # distinct snapshot dates
    first: dt.date
    last: dt.date
    tracks: dict[str, Track]  # by opportunity id
    stage_names: dict[str, str]  # folded -> first spelling seen
    stage_order: list[str]  # folded, in the order deals go through them
    has_close: bool
    has_commit: bool
    has_stage: bool


def snapshot_files(folder: Path) -> list[Path]:
    """The export files in `folder`, by name; a located error for a missing or empty folder."""
    name = str(folder)
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        if isinstance(exc, NotADirectoryError):
            raise InvalidInput.at(name, "is a file; --history takes the folder that holds the "
                                  "weekly snapshot exports") from None
        raise unreadable(name, exc, "folder") from None
    files = [p for p in entries if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
             and p.is_file()]
    if not files:
        raise InvalidInput.at(name, "holds no snapshot exports (.csv files); put the weekly "
                              "exports there, each named with its date, e.g. 2026-09-28.csv")
    return files


def read_history(folder: Path, layout: Layout | None = None) -> History:
    """Every snapshot in `folder`, followed deal by deal (in date order)."""
    with PendingHistory(folder, layout) as pending:
        return pending.result()


class PendingHistory:
    """The snapshots being read by worker processes while the caller reads the export:

        with PendingHistory(folder, layout) as pending:
            export = read_deals(...)          # meanwhile, in this process
            history = pending.result()
    """

    def __init__(self, folder: Path, layout: Layout | None) -> None:
        self.folder = folder
        self.jobs = [(str(p), layout) for p in snapshot_files(folder)]
        for file, _ in self.jobs:
            date_in_name(Path(file))  # an impossible date in a name stops the run at once
        self.pool: Any = None
        self.futures: list[Any] = []

    def __enter__(self) -> PendingHistory:
        if len(self.jobs) >= 2 and workers() >= 2:
            import multiprocessing
            import sys
            import threading
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"
            self.pool = ProcessPoolExecutor(max_workers=min(workers(), len(self.jobs)),
                                            mp_context=multiprocessing.get_context(method))
            self.futures = [self.pool.submit(_read_in_worker, *job) for job in self.jobs]
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def result(self) -> History:
        found = ([f.result() for f in self.futures] if self.pool is not None
                 else [_read_in_worker(*job) for job in self.jobs])
        snapshots = []
        for one in found:
            if isinstance(one, list):
                raise InvalidInput(one)
            snapshots.append(one)
        seen_days: dict[int, str] = {}
        for snap in snapshots:
            if snap.day is None:
                continue
            if snap.day in seen_days:
                raise InvalidInput.at(snap.file, f"has the same date "
                                      f"({dt.date.fromordinal(snap.day)}) as "
                                      f"{seen_days[snap.day]}; keep one snapshot a day")
            seen_days[snap.day] = snap.file
        return _follow(str(self.folder), snapshots)


def _read_in_worker(file: str, layout: Layout | None) -> Snapshot | list[Problem]:
    """A snapshot, or the problems that stopped it (an exception would not survive the trip
    back from a worker process: InvalidInput's arguments are not its constructor's)."""
    try:
        return read_snapshot(file, layout)
    except InvalidInput as exc:
        return exc.problems


def _follow(folder: str, snapshots: list[Snapshot]) -> History:
    """Apply the snapshots in date order to one `Track` per deal."""
    tracks: dict[str, Track] = {}
    stage_names: dict[str, str] = {}
    days: set[int] = set()
    rows_dated = any(s.day is None for s in snapshots)
    get = tracks.get
    for snap in sorted(snapshots, key=lambda s: s.day or 0):
        for key, spelled in snap.stage_names.items():
            stage_names.setdefault(key, spelled)
        if snap.days is None:
            days.add(snap.day or 0)
        else:
            days.update(snap.days)
        rows = zip(snap.ids, snap.closes or repeat(0), snap.commits or repeat(False),
                   snap.stages or repeat(""), snap.days or repeat(snap.day or 0), strict=False)
        for deal_id, close, commit, stage, day in rows:
            track = get(deal_id)
            if track is None:
                track = tracks[deal_id] = Track()
            if close:
                seen = track.closes
                if not seen or seen[-1][1] != close:
                    seen.append((day, close))
                if commit:
                    track.commit_closes.add(close)
            if stage and stage not in track.stages:
                track.stages.append(stage)
    if rows_dated:  # a history report lists rows in any order: put each deal's in date order
        for track in tracks.values():
            track.closes.sort()
            track.closes = [c for k, c in enumerate(track.closes)
                            if k == 0 or c[1] != track.closes[k - 1][1]]
    return History(
        folder=folder, snapshots=len(days), stage_order=_funnel(tracks.values()), first=dt.date.fromordinal(min(days)),
        last=dt.date.fromordinal(max(days)), tracks=tracks, stage_names=stage_names,
        has_close=any(s.closes is not None for s in snapshots),
        has_commit=any(s.commits is not None for s in snapshots),
        has_stage=any(s.stages is not None for s in snapshots),
    )


def _funnel(tracks: Iterable[Track]) -> list[str]:
    """The stages in the order deals go through them: a stage seen before another in a deal's
    history scores a point, one seen after loses one (stages are named, not numbered)."""
    score: dict[str, int] = {}
    for track in tracks:
        stages = track.stages
        if len(stages) < 2:
            if stages and stages[0] not in score:
                score[stages[0]] = 0
            continue
        for position, stage in enumerate(stages):
            score[stage] = score.get(stage, 0) + len(stages) - 1 - 2 * position
    return sorted(score, key=lambda s: (-score[s], s))


