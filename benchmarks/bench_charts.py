"""What the charts cost: the example QSR rendered in-process with its charts and without them.

The same answers, the same process, renders interleaved (with, without, with, …) after a
warm-up, so machine noise hits both alike; the figure is the ratio of the medians. "Without" is
the built-in template with its `chart` placements taken out, so the rest of the work (context,
template, Markdown, writer, zip) is identical. Goal (issue 15): at most 1.3× for the .docx.
The HTML output (inline SVG) is measured the same way. Each is measured twice: the example
alone (attainment and pacing), and with the example CRM export as `render --crm` reads it (as
of 2026-10-05: the dashboards and their two charts as well, four in all; the export is read
once, before timing, as a batch reads it once for every document).

    python benchmarks/bench_charts.py [--runs 200]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "avery-quinn-2026-Q4.yaml"
EXPORT = ROOT / "examples" / "crm" / "opportunities.csv"
TEMPLATE = ROOT / "templates" / "qsr.md.j2"


def _without_charts(folder: Path) -> Path:
    text = TEMPLATE.read_text(encoding="utf-8")
    stripped = re.sub(r"\{% if charts\.\w+ %\}\n\n\{\{ charts\.\w+ \| chart \}\}\n\{% endif %\}\n",
                      "", text)
    assert stripped != text and "| chart }}" not in stripped, "the template's chart placements moved"
    (folder / "qsr.md.j2").write_text(stripped, encoding="utf-8")
    return folder


def compare(runs: int, fmt: str, plain: Path, crm: bool) -> tuple[float, float, int]:
    """(median ms with charts, median ms without, charts drawn) for `fmt`, with or without the
    CRM export."""
    from qsrkit.answers.loading import load_answers
    from qsrkit.config import OrgConfig
    from qsrkit.crm.dashboard_export import open_crm
    from qsrkit.document.pipeline import RenderOptions, render

    answers = load_answers(EXAMPLE).model
    config = OrgConfig()
    data = open_crm(EXPORT, as_of="2026-10-05") if crm else None
    with_charts = RenderOptions(config, format=fmt, crm=data)
    without = RenderOptions(config, format=fmt, templates=plain, crm=data)
    first = render(answers, with_charts, answers_dir=EXAMPLE.parent)  # warm-up: imports, caches
    render(answers, without, answers_dir=EXAMPLE.parent)
    drawn = (first.data.count(b"word/charts/chart") // 2 if fmt == "docx"
             else first.data.count(b"<svg "))
    timed: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(runs):
        for charts, options in ((True, with_charts), (False, without)):
            start = time.perf_counter()
            render(answers, options, answers_dir=EXAMPLE.parent)
            timed[charts].append((time.perf_counter() - start) * 1000)
    return statistics.median(timed[True]), statistics.median(timed[False]), drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain = _without_charts(Path(tmp))
        for crm in (False, True):
            for fmt in ("docx", "html"):
                charted, bare, drawn = compare(args.runs, fmt, plain, crm)
                print(f"{fmt:>4}{' --crm' if crm else '      '}: {charted:6.2f} ms with {drawn} "
                      f"charts, {bare:6.2f} ms without (medians of {args.runs}, interleaved): "
                      f"{charted / bare:.2f}x" + ("  [goal <= 1.3x]" if fmt == "docx" else ""))


if __name__ == "__main__":
    main()
