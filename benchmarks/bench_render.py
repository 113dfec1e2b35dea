"""How fast `qsrkit render` is, and how it compares with pandoc on the same Markdown.

Three figures, all from one run so machine noise hits them alike:

1. in-process: milliseconds per .docx for the example answers (view context, template, Markdown,
   docx writer, zip bytes), median over many renders after one warm-up. Target: <= 30 ms.
2. a team batch end to end: `qsrkit render` on 100 answers files as a fresh process (start-up,
   loading, rendering on both cores, atomic writes). Target: < 5 s.
3. pandoc converting the same Markdown to .docx, one subprocess per document as a pipeline would
   run it. Target: qsrkit at least 4x faster per document.

pandoc comes from PyPI's pypandoc-binary, a benchmark-only tool, not a qsrkit dependency:

    pip install pypandoc-binary
    python benchmarks/bench_render.py [--runs 200] [--files 100] [--pandoc-runs 20]

Without pypandoc-binary the pandoc figure is skipped.
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

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "avery-quinn-2026-Q4.yaml"


def in_process(runs: int) -> tuple[float, float]:
    """(median ms per document rendered from a loaded model, median ms including the YAML load)."""
    from qsrkit.answers.loading import load_answers
    from qsrkit.config import OrgConfig
    from qsrkit.document.pipeline import RenderOptions, render

    options = RenderOptions(OrgConfig())
    answers = load_answers(EXAMPLE).model
    render(answers, options, answers_dir=EXAMPLE.parent)  # warm-up: imports, template, caches
    render_only, with_load = [], []
    for _ in range(runs):
        start = time.perf_counter()
        render(answers, options, answers_dir=EXAMPLE.parent)
        render_only.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        render(load_answers(EXAMPLE).model, options, answers_dir=EXAMPLE.parent)
        with_load.append((time.perf_counter() - start) * 1000)
    return statistics.median(render_only), statistics.median(with_load)


def batch(files: int) -> float:
    """Seconds for `qsrkit render` on `files` answers files, as a fresh process."""
    text = EXAMPLE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = []
        for n in range(files):
            path = folder / f"rep{n:03}.yaml"
            path.write_text(text.replace("Avery Quinn", f"Rep {n:03}"), encoding="utf-8")
            names.append(path.name)
        qsrkit = [sys.executable, "-m", "qsrkit", "render", *names, "--out-dir", "out"]
        start = time.perf_counter()
        subprocess.run(qsrkit, cwd=folder, check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        written = len(list((folder / "out").glob("*.docx")))
        if written != files:
            raise SystemExit(f"the batch wrote {written} of {files} documents")
        return elapsed


def pandoc(runs: int) -> float | None:
    """Median ms for pandoc to turn the same Markdown into a .docx (a subprocess per document)."""
    try:
        import pypandoc  # type: ignore[import-not-found]
    except ImportError:
        return None
    from qsrkit.answers.loading import load_answers
    from qsrkit.config import OrgConfig
    from qsrkit.document.pipeline import RenderOptions, render

    markdown = render(load_answers(EXAMPLE).model, RenderOptions(OrgConfig(), format="md")).data
    binary = pypandoc.get_pandoc_path()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "qsr.md"
        source.write_bytes(markdown)
        command = [binary, "-f", "gfm", "-t", "docx", "-o", str(Path(tmp) / "qsr.docx"), str(source)]
        subprocess.run(command, check=True)  # warm-up
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="in-process renders")
    parser.add_argument("--files", type=int, default=100, help="files in the team batch")
    parser.add_argument("--pandoc-runs", type=int, default=20, help="pandoc conversions")
    args = parser.parse_args()

    os.environ.pop("SOURCE_DATE_EPOCH", None)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    per_doc, per_doc_loaded = in_process(args.runs)
    print(f"in-process render:        {per_doc:6.1f} ms/document (target <= 30 ms); "
          f"{per_doc_loaded:.1f} ms including loading the YAML")
    seconds = batch(args.files)
    print(f"{args.files}-file batch end to end: {seconds:6.2f} s (target < 5 s), "
          f"{seconds * 1000 / args.files:.1f} ms/file")
    pandoc_ms = pandoc(args.pandoc_runs)
    if pandoc_ms is None:
        print("pandoc:                   skipped (pip install pypandoc-binary to compare)")
    else:
        ratio = pandoc_ms / per_doc
        print(f"pandoc same Markdown:     {pandoc_ms:6.1f} ms/document; qsrkit is {ratio:.1f}x "
              f"faster (target >= 4x)")


if __name__ == "__main__":
    main()
