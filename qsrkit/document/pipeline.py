"""Answers + org config + calculator → the view context → the QSR template → Markdown → a document.

The template is Jinja text that sales ops can edit. It runs in a sandbox with StrictUndefined, and
every value it prints is escaped for Markdown, so whatever a seller types (`|`, `*`, `#`, `<`, `&`,
line breaks, emoji, right-to-left text) appears exactly as typed. Filters that build Markdown on
purpose (`bullets`, `link`, `image`) return `Markdown` strings, which are printed as they are.

jinja2, markdown-it and python-docx are imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.document.charts import by_token
from qsrkit.document.context import Findings, build_context
from qsrkit.document.sandbox import BLANK, render_markdown
from qsrkit.document.text_output import html_output, markdown_output
from qsrkit.errors import Problem, QsrError, UsageError

if TYPE_CHECKING:
    from qsrkit.answers.models import Answers
    from qsrkit.answers.yamlsource import YamlDocument
    from qsrkit.config import OrgConfig
    from qsrkit.crm.dashboard_export import CrmData

REFERENCE = "reference.docx"
FORMATS = ("docx", "md", "html", "pdf")  # pdf: the .docx through LibreOffice (`pdf`)


# --- whole documents ---------------------------------------------------------------------------


@dataclass
class RenderOptions:
    """How to render: picklable, so batch workers receive it as it is."""

    config: OrgConfig
    format: str = "docx"
    templates: Path | None = None
    reference: Path | None = None
    blank: bool = False  # the empty template for a rep to fill in: it carries the how-to
    crm: CrmData | None = None  # `--crm`: the export, read once for the batch (Section 4)


@dataclass
class Rendered:
    data: bytes
    name: str  # the default file name: <rep>-<quarter>-qsr.<ext>
    warnings: list[str] = field(default_factory=list)
    # Located warnings about the answers file or the org config (a screenshot refused or
    # missing), to print with the input's other warnings; filled only when render() was given
    # the answers file's `source`, else they are in `warnings` as text.
    problems: list[Problem] = field(default_factory=list)
    # The screenshots it read: inputs of the run, which no output may replace.
    inputs: list[Path] = field(default_factory=list)


def source_date() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, for reproducible output; None when unset."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return dt.datetime.fromtimestamp(int(raw), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw} is not a number of seconds since 1970",
            hint="set it to a whole number such as 1767225600, or unset it",
        ) from None


def default_name(answers: Answers, ext: str, fallback: str = "qsr") -> str:
    """`<rep>-<quarter>-qsr.<ext>`; `<fallback>.<ext>` when the rep or quarter is unanswered."""
    from qsrkit.filenames import slug

    if answers.account_executive and answers.quarter:
        return f"{slug(answers.account_executive)}-{answers.quarter}-qsr.{ext}"
    return f"{slug(fallback)}.{ext}"


def reference_for(options: RenderOptions) -> Path | None:
    if options.reference is not None:
        return options.reference
    if options.templates is not None and (options.templates / REFERENCE).is_file():
        return options.templates / REFERENCE
    return None


def render(answers: Answers, options: RenderOptions, *, answers_dir: Path | None = None,
           fallback_name: str = "qsr", source: YamlDocument | None = None) -> Rendered:
    """One document in `options.format`, with its default file name and warnings.

    `answers_dir` anchors the screenshot paths; `source` (the answers file as loaded) lets
    warnings about them name the line, in `Rendered.problems`."""
    if options.format not in FORMATS:
        raise UsageError(f"unknown format '{options.format}'; use one of: {', '.join(FORMATS)}")
    found = Findings()
    context = build_context(answers, options.config, answers_dir=answers_dir, found=found,
                            source=source, instructions=options.blank, crm=options.crm)
    text = render_markdown(context, options.templates)
    name = default_name(answers, options.format, fallback_name)
    warnings = found.warnings
    problems = found.problems
    read = [p.source for p in found.pictures.values() if p.source is not None]
    charts = by_token(context["charts"])
    if source is None:  # a caller that does not print located problems: say them as text
        warnings = [*(_as_text(p) for p in problems), *warnings]
        problems = []
    if options.format == "md":
        markdown = markdown_output(text, found.pictures, context["label"]["screenshot_elsewhere"],
                                   charts)
        return Rendered(markdown.encode("utf-8"), name, warnings, problems, read)
    if options.format == "html":
        page, more = html_output(text, _title(context), found.pictures, charts)
        return Rendered(page.encode("utf-8"), name, warnings + more, problems, read)
    from qsrkit.document.docx_writer import DocMeta, write_docx

    labels = context["label"]
    when = source_date()
    rep = answers.account_executive or ""
    meta = DocMeta(
        title=_property(_title(context)),
        author=_property(rep or options.config.company or "qsrkit"),
        header_left=" · ".join(x for x in (options.config.company, labels["title"]) if x),
        header_right=" · ".join(x for x in (rep, answers.quarter) if x),
        footer_left=" · ".join(x for x in (rep, answers.quarter) if x),
        page_label=labels["page"],
        of_label=labels["of"],
        timestamp=when,
        reproducible=when is not None,
    )
    data, more = write_docx(text, meta, reference=reference_for(options), pictures=found.pictures,
                             charts=charts)
    if options.format == "pdf":  # one document; a batch converts all of its own in one run
        from qsrkit.document.pdf import convert

        converted = convert([data])[0]
        if isinstance(converted, QsrError):
            raise converted
        data = converted
    return Rendered(data, name, warnings + more, problems, read)


def _as_text(problem: Problem) -> str:
    if problem.file:
        return f"{problem.file}:{problem.line}:{problem.column}: {problem.field}: {problem.message}"
    return f"{problem.field}: {problem.message}"


# Word keeps at most 255 characters in a document property (title, author), and python-docx
# raises ValueError past that; a long name is still whole in the document itself.
MAX_PROPERTY_CHARS = 255


def _property(text: str) -> str:
    if len(text) <= MAX_PROPERTY_CHARS:
        return text
    return text[: MAX_PROPERTY_CHARS - 1] + "…"


def _title(context: dict[str, Any]) -> str:
    parts = [context["label"]["title"]]
    parts += [x for x in (context["rep"], context["quarter"]) if x and x != BLANK]
    return " — ".join(parts)


