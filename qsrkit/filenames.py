"""File names made from people's names: the same rule for answers files, documents and batches.

Names come from any script (李伟, Иван Петров, José Núñez), so they are transliterated to ASCII
(python-slugify: `li-wei`, `ivan-petrov`, `jose-nunez`) rather than stripped, which made every
Chinese or Cyrillic name the same `rep`. Two people can still share a file name ("Ann Lee" and
"Ann-Lee"), so every run that writes several files asks `clashes` first and writes nothing when
two would land on one file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

# File systems allow 255 bytes a name; the rest of a name (-2026-Q4-qsr.docx) needs about 20.
MAX_SLUG = 80
# The weekly 1:1 log beside a QSR is `<rep>-<quarter>` + this: not an answers file.
ONE_ON_ONE_LOG = "-1on1.yaml"



def without_logs(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The answers files among `paths`, and a note for each weekly 1:1 log left out: the log
    sits beside the QSR, so `team/*.yaml` names both. Raises UsageError when only logs are left."""
    kept, notes = [], []
    for path in paths:
        if path.name.lower().endswith(ONE_ON_ONE_LOG):
            notes.append(f"left out {path}: it is a weekly 1:1 log, not an answers file "
                         "(qsrkit one-on-one QSR --render makes a document of it)")
        else:
            kept.append(path)
    if notes and not kept:
        from qsrkit.errors import UsageError

        raise UsageError(f"{notes[0].removeprefix('left out ')}",
                         hint="give the rep's answers file (the QSR) instead")
    return kept, notes

def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens; `rep` when nothing of the name is left."""
    from slugify import slugify  # imported here: only runs that write files pay for it

    text = slugify(text)
    return text[:MAX_SLUG].rstrip("-") or "rep"


def default_file_name(rep: str | None, quarter: str) -> str:
    return f"{slug(rep) if rep else 'qsr'}-{quarter}.yaml"


def path_key(path: Path) -> str:
    """One key for every spelling of a path that names the same file."""
    # Windows and macOS disks ignore case: `Ann.yaml` and `ann.yaml` are one file there.
    return os.path.normcase(os.path.abspath(path)).casefold()


def clashes(targets: Iterable[tuple[Path, str]]) -> list[tuple[Path, list[str]]]:
    """Every file that more than one owner (a rep, an input file) would write, with its owners."""
    owners: dict[str, tuple[Path, list[str]]] = {}
    for path, owner in targets:
        owners.setdefault(path_key(path), (path, []))[1].append(owner)
    return [(path, names) for path, names in owners.values() if len(names) > 1]


def quoted_list(names: list[str]) -> str:
    """`"Ann Lee" and "Ann-Lee"`, or `"A", "B" and "C"`."""
    shown = [f'"{name}"' for name in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
