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

The files are read on every core (one file a job); nothing here prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any, TextIO

from qsrkit.answers.parse import shown
from qsrkit.crm import rawcsv
from qsrkit.crm.columns import PRESETS, Layout, fold
from qsrkit.crm.engine import workers
from qsrkit.crm.values import BadValue, DateReader
from qsrkit.errors import InvalidInput, Problem, unreadable

SUFFIXES = (".csv", ".tsv", ".txt")
MAX_SHOWN = 10
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_WANTED = ("opportunity_id", "close", "forecast_category", "stage", "snapshot_date")


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


@dataclass
class _Snapshot:
    """One file, read: a date for the whole file, or one a row (`days`)."""

    file: str
    day: int | None
    ids: list[str]
    closes: list[int] | None
    commits: list[bool] | None
    stages: list[str] | None
    days: list[int] | None
    stage_names: dict[str, str]


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


def date_in_name(path: Path) -> int | None:
    """The date in a file's name (YYYY-MM-DD) as an ordinal; None when it has none."""
    found = _DATE_IN_NAME.search(path.stem)
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3])).toordinal()
    except ValueError:
        raise InvalidInput.at(str(path), f"the file name holds {found[0]}, which is not a day "
                              "on the calendar; name each snapshot with its date as YYYY-MM-DD, "
                              "e.g. 2026-09-28.csv") from None


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


def _read_in_worker(file: str, layout: Layout | None) -> _Snapshot | list[Problem]:
    """A snapshot, or the problems that stopped it (an exception would not survive the trip
    back from a worker process: InvalidInput's arguments are not its constructor's)."""
    try:
        return _read_snapshot(file, layout)
    except InvalidInput as exc:
        return exc.problems


def _follow(folder: str, snapshots: list[_Snapshot]) -> History:
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


def _read_snapshot(file: str, layout: Layout | None) -> _Snapshot:
    path = Path(file)
    return rawcsv.read_with_restarts(
        path, file, layout.date_order if layout else None,
        lambda encoding, delimiter, order, strict: _read_rows(
            path, encoding, delimiter, layout, order, strict))


def history_columns(header: list[str], layout: Layout | None, file: str) -> dict[str, int]:
    """The columns a snapshot needs: the id, and at least one of close, category and stage."""
    folded = [fold(h) for h in header]
    for candidate in [layout] if layout else PRESETS:
        assert candidate is not None
        index: dict[str, int] = {}
        for name in _WANTED:
            at = [i for i, h in enumerate(folded)
                  for o in candidate.columns.get(name, ()) if h == fold(o)]
            if at:
                index[name] = min(at)
        if "opportunity_id" in index:
            break
    had = ", ".join(repr(h) for h in header)
    if "opportunity_id" not in index:
        names = " or ".join(repr(o) for p in ([layout] if layout else PRESETS) if p
                            for o in p.columns.get("opportunity_id", ())[:1]) or "'Opportunity ID'"
        raise InvalidInput.at(file, f"a snapshot needs the opportunity id column ({names}) to "
                              f"follow each deal from one week to the next. The header has: "
                              f"{had}", line=1)
    if not {"close", "forecast_category", "stage"} & set(index):
        raise InvalidInput.at(file, "a snapshot needs at least one of the close date, forecast "
                              f"category and stage columns. The header has: {had}", line=1)
    return index


def _read_rows(path: Path, encoding: str, delimiter: str, layout: Layout | None,
               order: str | None, strict: bool) -> _Snapshot:
    name = str(path)

    def reopen() -> TextIO:
        return rawcsv.open_text(path, encoding)

    with reopen() as handle:
        reader = csv.reader(rawcsv.lines(handle), delimiter=delimiter, strict=strict)
        header = rawcsv.read_header(reader, name, reopen, delimiter, strict)
        index = history_columns(header, layout, name)
        day = None if "snapshot_date" in index else date_in_name(path)
        if day is None and "snapshot_date" not in index:
            raise InvalidInput.at(name, "cannot tell the date of this snapshot: name the file "
                                  "with it (e.g. 2026-09-28.csv) or add a 'Snapshot Date' column")
        dates = DateReader(order)
        i_id = index["opportunity_id"]
        i_close, i_fc = index.get("close"), index.get("forecast_category")
        i_stage, i_day = index.get("stage"), index.get("snapshot_date")
        ids: list[str] = []
        closes: list[int] | None = [] if i_close is not None else None
        commits: list[bool] | None = [] if i_fc is not None else None
        stages: list[str] | None = [] if i_stage is not None else None
        days: list[int] | None = [] if i_day is not None else None
        known = dates.cache  # each distinct date text is parsed once
        commit_of: dict[str, bool] = {}
        stage_of: dict[str, str] = {}
        stage_names: dict[str, str] = {}
        problems: list[Problem] = []
        width = len(header)
        try:
            for row in reader:
                if len(row) != width:
                    if len(row) <= 1 and (not row or not row[0].strip()):
                        continue
                    problems.append(Problem(name, reader.line_num, 0, "", f"has {len(row)} "
                                            f"value(s) but the header has {width} columns"))
                    continue
                deal_id = row[i_id].strip()
                if not deal_id:
                    continue
                try:
                    close = 0
                    if i_close is not None:
                        text = row[i_close]
                        close = known.get(text) or (dates(text) if text.strip() else 0)
                    seen = dates(row[i_day]) if i_day is not None else 0
                except BadValue as exc:
                    column = i_close if i_close is not None and _bad(dates, row[i_close]) else i_day
                    assert column is not None
                    problems.append(Problem(name, reader.line_num, column + 1, header[column],
                                            str(exc)))
                    if len(problems) >= MAX_SHOWN:
                        break
                    continue
                ids.append(deal_id)
                if closes is not None:
                    closes.append(close)
                if days is not None:
                    days.append(seen)
                if commits is not None and i_fc is not None:
                    text = row[i_fc]
                    commit = commit_of.get(text)
                    if commit is None:
                        commit = commit_of[text] = fold(text) == "commit"
                    commits.append(commit)
                if stages is not None and i_stage is not None:
                    text = row[i_stage]
                    key = stage_of.get(text)
                    if key is None:
                        key = stage_of[text] = fold(text)
                        stage_names.setdefault(key, " ".join(text.split()))
                    stages.append(key)
        except csv.Error as exc:
            raise InvalidInput([rawcsv.csv_problem(exc, reopen, name=name, delimiter=delimiter,
                                                   strict=strict, line_base=0, header=header)]) from None
    if problems:
        raise InvalidInput([*problems[:MAX_SHOWN], Problem(
            name, 0, 0, "", "the snapshot has rows that cannot be read; fix them (or export it "
            "again) and run again")])
    if not ids:
        raise InvalidInput.at(name, "has a header but no deals with an opportunity id; export "
                              f"the snapshot again with its rows (ids in {shown(header[i_id])})",
                              line=1)
    return _Snapshot(name, day, ids, closes, commits, stages, days, stage_names)


def _bad(dates: DateReader, text: str) -> bool:
    try:
        if text.strip():
            dates(text)
        return False
    except BadValue:
        return True
