"""Cold start of `qsrkit render`, `check`, `calc` and `--help` against a one-command Typer app.

All run as fresh processes with the same interpreter, interleaved so machine noise hits them
alike. Prints medians in ms, of the clock and of the CPU time each process used (other jobs on
the machine inflate the CPU time far less than the clock), and the ratios. Goals (issue 16):
`render FILE` <= 1.5x the bare Typer app, `check FILE` <= 1.1x; `calc` <= 1.15x.

Output goes to a pipe, as in a script or CI (on a terminal, `check` and `render` also import
rich for their colours). The children get compiled .pyc files (PYTHONDONTWRITEBYTECODE dropped,
a temporary PYTHONPYCACHEPREFIX), so a source checkout is not timed compiling itself; the
rendering run keeps its compiled template in the user's cache folder, as a user's second run
does (QSRKIT_CACHE_DIR="" renders without it).

    python benchmarks/bench_startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL_APP = '''
import typer

app = typer.Typer()


@app.command()
def calc(quota: float = 0.0, weeks: float = 1.0) -> None:
    print(quota / weeks)


app()
'''

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "avery-quinn-2026-Q4.yaml"
CALC = ["-m", "qsrkit", "calc", "--quota", "300000", "--closed", "60000", "--win-rate", "25",
        "--open-pipeline", "400000", "--avg-deal-size", "20000", "--weeks", "10"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(ms on the clock, ms of CPU) for one run of `python args`."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, env=env)
    process.stdout.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{args} exited with {process.returncode}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        app = Path(folder) / "minimal_app.py"
        app.write_text(MINIMAL_APP)
        answers = Path(folder) / EXAMPLE.name
        answers.write_bytes(EXAMPLE.read_bytes())
        cases = {
            "python -c pass": ["-c", "pass"],
            "minimal typer app": [str(app), "--quota", "300000", "--weeks", "10"],
            "qsrkit render FILE": ["-m", "qsrkit", "render", str(answers), "--force", "-o",
                                   str(Path(folder) / "qsr.docx")],
            "qsrkit check FILE": ["-m", "qsrkit", "check", str(answers)],
            "qsrkit calc (flags)": CALC,
            "qsrkit --help": ["-m", "qsrkit", "--help"],
        }
        for args in cases.values():  # warm the file cache, the .pyc files and the template
            timed(args, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, args in cases.items():
                samples[name].append(timed(args, env))
    wall = {name: statistics.median(s[0] for s in values) for name, values in samples.items()}
    cpu = {name: statistics.median(s[1] for s in values) for name, values in samples.items()}
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; medians of {runs}")
    for name in cases:
        print(f"{name:24} {wall[name]:7.1f} ms clock {cpu[name]:7.1f} ms CPU")
    bare = "minimal typer app"
    for name, goal in (("qsrkit render FILE", "1.5"), ("qsrkit check FILE", "1.1"),
                       ("qsrkit calc (flags)", "1.15"), ("qsrkit --help", "")):
        print(f"{name} / minimal typer app = {wall[name] / wall[bare]:.2f}x clock, "
              f"{cpu[name] / cpu[bare]:.2f}x CPU" + (f" (goal <= {goal}x)" if goal else ""))


if __name__ == "__main__":
    main()
