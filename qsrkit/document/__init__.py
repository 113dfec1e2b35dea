"""Step 4: the QSR document: view context → sandboxed template → Markdown → docx, md or html.

`render` makes one document in memory; `render_all` renders a batch on every core; `write_docx`
turns Markdown into Word. python-docx, lxml, jinja2 and markdown-it are imported only here.

Names here are imported on first use (`qsrkit.lazy`), so importing the package costs
nothing until one is used; `from qsrkit.document import X` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qsrkit.lazy import attributes

if TYPE_CHECKING:
    from qsrkit.document.batch import render_all
    from qsrkit.document.context import build_context
    from qsrkit.document.docx_writer import DocMeta, write_docx
    from qsrkit.document.pipeline import FORMATS, Rendered, RenderOptions, render
    from qsrkit.document.sandbox import md_escape
    from qsrkit.document.wording import DEFAULT_LABELS

_WHERE = {
    "DEFAULT_LABELS": "wording",
    "DocMeta": "docx_writer",
    "FORMATS": "pipeline",
    "RenderOptions": "pipeline",
    "Rendered": "pipeline",
    "build_context": "context",
    "md_escape": "sandbox",
    "render": "pipeline",
    "render_all": "batch",
    "write_docx": "docx_writer",
}

__all__ = ["DEFAULT_LABELS", "FORMATS", "DocMeta", "RenderOptions", "Rendered", "build_context", "md_escape", "render", "render_all", "write_docx"]

__getattr__ = attributes(__name__, _WHERE)
