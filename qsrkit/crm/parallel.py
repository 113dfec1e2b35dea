"""Big exports on every core: split the file at record boundaries and add up the slices apart."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from qsrkit.crm import rawcsv
from qsrkit.crm.accumulate import MAX_SHOWN, BadRows, Job, Part, accumulate

PARALLEL_MIN_BYTES = 24 * 1024 * 1024  # below this, starting a process costs more than it saves


def workers() -> int:
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def split_at_records(path: Path, header_lines: int) -> list[tuple[int, int, int]]:
    """Byte slices (start, end, lines before start) that each begin at a record boundary.

    A newline ends a record unless it is inside quotes, that is unless an odd number of quote
    characters come before it, so each cut is moved to the first newline with an even count.
    Lines are read in pieces of at most MAX_LINE bytes: a quote that never closes, or one huge
    line, costs a scan to the end of the file, not its size in memory.
    """
    size = path.stat().st_size
    count = min(workers(), size // PARALLEL_MIN_BYTES, 8)
    if count < 2:
        return [(0, size, 0)]
    with path.open("rb") as handle:
        start = 0
        for _ in range(header_lines):
            handle.readline()
        start = handle.tell()
        cuts = [(start, header_lines)]
        quotes, lines, position = 0, header_lines, start
        step = (size - start) // count
        for k in range(1, count):
            target = start + k * step
            while position < target:  # count quotes and newlines up to the cut, in blocks
                block = handle.read(min(8 << 20, target - position))
                quotes += block.count(b'"')
                lines += block.count(b"\n")
                position += len(block)
            line = handle.readline(rawcsv.MAX_LINE)  # finish the line the cut falls in
            while line:
                quotes += line.count(b'"')
                lines += line.count(b"\n")
                position += len(line)
                if quotes % 2 == 0 and line.endswith(b"\n"):
                    break
                line = handle.readline(rawcsv.MAX_LINE)
            if position >= size:
                break
            cuts.append((position, lines))
    bounds = [c[0] for c in cuts] + [size]
    return [(bounds[i], bounds[i + 1], cuts[i][1]) for i in range(len(cuts))]


class _Slice(io.RawIOBase):
    """`length` bytes of an open binary file, as a stream of its own."""

    def __init__(self, handle: io.FileIO, length: int) -> None:
        self._handle = handle
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        read = self._handle.readinto(view) or 0
        self._left -= read
        return read


def _slice_worker(job: Job, start: int, end: int, line_base: int) -> Part:
    with io.FileIO(job.path, "rb") as raw:
        raw.seek(start)
        stream = io.BufferedReader(_Slice(raw, end - start), buffer_size=1 << 20)
        text = io.TextIOWrapper(stream, encoding=job.encoding, newline="")
        reader = csv.reader(rawcsv.lines(text), delimiter=job.delimiter, strict=job.strict)
        return accumulate(reader, job, line_base,
                          lambda: rawcsv.open_at(Path(job.path), job.encoding, start))


def in_parallel(job: Job, parts: list[tuple[int, int, int]]) -> Part:
    import multiprocessing
    import sys
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # fork starts at once and is safe while this is the only thread; otherwise spawn.
    method = "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=len(parts) - 1, mp_context=context) as pool:
        futures = [pool.submit(_slice_worker, job, *part) for part in parts[1:]]
        results = [_slice_worker(job, *parts[0])] + [f.result() for f in futures]
    totals: dict[str, list[int]] = {}
    rows, bad = 0, BadRows()
    for part_totals, part_rows, part_bad, _ in results:
        if part_bad.fatal is not None:  # the first slice that stopped says why
            bad.fatal = bad.fatal or part_bad.fatal
        rows += part_rows
        bad.count += part_bad.count
        bad.problems.extend(part_bad.problems)
        bad.skipped += part_bad.skipped
        bad.newest_created = max(bad.newest_created, part_bad.newest_created)
        bad.warnings.extend(part_bad.warnings)
        for owner, line in part_bad.first_row.items():
            bad.first_row.setdefault(owner, line)  # slices in file order: the first is first
        for owner, acc in part_totals.items():
            mine = totals.get(owner)
            if mine is None:
                totals[owner] = acc
            else:
                totals[owner] = [a + b for a, b in zip(mine, acc, strict=True)]
    lines = sorted({p.line for p in bad.problems})[:MAX_SHOWN]
    bad.problems = [p for p in bad.problems if p.line in lines]
    bad.warnings = sorted(bad.warnings, key=lambda p: p.line)[:MAX_SHOWN]
    return totals, rows, bad, results[0][3]
