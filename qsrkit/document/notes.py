"""The manager's notes other than the QSR (coaching notes, the weekly 1:1 log) as a document.

Each comes from its own template's Markdown and is written the same way: Markdown as it is,
HTML as a page, Word with the company and the notes' kind in the header, the subject (a period,
a rep and quarter) at the right, and page numbers. python-docx is not needed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig

FORMATS = ("docx", "md", "html")

# finish(blocks, section properties, style ids) -> (blocks, section): see docx_writer.write_docx
Finish = Callable[[list[str], str, dict[str, str]], tuple[list[str], str]]


def notes_document(text: str, fmt: str, config: OrgConfig, *, kind: str, subject: str,
                   finish: Finish | None = None) -> tuple[bytes, list[str]]:
    """The Markdown `text` of notes of `kind` (their title) about `subject` in `fmt`, and the
    warnings of writing it."""
    from qsrkit.document.pipeline import source_date
    from qsrkit.document.text_output import html_output, markdown_output

    title = f"{kind} — {subject}"
    if fmt == "md":
        return markdown_output(text).encode("utf-8"), []
    if fmt == "html":
        page, warnings = html_output(text, title)
        return page.encode("utf-8"), warnings
    from qsrkit.document.docx_writer import DocMeta, write_docx

    when = source_date()
    meta = DocMeta(title=title, author=config.company or "qsrkit",
                   header_left=" · ".join(x for x in (config.company, kind) if x),
                   header_right=subject, footer_left=f"{kind} · {subject}",
                   timestamp=when, reproducible=when is not None)
    return write_docx(text, meta, finish=finish)
