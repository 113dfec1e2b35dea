"""The files a batch reads, indexed once, so that no document is written over one of them.

`fileio.refuse_inputs` checks one output against every input, a stat or two each; a batch of
1,000 answers files made that a million checks, longer than rendering the documents. Here the
inputs are looked at once (a file by its device and inode, a missing one by its path, folders
kept aside), each output is matched in constant time, and the few inputs it may collide with
go to `refuse_inputs`, which decides and words the refusal exactly as before.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


def _spelling(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


class RunInputs:
    """The run's inputs, (path, role) in order; `refuse(target)` as `refuse_inputs` would."""

    def __init__(self, inputs: Sequence[tuple[Path, str]]) -> None:
        self.inputs = list(inputs)
        self.folders: list[int] = []
        self.by_file: dict[tuple[int, int], list[int]] = {}
        self.by_spelling: dict[str, list[int]] = {}  # every input, existing or not
        self.missing: dict[str, list[int]] = {}  # the inputs that cannot be looked at
        for index, (path, _) in enumerate(self.inputs):
            spelling = _spelling(path)
            self.by_spelling.setdefault(spelling, []).append(index)
            try:
                info = os.stat(path)
            except OSError:
                self.missing.setdefault(spelling, []).append(index)
                continue
            self.by_file.setdefault((info.st_dev, info.st_ino), []).append(index)
            if os.path.isdir(path):
                self.folders.append(index)

    def refuse(self, target: Path, more: Sequence[tuple[Path, str]] = ()) -> None:
        """WriteError when `target` is (or is inside) one of the inputs or of `more`."""
        from qsrkit.fileio import refuse_inputs

        spelling = _spelling(target)
        try:
            info = os.stat(target)
        except OSError:  # fileio.same_file compares the spellings then
            hits = self.by_spelling.get(spelling, [])
        else:
            hits = self.by_file.get((info.st_dev, info.st_ino), []) + self.missing.get(spelling, [])
        candidates = sorted({*hits, *self.folders})  # the inputs' order: the first one is named
        refuse_inputs(target, [*(self.inputs[i] for i in candidates), *more])
