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

The files are read by DuckDB in this process: a folder of weekly exports of one report in one
query, each deal followed in SQL (`followed`); any other folder file by file (`snapshot`), each
deal followed here (`_follow`). Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from qsrkit.crm.columns import Layout
from qsrkit.crm.followed import Followed, follow_folder
from qsrkit.crm.snapshot import Snapshot, date_in_name, history_columns, read_snapshot
from qsrkit.errors import InvalidInput, unreadable

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
    """The snapshots of a folder, checked at once and read when asked for:

        with PendingHistory(folder, layout) as pending:
            export = read_deals(...)
            history = pending.result()

    A folder of weekly exports of one report is read in one query and followed in SQL
    (`followed`); anything else, file by file on the careful path (`snapshot`), in this process.
    """

    def __init__(self, folder: Path, layout: Layout | None) -> None:
        self.folder = folder
        self.layout = layout
        self.files = snapshot_files(folder)
        for file in self.files:
            date_in_name(file)  # an impossible date in a name stops the run at once

    def __enter__(self) -> PendingHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def result(self) -> History:
        found = follow_folder(self.files, self.layout)
        if found is not None:
            return _from_sql(str(self.folder), found)
        snapshots = [read_snapshot(str(p), self.layout) for p in self.files]
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


def _from_sql(folder: str, found: Followed) -> History:
    tracks = {deal_id: Track(list(zip(seen_on or (), closes, strict=True)) if closes else [],
                             set(commits) if commits else set(), stages or [])
              for deal_id, seen_on, closes, commits, stages
              in zip(found.ids, found.seen_on, found.closes, found.commit_closes, found.stages,
                     strict=True)}
    return History(folder=folder, snapshots=len(found.days),
                   first=dt.date.fromordinal(found.days[0]),
                   last=dt.date.fromordinal(found.days[-1]), tracks=tracks,
                   stage_names=found.stage_names, stage_order=found.stage_order,
                   has_close=found.has_close, has_commit=found.has_commit,
                   has_stage=found.has_stage)


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


