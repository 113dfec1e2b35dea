"""Time `qsrkit diagnose` end to end on 1,000,000 deals plus 13 weekly snapshots.

Generates the seeded export and its snapshots once (examples/crm/generate.py, 200 reps; each
snapshot holds the deals open that Monday, about 136,000), then runs `qsrkit diagnose EXPORT
--history DIR --json` in fresh processes (imports included, output discarded) and prints the
median wall time and the peak resident memory. Target: < 3 s.

qsrkit reads the export and the snapshots with DuckDB (a dependency: the one engine of every
CRM read); the snapshots of one report are read in one query and each deal is followed in SQL.
With `--duckdb` it also times bare DuckDB reading the same files and computing the core figures
(win rate, days to win and to lose, ASP per rep, and each deal's close dates across the
snapshots): the floor for the same engine without qsrkit's checks and located messages.
With `--compare DIR` (a checkout of another version, e.g. `git worktree add /tmp/old main`) it
runs that version too, interleaved round by round, and says whether the JSON is byte-identical.

    python benchmarks/bench_diagnose.py [--rows 1000000] [--runs 3] [--keep DIR]
        [--duckdb] [--compare DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples" / "crm"))

import generate  # noqa: E402

WORKER = r"""
import contextlib, hashlib, io, json, resource, sys, time
start = time.perf_counter()
sys.argv = ["qsrkit", "diagnose", sys.argv[1], "--history", sys.argv[2], "--as-of",
            "2026-10-05", "--json"]
from qsrkit.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit as stop:
        assert not stop.code, stop.code
seconds = time.perf_counter() - start
data = json.loads(out.getvalue())
print(json.dumps({"seconds": seconds, "reps": len(data["reps"]),
                  "snapshots": data["history"]["snapshots"],
                  "sha256": hashlib.sha256(out.getvalue().encode()).hexdigest(),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

DUCKDB = r"""
import json, sys, time
start = time.perf_counter()
import duckdb
imported = time.perf_counter() - start
con = duckdb.connect()
con.execute(f'''
CREATE TABLE deals AS SELECT "Opportunity ID" AS id, "Opportunity Owner" AS owner,
  "Stage" AS stage, "Amount" AS amount, strptime("Created Date", '%m/%d/%Y') AS created,
  strptime("Close Date", '%m/%d/%Y') AS close
FROM read_csv('{sys.argv[1]}', header=true, all_varchar=true)''')
per_rep = con.execute('''
SELECT owner,
  count(*) FILTER (WHERE stage = 'Closed Won') / nullif(count(*), 0) AS win_rate,
  avg(date_diff('day', created, close)) FILTER (WHERE stage = 'Closed Won') AS days_to_win,
  avg(date_diff('day', created, close)) FILTER (WHERE stage = 'Closed Lost') AS days_to_lose,
  avg(CAST(amount AS DOUBLE)) FILTER (WHERE stage = 'Closed Won') AS asp
FROM deals WHERE stage IN ('Closed Won', 'Closed Lost')
  AND close BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'
GROUP BY owner''').fetchall()
moves = con.execute(f'''
SELECT count(*) FROM (
  SELECT "Opportunity ID" AS id, count(DISTINCT "Close Date") AS closes
  FROM read_csv('{sys.argv[2]}/*.csv', header=true, all_varchar=true)
  GROUP BY 1) WHERE closes > 1''').fetchone()
print(json.dumps({"seconds": time.perf_counter() - start, "import": imported,
                  "reps": len(per_rep), "moved": moves[0]}))
"""


def run(code: str, *args: str, python: str = sys.executable, source: Path = ROOT) -> dict[str, Any]:
    """`code` in a fresh process that imports qsrkit from `source` (from a neutral folder, so
    the current one does not shadow it)."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    with tempfile.TemporaryDirectory() as neutral:
        out = subprocess.run([python, "-c", code, *args], check=True, capture_output=True,
                             text=True, env=env, cwd=neutral).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--duckdb", action="store_true", help="also time DuckDB on the files")
    parser.add_argument("--duckdb-python", default=sys.executable,
                        help="the Python that has DuckDB installed (default: this one)")
    parser.add_argument("--compare", type=Path,
                        help="another checkout of qsrkit to time in the same rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        export = folder / f"opportunities-{args.rows}.csv"
        snapshots = folder / f"snapshots-{args.rows}"
        if not export.exists() or not snapshots.is_dir():
            start = time.perf_counter()
            generate.generate(export, rows=args.rows, reps=args.reps, seed=2026,
                              snapshots=snapshots)
            print(f"generated {export.name} ({export.stat().st_size / 2**20:.0f} MiB) and "
                  f"{snapshots.name}/ in {time.perf_counter() - start:.0f} s")
        sizes = [sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in sorted(snapshots.iterdir())]
        print(f"{args.rows:,} deals; {len(sizes)} snapshots of {min(sizes):,} to {max(sizes):,} "
              f"open deals ({sum(sizes):,} rows, "
              f"{sum(p.stat().st_size for p in snapshots.iterdir()) / 2**20:.0f} MiB)")
        results: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
        for _ in range(args.runs):  # interleaved: the machine's load falls on both alike
            results.append(run(WORKER, str(export), str(snapshots)))
            if args.compare:
                others.append(run(WORKER, str(export), str(snapshots), source=args.compare))
        seconds = statistics.median(r["seconds"] for r in results)
        each = ", ".join(f"{r['seconds']:.2f}" for r in results)
        print(f"  qsrkit diagnose --history --json, median of {args.runs}: {seconds:.2f} s "
              f"(runs: {each}); {int(results[0]['reps'])} reps")
        print(f"  peak resident memory: {max(r['peak_mib'] for r in results):.0f} MiB")
        print(f"  target < 3 s: {'met' if seconds < 3 else 'MISSED'}")
        if others:
            before = statistics.median(r["seconds"] for r in others)
            same = {r["sha256"] for r in results} == {r["sha256"] for r in others}
            runs = ", ".join(f"{r['seconds']:.2f}" for r in others)
            print(f"  {args.compare}, same rounds: {before:.2f} s (runs: {runs}); "
                  f"{before / seconds:.2f}x this one's time; JSON "
                  f"{'byte-identical' if same else 'DIFFERENT'}")
        if args.duckdb:
            found = [run(DUCKDB, str(export), str(snapshots), python=args.duckdb_python)
                     for _ in range(args.runs)]
            print(f"  DuckDB, the core figures and close-date moves, median of {args.runs}: "
                  f"{statistics.median(r['seconds'] for r in found):.2f} s (import "
                  f"{statistics.median(r['import'] for r in found) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
