"""Step 1 of the flow: an answers file → YAML with positions → values → models → located problems.

`load_answers` reads and validates one file; `check_files` reports every problem of many;
`Prefill` is what is known before the seller starts typing. Nothing here renders or prints.

Names here are imported on first use (`qsrkit.lazy`), so importing the package costs
nothing until one is used; `from qsrkit.answers import X` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qsrkit.lazy import attributes

if TYPE_CHECKING:
    from qsrkit.answers.checking import FileReport, check_file, check_files
    from qsrkit.answers.loading import Loaded, load_answers, load_answers_text, validate_document
    from qsrkit.answers.models import Answers, Section
    from qsrkit.answers.prefill import Prefill, from_previous
    from qsrkit.answers.yamlsource import YamlDocument

_WHERE = {
    "Answers": "models",
    "FileReport": "checking",
    "Loaded": "loading",
    "Prefill": "prefill",
    "Section": "models",
    "YamlDocument": "yamlsource",
    "check_file": "checking",
    "check_files": "checking",
    "from_previous": "prefill",
    "load_answers": "loading",
    "load_answers_text": "loading",
    "validate_document": "loading",
}

__all__ = ["Answers", "FileReport", "Loaded", "Prefill", "Section", "YamlDocument", "check_file", "check_files", "from_previous", "load_answers", "load_answers_text", "validate_document"]

__getattr__ = attributes(__name__, _WHERE)
