"""How much libyaml's C parser saves: qsrkit's YAML load with it and with PyYAML's pure-Python
loader, in the same run, interleaved round by round, medians.

1. YAML load of the example answers file (`yamlsource.parse`: text → data + positions).
2. In-process answers file → .docx bytes (`load_answers` + `render`), the YAML load counted.
3. `qsrkit team` on 200 answers files (the files bench_team.py writes), fresh processes; the
   pure-Python runs start Python with libyaml hidden (`sys.modules["yaml._yaml"] = None`), as
   if PyYAML had been built without it. The team read forks its workers, which inherit that.

    python benchmarks/bench_yaml.py [--runs 200] [--reps 200] [--team-runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_team import EXAMPLE, write_team

# Runs `python -m qsrkit ARGS...`, with libyaml hidden first when the first argument is "pure".
CHILD = """
import runpy, sys
if sys.argv.pop(1) == "pure":
    sys.modules["yaml._yaml"] = None
runpy.run_module("qsrkit", run_name="__main__", alter_sys=True)
"""


def interleaved(runs: int, fast: Callable[[], object], pure: Callable[[], object]) -> tuple[float, float]:
    """Median ms of `fast` and of `pure`, alternating which goes first each round."""
    times: dict[int, list[float]] = {0: [], 1: []}
    for round_ in range(runs):
        order = [(0, fast), (1, pure)] if round_ % 2 == 0 else [(1, pure), (0, fast)]
        for which, work in order:
            start = time.perf_counter()
            work()
            times[which].append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def with_libyaml(on: bool, work: Callable[[], object]) -> Callable[[], object]:
    from qsrkit.answers import yamlsource

    kept = yamlsource._FastLoader

    def run() -> object:
        yamlsource._FastLoader = kept if on else None
        try:
            return work()
        finally:
            yamlsource._FastLoader = kept

    return run


def in_process(runs: int) -> None:
    from qsrkit.answers import yamlsource
    from qsrkit.answers.loading import load_answers
    from qsrkit.config import OrgConfig
    from qsrkit.document.pipeline import RenderOptions, render

    if yamlsource._FastLoader is None:
        raise SystemExit("this PyYAML has no libyaml (yaml.__with_libyaml__ is False)")
    text = EXAMPLE.read_text(encoding="utf-8")
    options = RenderOptions(OrgConfig())

    def parse() -> object:
        return yamlsource.parse(text, EXAMPLE.name)

    def document() -> object:
        return render(load_answers(EXAMPLE).model, options, answers_dir=EXAMPLE.parent).data

    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # warm-up, byte-reproducible to compare
    fast_doc, pure_doc = with_libyaml(True, document)(), with_libyaml(False, document)()
    del os.environ["SOURCE_DATE_EPOCH"]
    if fast_doc != pure_doc:
        raise SystemExit("the two loaders made different documents")
    c, py = interleaved(runs, with_libyaml(True, parse), with_libyaml(False, parse))
    print(f"YAML load of the example ({len(text):,} chars): libyaml {c:.2f} ms, "
          f"pure Python {py:.2f} ms ({py / c:.1f}x)")
    c, py = interleaved(runs, with_libyaml(True, document), with_libyaml(False, document))
    print(f"answers file -> .docx bytes, in-process:  libyaml {c:.1f} ms, "
          f"pure Python {py:.1f} ms ({py - c:.1f} ms saved)")


def team(reps: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        folder = base / "team"
        folder.mkdir()
        write_team(folder, reps)
        cases = {
            "team --status": ["team", str(folder), "--status", "--as-of", "2026-10-04"],
            "team -o pack.docx": ["team", str(folder), "--as-of", "2026-10-04", "--team-quota",
                                  "70000000", "-o", str(base / "pack.docx"), "--force"],
        }
        for label, args in cases.items():
            def command(mode: str, args: list[str] = args) -> Callable[[], object]:
                def run() -> object:
                    proc = subprocess.run([sys.executable, "-c", CHILD, mode, *args], cwd=base,
                                          capture_output=True, text=True, check=False)
                    if proc.returncode not in (0, 3):
                        raise SystemExit(f"qsrkit {' '.join(args)} exited {proc.returncode}:\n"
                                         f"{proc.stderr}")
                    return proc
                return run

            command("fast")()  # warm-up: file cache, .pyc
            c, py = interleaved(runs, command("fast"), command("pure"))
            print(f"{reps} files, {label:<18} libyaml {c:6.0f} ms, pure Python {py:6.0f} ms "
                  f"({py / c:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="in-process rounds")
    parser.add_argument("--reps", type=int, default=200, help="answers files for `qsrkit team`")
    parser.add_argument("--team-runs", type=int, default=5, help="`qsrkit team` rounds")
    args = parser.parse_args()
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; medians, interleaved")
    in_process(args.runs)
    team(args.reps, args.team_runs)


if __name__ == "__main__":
    main()
