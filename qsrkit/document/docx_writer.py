"""Markdown (CommonMark + GFM tables) → a .docx: the body, header, footer and properties.

The Markdown comes from the QSR template; markdown-it-py turns it into tokens and `docx_body`
turns the tokens into WordprocessingML. For speed (DESIGN.md) the document starts from a slim
template whose style ids are resolved once per template (`reference_doc`).

python-docx, lxml and markdown-it are imported inside functions only (see `qsrkit --help`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.document.docx_body import NSDECLS, W_NS, BodyWriter, markdown_parser, xml_text
from qsrkit.document.reference_doc import Base, prepare_base

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from qsrkit.answers.screenshots import Picture
    from qsrkit.document.charts import Chart


@dataclass
class DocMeta:
    """What the document says about itself: properties, header and footer."""

    title: str
    author: str
    header_left: str
    header_right: str
    footer_left: str
    page_label: str = "Page"
    of_label: str = "of"
    timestamp: dt.datetime | None = None  # None: now
    reproducible: bool = False  # fixed zip entry times (SOURCE_DATE_EPOCH)


# --- markdown → body XML ---------------------------------------------------------------------


def write_docx(markdown: str, meta: DocMeta, *, reference: Path | None = None,
               pictures: Mapping[str, Picture] | None = None,
               charts: Mapping[str, Chart] | None = None) -> tuple[bytes, list[str]]:
    """The .docx bytes for `markdown`, and warnings (images left out). `pictures` are the
    screenshots the Markdown names (`qsrkit-screenshot:N`), checked and read by the context;
    `charts` the charts it names (`qsrkit-chart:NAME`), drawn as native chart parts."""
    import docx
    from docx.oxml import parse_xml

    base = prepare_base(reference)
    document = docx.Document(io.BytesIO(base.data))
    writer = BodyWriter(document, base, pictures, charts)
    writer.blocks(markdown_parser().parse(markdown))

    body = document.element.body
    fragment = parse_xml(f"<w:body {NSDECLS}>{''.join(writer.out)}</w:body>")
    sect_pr = body.find(f"{{{W_NS}}}sectPr")
    for child in list(fragment):
        if sect_pr is not None:
            sect_pr.addprevious(child)
        else:
            body.append(child)
    if writer.new_nums:
        numbering = document.part.numbering_part.element
        for xml in writer.new_nums:
            numbering.append(parse_xml(xml))
    _header_footer(document, base, meta)
    _properties(document, meta)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if meta.reproducible:
        data = fixed_zip(data, meta.timestamp or dt.datetime(1980, 1, 1))
    return data, list(writer.warnings)


def _header_footer(document: DocxDocument, base: Base, meta: DocMeta) -> None:
    """Our header (rep, quarter) and footer (page numbers), unless the reference brought its own."""
    section = document.sections[0]
    if not base.has_header:
        _set_story(section.header, base.styles["header"],
                   f"{_plain_run(meta.header_left)}<w:r><w:tab/></w:r>{_plain_run(meta.header_right)}")
    if not base.has_footer:
        _set_story(section.footer, base.styles["footer"],
                   f"{_plain_run(meta.footer_left)}<w:r><w:tab/></w:r>"
                   f"{_plain_run(meta.page_label + ' ')}"
                   '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
                   f"{_plain_run(' ' + meta.of_label + ' ')}"
                   '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>')


def _set_story(story: Any, style_id: str, runs: str) -> None:
    """Make a header or footer this section's own, holding one paragraph of `runs`."""
    from docx.oxml import parse_xml

    story.is_linked_to_previous = False
    element = story._element
    for child in list(element):
        element.remove(child)
    element.append(parse_xml(
        f'<w:p {NSDECLS}><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{runs}</w:p>'))


def _plain_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>' if text else ""


def _properties(document: DocxDocument, meta: DocMeta) -> None:
    when = (meta.timestamp or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    props = document.core_properties
    props.title = meta.title
    props.author = meta.author
    props.last_modified_by = meta.author
    props.created = when
    props.modified = when
    props.revision = 1


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same archive with every entry dated `when` (zip times start in 1980)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()
