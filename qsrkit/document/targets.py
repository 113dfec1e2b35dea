"""Where a batch's documents go, checked before any is converted or written.

Two inputs that would give one file name are both refused (neither silently replaces the
other), no document may replace one of the run's inputs, and a target in a missing folder or
over an existing file (without `force`) is refused; with more than one input, an existing
document is skipped instead, as `qsrkit new --team` does. Checked before LibreOffice starts, so
a batch of PDFs does not convert for minutes and then write nothing. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qsrkit.errors import QsrError, WriteError

SKIP = "skip"  # the target exists and is kept


def check_targets(targets: Sequence[tuple[Path, str, Sequence[Path]] | None],
                  inputs: Sequence[tuple[Path, str]], *, force: bool,
                  batch: bool) -> list[QsrError | str | None]:
    """For each (target, source, screenshots it read), or None for a document not made: the
    error that stops it, SKIP, or None when it can be written."""
    from qsrkit.document.run_inputs import RunInputs
    from qsrkit.fileio import check_writable
    from qsrkit.filenames import path_key, quoted_list

    every_input = RunInputs(inputs)  # indexed once: 1,000 outputs x 1,000 inputs is no stat storm

    writers: dict[str, list[str]] = {}
    for entry in targets:
        if entry is not None:
            writers.setdefault(path_key(entry[0]), []).append(entry[1])
    verdicts: list[QsrError | str | None] = []
    for entry in targets:
        if entry is None:
            verdicts.append(None)
            continue
        target, _, read = entry
        try:
            sources = writers[path_key(target)]
            if len(sources) > 1:
                raise WriteError(
                    f"{target} would be written for both {quoted_list(sources)}; neither was "
                    "written",
                    hint="two answers files have the same rep and quarter; fix one, or render "
                    "them separately with -o",
                )
            every_input.refuse(target, [(p, "screenshot") for p in read])
            if batch and not force and target.exists():
                verdicts.append(SKIP)
                continue
            check_writable(target, force=force)
        except QsrError as exc:
            verdicts.append(exc)
            continue
        verdicts.append(None)
    return verdicts


def make_out_dir(out_dir: Path) -> Path:
    """`--out-dir`, created if missing (with its parents); WriteError when it cannot be."""
    if out_dir.exists() and not out_dir.is_dir():
        raise WriteError(f"--out-dir {out_dir} is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create the folder {out_dir}: {exc.strerror}") from None
    return out_dir
