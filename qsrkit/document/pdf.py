"""PDF output: the Word documents, converted by LibreOffice running headless.

One `soffice` run converts a whole batch: starting LibreOffice takes seconds, converting a QSR
about one, one document after another. So a small batch is one run, and a batch of
`SPLIT_FROM` documents or more is split into one run per core, side by side. Each run has a
private temporary folder and its own profile, so it neither waits on nor disturbs a
LibreOffice the user has open, and it is stopped (with every process it started) when the
time limit passes or qsrkit is interrupted. LibreOffice exits 0
even when it could not convert a file, so each PDF is checked: it must exist and start like a
PDF. A document that failed is reported; nothing half-made leaves the temporary folder, which
is removed in every case. Nothing here prints.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from qsrkit.errors import QsrError, UsageError, WriteError

INSTALL_HINT = ("install LibreOffice: on Debian or Ubuntu `sudo apt-get install "
                "libreoffice-writer-nogui`, on Fedora `sudo dnf install libreoffice-writer`, on "
                "macOS or Windows from https://www.libreoffice.org/download/ (then make sure "
                "`soffice` is on the PATH); or render .docx and convert it yourself")
TIMEOUT_ENV = "QSRKIT_PDF_TIMEOUT"
# LibreOffice starts in a few seconds and converts a QSR in well under one; the limit is
# generous so a busy machine does not fail a batch, and only a hung LibreOffice reaches it.
BASE_SECONDS = 120
SECONDS_PER_DOCUMENT = 10
# Below this many documents, a second LibreOffice start costs more than it saves.
SPLIT_FROM = 4


def find_soffice() -> str:
    """The LibreOffice program; UsageError (with how to install it) when there is none."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise UsageError("--format pdf needs LibreOffice (`soffice`), which is not installed or "
                     "not on the PATH", hint=INSTALL_HINT)


def ready() -> None:
    """Check, before any work, that PDFs can be made: LibreOffice is there, the limit is sane."""
    find_soffice()
    time_limit(0)


def time_limit(documents: int) -> float:
    """Seconds the whole run may take: QSRKIT_PDF_TIMEOUT, else a limit growing with the batch."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return BASE_SECONDS + SECONDS_PER_DOCUMENT * documents
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0
    if not 0 < seconds < 1e6:
        raise UsageError(f"{TIMEOUT_ENV}={raw} is not a number of seconds",
                         hint=f"set it to the seconds a PDF run may take, e.g. {TIMEOUT_ENV}=600, "
                         "or unset it")
    return seconds


def convert(documents: Sequence[bytes], *, soffice: str | None = None,
            timeout: float | None = None, runs: int | None = None) -> list[bytes | QsrError]:
    """Each .docx of `documents` as PDF bytes, in order; a WriteError in the place of each
    document LibreOffice could not convert. `runs`: LibreOffice processes side by side
    (default: one per core from `SPLIT_FROM` documents, else one)."""
    if not documents:
        return []
    program = soffice or find_soffice()
    limit = timeout if timeout is not None else time_limit(len(documents))
    if runs is None:
        runs = (os.cpu_count() or 1) if len(documents) >= SPLIT_FROM else 1
    runs = max(1, min(runs, len(documents)))
    work = Path(tempfile.mkdtemp(prefix="qsrkit-pdf-"))  # readable by this user only
    try:
        outputs = work / "out"
        outputs.mkdir()
        names = [f"qsr-{i:05d}" for i in range(len(documents))]
        commands = []
        for run in range(runs):
            inputs = work / f"in-{run}"
            inputs.mkdir()
            mine = names[run::runs]
            for name, data in zip(mine, documents[run::runs], strict=True):
                (inputs / f"{name}.docx").write_bytes(data)
            commands.append([
                program, f"-env:UserInstallation={(work / f'profile-{run}').as_uri()}",
                "--headless", "--norestore", "--nologo", "--nolockcheck", "--convert-to", "pdf",
                "--outdir", str(outputs), *(str(inputs / f"{n}.docx") for n in mine)])
        said = _run(commands, work, limit, len(documents))
        return [_read_pdf(outputs / f"{name}.pdf", said) for name in names]
    except OSError as exc:
        raise WriteError(f"could not convert to PDF: {exc.strerror or exc}",
                         hint="check that the temporary folder has space, then run again"
                         ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(commands: list[list[str]], work: Path, limit: float, documents: int) -> str:
    """Run the LibreOffice processes side by side; what they said on their error output.
    WriteError when they run past `limit` seconds."""
    import time

    deadline = time.monotonic() + limit
    processes: list[subprocess.Popen[bytes]] = []
    logs = []
    try:
        for number, command in enumerate(commands):
            log = (work / f"said-{number}.txt").open("wb")
            logs.append(log)
            processes.append(subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                start_new_session=True))  # its own process group: stopped with its children
        for process in processes:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        for process in processes:
            _stop(process)
        raise WriteError(
            f"LibreOffice did not finish converting {documents} document(s) to PDF within "
            f"{limit:g} seconds and was stopped; no PDF was written",
            hint=f"run again on a quieter machine, convert fewer at a time, or allow more time "
            f"with {TIMEOUT_ENV}=SECONDS") from None
    except BaseException:  # Ctrl-C, SIGTERM: LibreOffice must not outlive qsrkit
        for process in processes:
            _stop(process)
        raise
    finally:
        for log in logs:
            log.close()
    return "\n".join((work / f"said-{n}.txt").read_text("utf-8", "replace").strip()
                     for n in range(len(commands))).strip()


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
    with contextlib.suppress(Exception):
        process.wait(timeout=10)


def _read_pdf(path: Path, said: str) -> bytes | QsrError:
    data = path.read_bytes() if path.is_file() else b""
    if data.startswith(b"%PDF-"):
        return data
    why = "made an empty file" if path.is_file() else "made no PDF"
    detail = f" (LibreOffice said: {said.splitlines()[-1][:300]})" if said else ""
    return WriteError(f"LibreOffice {why} for this document{detail}; nothing was written",
                      hint="open the .docx (render with -f docx) in LibreOffice to see why, or "
                      "run again: a LibreOffice crash is often a one-off")
