"""qsrkit's per-rep metrics on a big CRM export against DuckDB's own aggregation, same run.

Generates the seeded export (examples/crm/generate.py, 200 reps) into a temporary folder once,
then, interleaved in fresh processes (imports included), runs `metrics.compute` and a bare
DuckDB query doing the core of the same aggregation (won count, amount and days, lost count and
created count per rep in the previous quarter) and prints the medians, their ratio and the peak
resident memory (ru_maxrss). Goal (issue 16): at most 1.3x DuckDB, under 300 MB.

    python benchmarks/bench_crm.py [--rows 1000000] [--runs 5] [--keep DIR] [--ten-million]

`--ten-million` adds the 10,000,000-row export (about 2 GB and several minutes to generate).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples" / "crm"))

import generate  # noqa: E402

WORKER = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
from qsrkit.crm import metrics as crm_metrics
from qsrkit.plan.fiscal import FiscalCalendar
found = crm_metrics.compute(Path(sys.argv[1]), calendar=FiscalCalendar(), quarter="2026-Q4",
                            as_of=dt.date(2026, 10, 5))
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "child_mib": child_kib / 1024,
                  "reps": len(found.reps),
                  "rows": found.rows}))
"""

DUCKDB = r"""
import json, resource, sys, time
start = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
rows = con.execute(f'''
WITH t AS (SELECT "Opportunity Owner" o, "Stage" s, TRY_CAST("Amount" AS DECIMAL(15,2)) a,
   try_strptime("Created Date", '%m/%d/%Y')::DATE c, try_strptime("Close Date", '%m/%d/%Y')::DATE d
   FROM read_csv('{sys.argv[1]}', header=true, all_varchar=true))
SELECT o, count(*) FILTER (s = 'Closed Won' AND d BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'),
  sum(a) FILTER (s = 'Closed Won' AND d BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'),
  sum(d - c) FILTER (s = 'Closed Won' AND d BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'),
  count(*) FILTER (s = 'Closed Lost' AND d BETWEEN DATE '2026-07-01' AND DATE '2026-09-30'),
  count(*) FILTER (c BETWEEN DATE '2026-07-01' AND DATE '2026-09-30')
FROM t GROUP BY o''').fetchall()
print(json.dumps({"seconds": time.perf_counter() - start, "reps": len(rows), "rows": 0,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_mib": 0}))
"""

BASELINE = r"""
import resource, json
print(json.dumps({"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def each(results: list[dict[str, float]]) -> str:
    return ", ".join(format(r["seconds"], ".2f") for r in results)


def measure(export: Path, runs: int) -> None:
    ours, theirs = [], []
    for _ in range(runs):  # interleaved, so both see the same load on the machine
        ours.append(run(WORKER, str(export)))
        theirs.append(run(DUCKDB, str(export)))
    mine = statistics.median(r["seconds"] for r in ours)
    duck = statistics.median(r["seconds"] for r in theirs)
    rows = int(ours[0]["rows"])
    print(f"{rows:,} rows, {int(ours[0]['reps'])} reps, {runs} runs each, interleaved")
    print(f"  qsrkit metrics: median {mine:.2f} s (runs: "
          f"{each(ours)}), peak "
          f"{max(r['peak_mib'] + r['child_mib'] for r in ours):.0f} MiB")
    print(f"  DuckDB alone:   median {duck:.2f} s (runs: "
          f"{each(theirs)}), peak "
          f"{max(r['peak_mib'] for r in theirs):.0f} MiB")
    ratio = mine / duck
    print(f"  ratio {ratio:.2f}x; goal at most 1.3x and under 300 MB: "
          f"{'met' if ratio <= 1.3 and max(r['peak_mib'] for r in ours) < 300 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the exports here and keep them")
    parser.add_argument("--ten-million", action="store_true", help="also 10,000,000 rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"a bare interpreter: {run(BASELINE)['peak_mib']:.0f} MiB")
        for rows in [args.rows, *([10_000_000] if args.ten_million else [])]:
            export = folder / f"opportunities-{rows}.csv"
            if not export.exists():
                start = time.perf_counter()
                generate.generate(export, rows=rows, reps=args.reps, seed=2026)
                print(f"generated {export.name}: {export.stat().st_size / 2**20:.0f} MiB in "
                      f"{time.perf_counter() - start:.1f} s")
            measure(export, args.runs)


if __name__ == "__main__":
    main()
