"""Time `qsrkit team` end to end on a 200-rep team (a second-line manager's several teams).

Writes 200 answers files (the example, with each rep's name and numbers varied, a few left
half-finished), then runs in fresh processes (imports included) and prints the median wall time
of each:

    qsrkit team DIR --status --as-of 2026-10-04      (readiness only)
    qsrkit team DIR -o pack.docx --force ...          (the whole pack in Word)
    qsrkit team DIR -f json -o pack.json --force ...  (the whole pack as JSON)
    qsrkit calc DIR/*.yaml                            (the many-files calculator)

Target: the Word pack under 2 s on a 2-core machine.

    python benchmarks/bench_team.py [--reps 200] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "avery-quinn-2026-Q4.yaml"


def write_team(folder: Path, reps: int) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for n in range(reps):
        body = (text.replace("Avery Quinn", f"Rep Number{n:03d}")
                .replace("quota: 330000", f"quota: {300000 + 1000 * (n % 50)}")
                .replace("closed_won: 48000", f"closed_won: {20000 + 500 * (n % 40)}")
                .replace("open_pipeline: 410000", f"open_pipeline: {150000 + 5000 * (n % 60)}")
                .replace("review_date: 2026-10-07", f"review_date: 2026-10-{3 + n % 7:02d}"))
        if n % 10 == 3:  # a half-finished file
            body = body.replace("    learned: Deals", "    learned: \n    # Deals")
        (folder / f"rep-number{n:03d}-2026-Q4.yaml").write_text(body, encoding="utf-8")


def timed(args: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "qsrkit", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"qsrkit {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the team here and keep it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = options.keep or Path(scratch)
        team = base / "team"
        team.mkdir(parents=True, exist_ok=True)
        write_team(team, options.reps)
        files = sorted(str(p) for p in team.glob("*.yaml"))
        cases = [
            ("team --status", ["team", str(team), "--status", "--as-of", "2026-10-04"], (0, 3)),
            ("team -o pack.docx", ["team", str(team), "--as-of", "2026-10-04", "--team-quota",
                                   "70000000", "-o", str(base / "pack.docx"), "--force"], (0,)),
            ("team -f json", ["team", str(team), "--as-of", "2026-10-04", "-f", "json", "-o",
                              str(base / "pack.json"), "--force"], (0,)),
            ("calc FILE x N", ["calc", *files], (0,)),
        ]
        print(f"{options.reps} reps, median of {options.runs} fresh processes each")
        for label, args, ok in cases:
            times = [timed(args, base, ok) for _ in range(options.runs)]
            print(f"  {label:<20} {statistics.median(times) * 1000:7.0f} ms "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
        pack = base / "pack.docx"
        print(f"  pack.docx: {pack.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
