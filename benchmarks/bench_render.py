"""How fast `qsrkit render` is, and how it compares with pandoc on the same Markdown.

Three figures, from one run so machine noise hits them alike (issue 16's goals):

1. in-process, answers file -> .docx bytes, counting the YAML load as a user's run does (load,
   view context, template, Markdown, docx writer, zip), interleaved round by round with pandoc
   converting the same Markdown to .docx (a subprocess per document, as a pipeline would run
   it). Medians. Goals: <= 8 ms per document and >= 10x faster than pandoc.
2. a batch end to end: `qsrkit render` on 1,000 answers files as a fresh process (start-up,
   loading, rendering on every core, atomic writes), the median of three runs, with the CPU
   time of the qsrkit process itself (the workers, children of the forkserver, are not
   counted: it is the serial share, start-up, checking and writing). Goal: >= 180 documents
   a second.

Child processes get compiled .pyc files (PYTHONDONTWRITEBYTECODE is dropped for them and they
write to a temporary PYTHONPYCACHEPREFIX), so a checkout that never wrote its .pyc files is not
timed compiling its sources.

pandoc comes from PyPI's pypandoc-binary, a benchmark-only tool, not a qsrkit dependency:

    pip install pypandoc-binary
    python benchmarks/bench_render.py [--runs 200] [--files 1000] [--batches 3] [--only batch]

Without pypandoc-binary the pandoc figure is skipped.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "avery-quinn-2026-Q4.yaml"


def in_process(runs: int) -> tuple[float, float | None]:
    """(median ms per document including the YAML load, median ms for pandoc or None), the
    two interleaved round by round."""
    from qsrkit.answers.loading import load_answers
    from qsrkit.config import OrgConfig
    from qsrkit.document.pipeline import RenderOptions, render

    options = RenderOptions(OrgConfig())
    render(load_answers(EXAMPLE).model, options, answers_dir=EXAMPLE.parent)  # warm-up
    pandoc = _pandoc_command()
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        if pandoc is not None:
            markdown = render(load_answers(EXAMPLE).model, RenderOptions(OrgConfig(), format="md")).data
            source = Path(tmp) / "qsr.md"
            source.write_bytes(markdown)
            pandoc += ["-o", str(Path(tmp) / "qsr.docx"), str(source)]
            subprocess.run(pandoc, check=True)  # warm-up
        for index in range(runs):
            start = time.perf_counter()
            render(load_answers(EXAMPLE).model, options, answers_dir=EXAMPLE.parent)
            ours.append((time.perf_counter() - start) * 1000)
            if pandoc is not None and index % max(1, runs // PANDOC_ROUNDS) == 0:
                start = time.perf_counter()
                subprocess.run(pandoc, check=True)
                theirs.append((time.perf_counter() - start) * 1000)
    return statistics.median(ours), statistics.median(theirs) if theirs else None


PANDOC_ROUNDS = 25  # pandoc is ~100 ms a document: this many rounds, spread across ours


def _pandoc_command() -> list[str] | None:
    try:
        import pypandoc  # type: ignore[import-not-found]
    except ImportError:
        return None
    return [pypandoc.get_pandoc_path(), "-f", "gfm", "-t", "docx"]


def child_env(pycache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def batch(files: int, env: dict[str, str]) -> tuple[float, float]:
    """(seconds, CPU seconds of the qsrkit process, not its workers) for `qsrkit render` on
    `files` answers files, as a fresh process."""
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = []
        for n in range(files):
            path = folder / f"rep{n:04}.yaml"
            path.write_text(text.replace("Avery Quinn", f"Rep {n:04}"), encoding="utf-8")
            names.append(path.name)
        qsrkit = [sys.executable, "-m", "qsrkit", "render", *names, "--out-dir", "out"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(qsrkit, cwd=folder, check=True, stdout=subprocess.DEVNULL, env=env)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        written = len(list((folder / "out").glob("*.docx")))
        if written != files:
            raise SystemExit(f"the batch wrote {written} of {files} documents")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="in-process renders")
    parser.add_argument("--files", type=int, default=1000, help="files in the batch")
    parser.add_argument("--batches", type=int, default=3, help="batch runs (median)")
    parser.add_argument("--only", choices=("in-process", "batch"), help="one of the two figures")
    args = parser.parse_args()

    os.environ.pop("SOURCE_DATE_EPOCH", None)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.only != "batch":
        report_in_process(args.runs)
    if args.only != "in-process":
        with tempfile.TemporaryDirectory() as pycache:
            env = child_env(pycache)
            batch(PARALLEL_FROM, env)  # compiles the .pyc files, starts nothing cold twice
            runs = [batch(args.files, env) for _ in range(args.batches)]
        seconds = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"{args.files}-file batch end to end: {seconds:6.2f} s, "
              f"{args.files / seconds:.0f} documents/s, median of {args.batches} (goal >= 180); "
              f"the qsrkit process (workers aside) used {cpu:.2f} CPU s; each run: "
              + ", ".join(f"{files_per(args.files, r[0])}/s" for r in runs))


PARALLEL_FROM = 8  # qsrkit.document.batch: from this many files on, workers on every core


def files_per(files: int, seconds: float) -> str:
    return f"{files / seconds:.0f}"


def report_in_process(runs: int) -> None:
    per_doc, pandoc_ms = in_process(runs)
    print(f"in-process, answers file -> .docx: {per_doc:6.1f} ms/document, median of "
          f"{runs} (goal <= 8 ms; YAML load included)")
    if pandoc_ms is None:
        print("pandoc:                   skipped (pip install pypandoc-binary to compare)")
    else:
        print(f"pandoc, same Markdown:     {pandoc_ms:6.1f} ms/document, median; qsrkit is "
              f"{pandoc_ms / per_doc:.1f}x faster (goal >= 10x)")


if __name__ == "__main__":
    main()
