"""Step 4: the QSR document: view context → sandboxed template → Markdown → docx, md or html.

`render` makes one document in memory; `render_all` renders a batch on every core; `write_docx`
turns Markdown into Word. python-docx, lxml, jinja2 and markdown-it are imported only here.

Names here are imported on first use, so importing the package costs nothing until one is used
(`qsrkit calc` must start fast); `from qsrkit.document import X` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qsrkit.document.batch import render_all
    from qsrkit.document.context import build_context
    from qsrkit.document.docx_writer import DocMeta, write_docx
    from qsrkit.document.pipeline import FORMATS, Rendered, RenderOptions, render
    from qsrkit.document.sandbox import md_escape
    from qsrkit.document.wording import DEFAULT_LABELS

_WHERE = {
    "DEFAULT_LABELS": "qsrkit.document.wording",
    "DocMeta": "qsrkit.document.docx_writer",
    "FORMATS": "qsrkit.document.pipeline",
    "RenderOptions": "qsrkit.document.pipeline",
    "Rendered": "qsrkit.document.pipeline",
    "build_context": "qsrkit.document.context",
    "md_escape": "qsrkit.document.sandbox",
    "render": "qsrkit.document.pipeline",
    "render_all": "qsrkit.document.batch",
    "write_docx": "qsrkit.document.docx_writer",
}

__all__ = ["DEFAULT_LABELS", "FORMATS", "DocMeta", "RenderOptions", "Rendered", "build_context", "md_escape", "render", "render_all", "write_docx"]


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(where), name)
