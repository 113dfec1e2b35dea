"""Step 1 of the flow: an answers file → YAML with positions → values → models → located problems.

`load_answers` reads and validates one file; `check_files` reports every problem of many;
`Prefill` is what is known before the seller starts typing. Nothing here renders or prints.

Names here are imported on first use, so importing the package costs nothing until one is used
(`qsrkit calc` must start fast); `from qsrkit.answers import X` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qsrkit.answers.checking import FileReport, check_file, check_files
    from qsrkit.answers.loading import Loaded, load_answers, load_answers_text, validate_document
    from qsrkit.answers.models import Answers, Section
    from qsrkit.answers.prefill import Prefill, from_previous
    from qsrkit.answers.yamlsource import YamlDocument

_WHERE = {
    "Answers": "qsrkit.answers.models",
    "FileReport": "qsrkit.answers.checking",
    "Loaded": "qsrkit.answers.loading",
    "Prefill": "qsrkit.answers.prefill",
    "Section": "qsrkit.answers.models",
    "YamlDocument": "qsrkit.answers.yamlsource",
    "check_file": "qsrkit.answers.checking",
    "check_files": "qsrkit.answers.checking",
    "from_previous": "qsrkit.answers.prefill",
    "load_answers": "qsrkit.answers.loading",
    "load_answers_text": "qsrkit.answers.loading",
    "validate_document": "qsrkit.answers.loading",
}

__all__ = ["Answers", "FileReport", "Loaded", "Prefill", "Section", "YamlDocument", "check_file", "check_files", "from_previous", "load_answers", "load_answers_text", "validate_document"]


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(where), name)
