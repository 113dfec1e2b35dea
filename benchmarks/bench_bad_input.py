"""How fast, and in how much memory, qsrkit refuses hostile input.

Each case runs the real command in a fresh process (`qsrkit check` or `qsrkit render`) and
reports the median wall time and the peak resident memory of that process, next to the same
command on the valid example, so the cost of refusing is visible against the cost of starting.
Budgets (from the hardening issue): an alias bomb is refused in well under 1 s and 50 MB; every
other case finishes in a few seconds without growing memory with the size of the attack. CRM
exports (`qsrkit metrics`): each hostile CSV is refused in under 2 s and 200 MB; before the
fix a 200 MB header line of commas took 334 s and 16 GB, and a 40 MB unclosed quote or a 1e30
quota ended in an internal error.

    python benchmarks/bench_bad_input.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "avery-quinn-2026-Q4.yaml"
CORPUS = ROOT / "tests" / "corpus"

# Runs the CLI, then prints the exit code and this process's peak memory as JSON on stderr's
# last line (the CLI's own messages come before it).
RUNNER = r"""
import json, resource, sys, time
start = time.perf_counter()
code = 0
try:
    from qsrkit.cli import main
    sys.argv = ["qsrkit", *sys.argv[1:]]
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
sys.stderr.write("\n" + json.dumps({
    "code": code, "seconds": time.perf_counter() - start,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}) + "\n")
"""


def _zip_bomb(path: Path, megabytes: int) -> None:
    """A .docx whose styles part claims `megabytes` of XML; it compresses to about 1/1000th."""
    with zipfile.ZipFile(ROOT / "templates" / "reference.docx") as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/styles.xml":
                target.writestr(item.filename, data)
                continue
            with target.open("word/styles.xml", "w", force_zip64=True) as out:
                head, tail = data.split(b"<w:docDefaults>", 1)
                out.write(head + b"<!--")
                chunk = b" " * (1024 * 1024)
                for _ in range(megabytes):
                    out.write(chunk)
                out.write(b"--><w:docDefaults>" + tail)


def _cases(folder: Path) -> list[tuple[str, list[str]]]:
    huge = folder / "ten-million.yaml"
    huge.write_text("schema_version: 1\nteam_message: " + "x" * 10_000_000 + "\n", encoding="utf-8")
    at_cap = folder / "one-mebibyte.yaml"
    # The largest file qsrkit still parses: one answer filling the whole size cap.
    at_cap.write_text("schema_version: 1\nteam_message: " + "x" * (1024 * 1024 - 40) + "\n",
                      encoding="utf-8")
    bomb = folder / "bomb.docx"
    _zip_bomb(bomb, 300)
    templates = {}
    for name in ("nested-loops", "repeat-string", "long-output"):
        templates[name] = CORPUS / "templates" / name
    out = str(folder / "out.docx")
    return [*_answers_cases(huge, at_cap, bomb, templates, out), *_dashboard_cases(folder, out),
            *_csv_cases(folder)]


def _dashboard_cases(folder: Path, out: str) -> list[tuple[str, list[str]]]:
    """An org config with 15,000 dashboards (it took 65-124 s per document), and ten of them,
    each with a screenshot, at the limit."""
    many = folder / "dashboards-15000.yaml"
    many.write_text("dashboards:\n" + "".join(
        f"  - title: Board {i}\n    link: https://crm.example.com/{i}\n" for i in range(15_000)),
        encoding="utf-8")
    shots = folder / "shots"
    shots.mkdir()
    (shots / "board.png").write_bytes(_tiny_png())
    ten = shots / "qsrkit.yaml"
    ten.write_text("dashboards:\n" + "".join(
        f"  - title: Board {i}\n    link: https://crm.example.com/{i}\n"
        "    screenshot: board.png\n" for i in range(10)), encoding="utf-8")
    return [
        ("render: 15,000 dashboards in qsrkit.yaml",
         ["render", str(EXAMPLE), "-o", out, "--force", "--config", str(many)]),
        ("render: 10 dashboards with screenshots (limit)",
         ["render", str(EXAMPLE), "-o", out, "--force", "--config", str(ten)]),
    ]


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes.fromhex("00000001000000010802000000"))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def _answers_cases(huge: Path, at_cap: Path, bomb: Path, templates: dict[str, Path],
                   out: str) -> list[tuple[str, list[str]]]:
    return [
        ("check: the valid example (baseline)", ["check", str(EXAMPLE)]),
        ("check: alias bomb (9 levels, 342 bytes)", ["check", str(CORPUS / "yaml" / "alias-bomb.yaml")]),
        ("check: 10-million-character answer", ["check", str(huge)]),
        ("check: 1 MiB answer (the size cap)", ["check", str(at_cap)]),
        ("check: 5,000 nested brackets", ["check", str(CORPUS / "yaml" / "deep-flow-nesting.yaml")]),
        ("render: the valid example (baseline)", ["render", str(EXAMPLE), "-o", out, "--force"]),
        ("render: zip bomb reference (300 MB of XML)",
         ["render", str(EXAMPLE), "-o", out, "--force", "--reference-doc", str(bomb)]),
        *[(f"render: runaway template ({name})",
           ["render", str(EXAMPLE), "-o", out, "--force", "--templates", str(path)])
          for name, path in templates.items()],
    ]


CRM = ROOT / "examples" / "crm"
HEAD = "Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
ROW = "Ada Lovelace,Closed Won,100,7/1/2026,8/1/2026\n"


def _write_big(path: Path, first: str, repeat: str, megabytes: int) -> None:
    """`first`, then `repeat` over and over until the file is about `megabytes` long."""
    block = repeat * max(1, (1024 * 1024) // len(repeat))
    with path.open("w", encoding="utf-8") as handle:
        handle.write(first)
        for _ in range(megabytes):
            handle.write(block)


def _csv_cases(folder: Path) -> list[tuple[str, list[str]]]:
    header = folder / "header-200mb.csv"
    _write_big(header, "Opportunity Owner", "," * 4096, 200)
    line = folder / "line-200mb.csv"
    _write_big(line, HEAD + ROW, "," * 4096, 200)
    unclosed = folder / "unclosed-40mb.csv"
    _write_big(unclosed, HEAD + ROW + 'Ada Lovelace,"Closed Won,100,7/1/2026,8/1/2026\n', ROW, 40)
    late = folder / "late-quote-40mb.csv"
    _write_big(late, HEAD + ROW + 'Ada Lovelace,"Closed Won,100,7/1/2026,8/1/2026\n', ROW, 40)
    with late.open("a", encoding="utf-8") as handle:
        handle.write('x",100,7/1/2026,8/1/2026\n' + ROW)
    quotas = folder / "quotas-1e30.csv"
    quotas.write_text("rep,quarter,quota\nAvery Quinn,2026-Q3,1e30\n", encoding="utf-8")
    amounts = folder / "amounts-1e27.csv"
    amounts.write_text(HEAD + ROW + "Ada Lovelace,Closed Won,1e27,7/1/2026,8/1/2026\n",
                       encoding="utf-8")
    as_of = ["--as-of", "2026-10-05"]
    export = str(CRM / "opportunities.csv")
    return [
        ("metrics: the example export (baseline)", ["metrics", export, *as_of]),
        ("metrics: 200 MB header line of commas", ["metrics", str(header), *as_of]),
        ("metrics: 200 MB data line of commas", ["metrics", str(line), *as_of]),
        ("metrics: 40 MB after an unclosed quote", ["metrics", str(unclosed), *as_of]),
        ("metrics: a quote closing 40 MB too late", ["metrics", str(late), *as_of]),
        ("metrics: an amount of 1e27", ["metrics", str(amounts), *as_of]),
        ("metrics: a quota of 1e30", ["metrics", export, "--quotas", str(quotas), *as_of]),
    ]


def _measure(args: list[str], folder: Path) -> dict[str, float]:
    # Run outside the checkout: `python -c` puts the current folder first on sys.path, and the
    # source tree's qsrkit has no `qsrkit.templates` (that is `templates/`, mapped on install).
    process = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True,
                             text=True, check=False, cwd=folder)
    return dict(json.loads(process.stderr.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        cases = _cases(Path(tmp))
        print(f"{'case':<48} {'exit':>4} {'median ms':>10} {'peak MiB':>9}")
        for label, args in cases:
            found = [_measure(args, Path(tmp)) for _ in range(runs)]
            ms = statistics.median(r["seconds"] for r in found) * 1000
            peak = max(r["peak_mib"] for r in found)
            print(f"{label:<48} {int(found[0]['code']):>4} {ms:>10.0f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
