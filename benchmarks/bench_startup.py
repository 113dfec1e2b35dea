"""Cold start of `qsrkit render`, `check`, `calc` and `--help` against a one-command Typer app.

All run as fresh processes with the same interpreter, interleaved so machine noise hits them
alike. Prints medians in ms and the ratios. Goals (issue 16): `render FILE` <= 1.5x the bare
Typer app, `check FILE` <= 1.1x; `calc` <= 1.15x.

    python benchmarks/bench_startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
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


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
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
        for args in cases.values():  # warm the file cache and .pyc files
            timed(args)
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, args in cases.items():
                samples[name].append(timed(args))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:24} {value:7.1f} ms (median of {runs})")
    bare = medians["minimal typer app"]
    for name, goal in (("qsrkit render FILE", 1.5), ("qsrkit check FILE", 1.1),
                       ("qsrkit calc (flags)", 1.15)):
        print(f"{name} / minimal typer app = {medians[name] / bare:.2f}x (goal <= {goal}x)")
    help_ratio = medians["qsrkit --help"] / medians["minimal typer app"]
    print(f"qsrkit --help / minimal typer app = {help_ratio:.2f}x")


if __name__ == "__main__":
    main()
