"""How fast, and in how much memory, qsrkit refuses hostile input.

Each case runs the real command in a fresh process (`qsrkit check` or `qsrkit render`) and
reports the median wall time and the peak resident memory of that process, next to the same
command on the valid example, so the cost of refusing is visible against the cost of starting.
Budgets (from the hardening issue): an alias bomb is refused in well under 1 s and 50 MB; every
other case finishes in a few seconds without growing memory with the size of the attack.

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
