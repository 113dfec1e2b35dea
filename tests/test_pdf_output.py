"""`qsrkit render --format pdf`: LibreOffice converts the .docx, one run for a whole batch.

The tests with the real LibreOffice are skipped where `soffice` is not installed (.ci/run
installs it); the failures are played by small fake `soffice` scripts on the PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
real_office = pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None,
                                 reason="LibreOffice (soffice) or pdftotext not installed")
posix = pytest.mark.skipif(sys.platform == "win32", reason="fake soffice is a shell script")


def pdf_text(path: Path) -> str:
    out = subprocess.run([str(PDFTOTEXT), str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


def fake_soffice(folder: Path, body: str) -> Path:
    """A `soffice` on a PATH of its own that runs `body` (a shell script) instead."""
    folder.mkdir(exist_ok=True)
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return folder


def answers(folder: Path, reps: list[str]) -> list[Path]:
    files = []
    text = EXAMPLE.read_text(encoding="utf-8")
    for rep in reps:
        path = folder / f"{rep.split()[0].lower()}.yaml"
        path.write_text(text.replace("Avery Quinn", rep), encoding="utf-8")
        files.append(path)
    return files


@real_office
def test_one_document_as_pdf(run, in_tmp: Path) -> None:
    result = run("render", EXAMPLE, "-f", "pdf", "-o", "qsr.pdf")
    assert result.exit_code == 0, result
    data = (in_tmp / "qsr.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(in_tmp / "qsr.pdf")
    assert "Section 4 — Current quarter plan" in text and "Avery Quinn" in text
    assert sorted(p.name for p in in_tmp.iterdir()) == ["qsr.pdf"]  # nothing left beside it


@real_office
@posix
def test_a_batch_of_three_is_one_libreoffice_run(run, in_tmp: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A wrapper counts the runs, then hands over to the real LibreOffice.
    log = in_tmp / "runs.log"
    wrapper = fake_soffice(in_tmp / "bin", f'echo run >> "{log}"\nexec "{SOFFICE}" "$@"')
    monkeypatch.setenv("PATH", f"{wrapper}{os.pathsep}{os.environ['PATH']}")
    files = answers(in_tmp, ["Avery Quinn", "Jordan Lee", "Sam Ortiz"])
    result = run("render", *files, "-f", "pdf", "--out-dir", "out")
    assert result.exit_code == 0, result
    assert log.read_text().splitlines() == ["run"]
    written = sorted(p.name for p in (in_tmp / "out").iterdir())
    assert written == ["avery-quinn-2026-Q4-qsr.pdf", "jordan-lee-2026-Q4-qsr.pdf",
                       "sam-ortiz-2026-Q4-qsr.pdf"]
    assert "Jordan Lee" in pdf_text(in_tmp / "out" / "jordan-lee-2026-Q4-qsr.pdf")


@real_office
@posix
def test_existing_pdfs_are_kept_without_force(run, in_tmp: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "qsr.pdf").write_bytes(b"mine")
    result = run("render", EXAMPLE, "-f", "pdf", "-o", "qsr.pdf")
    assert result.exit_code == 4, result
    assert "already exists" in result.output
    assert (in_tmp / "qsr.pdf").read_bytes() == b"mine"

    # In a batch the existing document is skipped, and not even converted.
    log = in_tmp / "runs.log"
    wrapper = fake_soffice(in_tmp / "bin", f'echo "$#" >> "{log}"\nexec "{SOFFICE}" "$@"')
    monkeypatch.setenv("PATH", f"{wrapper}{os.pathsep}{os.environ['PATH']}")
    files = answers(in_tmp, ["Avery Quinn", "Jordan Lee"])
    (in_tmp / "out").mkdir()
    (in_tmp / "out" / "jordan-lee-2026-Q4-qsr.pdf").write_bytes(b"kept")
    result = run("render", *files, "-f", "pdf", "--out-dir", "out")
    assert result.exit_code == 0, result
    assert "skipped" in result.output
    assert (in_tmp / "out" / "jordan-lee-2026-Q4-qsr.pdf").read_bytes() == b"kept"
    assert (in_tmp / "out" / "avery-quinn-2026-Q4-qsr.pdf").read_bytes().startswith(b"%PDF-")
    # Nine arguments and one document: -env:..., --headless, --norestore, --nologo,
    # --nolockcheck, --convert-to pdf, --outdir DIR.
    assert log.read_text().split() == ["10"]

    result = run("render", EXAMPLE, "-f", "pdf", "-o", "qsr.pdf", "--force")
    assert result.exit_code == 0, result
    assert (in_tmp / "qsr.pdf").read_bytes().startswith(b"%PDF-")


def test_without_libreoffice_it_says_how_to_install_it(run, in_tmp: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (in_tmp / "empty").mkdir()
    monkeypatch.setenv("PATH", str(in_tmp / "empty"))
    result = run("render", EXAMPLE, "-f", "pdf", "-o", "qsr.pdf")
    assert result.exit_code == 2, result
    assert "needs LibreOffice" in result.output
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert "libreoffice.org/download" in result.output
    assert list(in_tmp.iterdir()) == [in_tmp / "empty"]


@posix
def test_a_conversion_that_makes_nothing_is_an_error(run, in_tmp: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Like LibreOffice that could not load a file: exit 0, no PDF.
    monkeypatch.setenv("PATH", str(fake_soffice(in_tmp / "bin", "exit 0")))
    files = answers(in_tmp, ["Avery Quinn", "Jordan Lee"])
    result = run("render", *files, "-f", "pdf", "--out-dir", "out")
    assert result.exit_code == 4, result
    assert "LibreOffice made no PDF for this document" in result.output
    assert list((in_tmp / "out").iterdir()) == []  # no PDF, no temp file


@posix
def test_an_empty_pdf_is_an_error(run, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Writes an empty file for every input: `--outdir DIR` comes just before the inputs.
    body = ('while [ "$1" != "--outdir" ]; do shift; done; out="$2"; shift 2\n'
            'for f in "$@"; do b="${f##*/}"; : > "$out/${b%.docx}.pdf"; done')
    monkeypatch.setenv("PATH", str(fake_soffice(in_tmp / "bin", body)))
    result = run("render", EXAMPLE, "-f", "pdf", "-o", "qsr.pdf")
    assert result.exit_code == 4, result
    assert "LibreOffice made an empty file" in result.output
    assert not (in_tmp / "qsr.pdf").exists()


@posix
def test_a_hung_libreoffice_is_stopped_at_the_time_limit(run, in_tmp: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(fake_soffice(in_tmp / "bin", "exec /bin/sleep 60")))
    monkeypatch.setenv("QSRKIT_PDF_TIMEOUT", "1")
    started = time.monotonic()
    result = run("render", EXAMPLE, "-f", "pdf", "-o", "qsr.pdf")
    assert result.exit_code == 4, result
    assert time.monotonic() - started < 30
    assert "did not finish converting 1 document(s) to PDF within 1 seconds" in result.output
    assert "QSRKIT_PDF_TIMEOUT" in result.output
    assert not (in_tmp / "qsr.pdf").exists()

    monkeypatch.setenv("QSRKIT_PDF_TIMEOUT", "soon")
    result = run("render", EXAMPLE, "-f", "pdf", "-o", "qsr.pdf")
    assert result.exit_code == 2 and "QSRKIT_PDF_TIMEOUT=soon" in result.output


@posix
def test_a_larger_batch_runs_one_libreoffice_per_core_each_pdf_in_its_place(
        run, in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import zipfile

    from qsrkit.document import pdf

    # The fake "converts" by writing %PDF- and then the .docx itself, so each PDF shows which
    # document it was made from.
    log = in_tmp / "runs.log"
    body = (f'echo "$#" >> "{log}"\n'
            'while [ "$1" != "--outdir" ]; do shift; done; out="$2"; shift 2\n'
            'for f in "$@"; do b="${f##*/}"; { printf "%%PDF-"; cat "$f"; } > "$out/${b%.docx}.pdf"; '
            'done')
    monkeypatch.setenv("PATH", f"{fake_soffice(in_tmp / 'bin', body)}{os.pathsep}/usr/bin:/bin")
    monkeypatch.setattr(pdf.os, "cpu_count", lambda: 2)
    reps = ["Avery Quinn", "Jordan Lee", "Sam Ortiz", "Chen Wei", "Priya Natarajan"]
    result = run("render", *answers(in_tmp, reps), "-f", "pdf", "--out-dir", "out")
    assert result.exit_code == 0, result
    # Five documents, two runs side by side: three and two documents, after nine arguments.
    assert sorted(log.read_text().split()) == ["11", "12"]
    for rep in reps:
        name = in_tmp / "out" / f"{rep.lower().replace(' ', '-')}-2026-Q4-qsr.pdf"
        data = name.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data[len(b"%PDF-"):])) as document:
            assert rep in document.read("word/document.xml").decode("utf-8")
