"""Time and peak memory to turn a 1,000,000-row CRM export into every rep's QSR metrics.

Generates the seeded export (examples/crm/generate.py, 200 reps) into a temporary folder once,
then runs the computation in fresh processes and reports the median wall time, rows per second
and the peak resident memory (ru_maxrss) of the process and of its worker (files over 24 MiB are
split at record boundaries and added up on every core). Target: < 3 s and < 1 GiB.

    python benchmarks/bench_crm.py [--rows 1000000] [--runs 3] [--keep DIR]
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

BASELINE = r"""
import resource, json
print(json.dumps({"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        export = folder / f"opportunities-{args.rows}.csv"
        if not export.exists():
            start = time.perf_counter()
            generate.generate(export, rows=args.rows, reps=args.reps, seed=2026)
            print(f"generated {export.name}: {export.stat().st_size / 2**20:.0f} MiB in "
                  f"{time.perf_counter() - start:.1f} s")
        base = run(BASELINE)["peak_mib"]
        results = [run(WORKER, str(export)) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        peak = max(r["peak_mib"] for r in results)
        child = max(r["child_mib"] for r in results)
        rows = int(results[0]["rows"])
        print(f"{rows:,} rows, {int(results[0]['reps'])} reps, {args.runs} runs")
        each = ", ".join(f"{r['seconds']:.2f}" for r in results)
        print(f"  wall time (median, incl. imports): {seconds:.2f} s  "
              f"({rows / seconds:,.0f} rows/s; runs: {each})")
        print(f"  peak resident memory: {peak:.0f} MiB, worker process {child:.0f} MiB "
              f"(a bare interpreter: {base:.0f} MiB)")
        ok = seconds < 3 and peak + child < 1024
        print(f"  target < 3 s and < 1 GiB: {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
