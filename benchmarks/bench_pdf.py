"""How long `qsrkit render --format pdf` takes for a team, end to end. Target: 100 documents in
under 90 s.

Figures from one run, interleaved so machine noise hits them alike (medians of --runs):

1. the PDF batch: `qsrkit render FILES --crm EXPORT -f pdf --out-dir DIR` on --files answers
   files (with the CRM dashboards), as a fresh process: start-up, reading the export once,
   rendering, LibreOffice (one run per core), the checks and the atomic writes;
2. the same batch as .docx, to show what the conversion itself costs;
3. converting --compare of those .docx files in-process with one LibreOffice run, and with one
   run per core (what `render -f pdf` does), scaled to --files;
4. one LibreOffice run per document (what a loop over `soffice --convert-to` would do), timed
   on --single documents and scaled to --files.

    python benchmarks/bench_pdf.py [--files 100] [--runs 3] [--compare 20] [--single 3]

Needs LibreOffice (`soffice`).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "avery-quinn-2026-Q4.yaml"
EXPORT = ROOT / "examples" / "crm" / "opportunities.csv"
REPS = ["Avery Quinn", "Jordan Lee", "Sam Ortiz", "Priya Natarajan", "Chen Wei", "Mateo García"]


def team(folder: Path, files: int) -> tuple[list[Path], Path]:
    """`files` answers files, each its own rep, and an export giving each rep the deals of one
    of the example's reps (so every document has full dashboards)."""
    import csv

    with EXPORT.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, deals = rows[0], rows[1:]
    text = EXAMPLE.read_text(encoding="utf-8")
    export = folder / "export.csv"
    paths = []
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(files):
            model = REPS[i % len(REPS)]
            rep = f"{model} {i:03d}"
            writer.writerows([rep, *row[1:]] for row in deals if row[0] == model)
            path = folder / f"rep-{i:03d}.yaml"
            path.write_text(text.replace("Avery Quinn", rep), encoding="utf-8")
            paths.append(path)
    return paths, export


def batch(files: list[Path], export: Path, fmt: str, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "qsrkit", "render", *map(str, files), "--crm", str(export),
               "--as-of", "2026-10-05", "-f", fmt, "--out-dir", str(out)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=out.parent)
    seconds = time.perf_counter() - start
    written = len(list(out.glob(f"*.{fmt}")))
    if result.returncode != 0 or written != len(files):
        sys.exit(f"render -f {fmt} failed ({written} written):\n{result.stderr[-2000:]}")
    return seconds


def one_run_each(docx: list[Path], work: Path) -> float:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    start = time.perf_counter()
    for document in docx:
        subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", str(work),
                        str(document)], capture_output=True, check=True, timeout=300)
    return time.perf_counter() - start


def convert_time(documents: list[bytes], runs: int | None) -> float:
    from qsrkit.document.pdf import convert

    start = time.perf_counter()
    results = convert(documents, runs=runs)
    seconds = time.perf_counter() - start
    if not all(isinstance(r, bytes) for r in results):
        sys.exit(f"conversion failed: {results}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", type=int, default=20)
    parser.add_argument("--single", type=int, default=3)
    args = parser.parse_args()
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files, export = team(folder, args.files)
        pdf_times, docx_times, each_times, one_times, cores_times = [], [], [], [], []
        for _ in range(args.runs):
            pdf_times.append(batch(files, export, "pdf", folder / "pdf"))
            docx_times.append(batch(files, export, "docx", folder / "docx"))
            documents = sorted((folder / "docx").glob("*.docx"))
            sample = [d.read_bytes() for d in documents[: args.compare]]
            one_times.append(convert_time(sample, 1) / len(sample) * args.files)
            cores_times.append(convert_time(sample, None) / len(sample) * args.files)
            some = documents[: args.single]
            each = folder / "each"
            shutil.rmtree(each, ignore_errors=True)
            each.mkdir()
            each_times.append(one_run_each(some, each) / len(some) * args.files)
    pdf, docx = statistics.median(pdf_times), statistics.median(docx_times)
    each = statistics.median(each_times)
    one, cores = statistics.median(one_times), statistics.median(cores_times)
    print(f"{args.files} documents, median of {args.runs} run(s), interleaved")
    print(f"  render -f pdf (one run per core):      {pdf:6.1f} s   "
          f"({pdf / args.files * 1000:.0f} ms a document; target < 90 s)")
    print(f"  render -f docx (no conversion):        {docx:6.1f} s")
    print(f"  conversion share:                      {pdf - docx:6.1f} s")
    print(f"  converting only, one LibreOffice run:  {one:6.1f} s   (scaled from {args.compare})")
    print(f"  converting only, one run per core:     {cores:6.1f} s   ({one / cores:.1f}x faster)")
    print(f"  one LibreOffice run per document:      {each:6.1f} s   (scaled from "
          f"{args.single}; {each / pdf:.1f}x the one-run batch)")
    print("  runs (pdf): " + ", ".join(f"{t:.1f}" for t in pdf_times))


if __name__ == "__main__":
    main()
