"""The weekly 1:1 log as a document: `qsrkit one-on-one FILE --render`.

The view context (display strings, newest week first) is built by `living.weekly_view`;
`one_on_one.md.j2` (built in, or the org's copy in its templates folder) turns it into Markdown
in the QSR's sandbox (values escaped, runaway templates stopped), and the usual writers make
.docx, .md or .html of it, as `coaching` does for the coaching notes. jinja2, markdown-it and
python-docx are imported inside functions only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.errors import UsageError

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig

TEMPLATE = "one_on_one.md.j2"
FORMATS = ("docx", "md", "html")
TITLE = "Weekly 1:1 notes"


def render_one_on_one_markdown(context: dict[str, Any], folder: Path | None = None) -> str:
    """Run the 1:1 template in the QSR's sandbox; errors name the template file and line."""
    from qsrkit.document.sandbox import render_markdown

    return render_markdown(context, folder, TEMPLATE)


def one_on_one_document(context: dict[str, Any], config: OrgConfig,
                        fmt: str) -> tuple[bytes, list[str]]:
    """The 1:1 log in `fmt` (docx, md or html), and warnings."""
    from qsrkit.document.notes import notes_document

    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    folder = (config.folder or Path.cwd()) / config.templates if config.templates else None
    text = render_one_on_one_markdown(context, folder)
    return notes_document(text, fmt, config, kind=TITLE,
                          subject=f"{context['rep']}, {context['quarter']}")
