"""Markdown (CommonMark + GFM tables) → a .docx: the body, header, footer and properties.

The Markdown comes from the QSR template; `fastmarkdown` turns it into markdown-it's tokens
(markdown-it itself for anything outside the subset it ports) and `docx_body` turns the tokens
into WordprocessingML. The body is spliced into the prepared base (`reference_doc`) as text and
the package is zipped from bytes (`docx_package`), without python-docx or lxml (DESIGN.md).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.document.docx_body import BodyWriter, xml_text
from qsrkit.document.docx_package import (
    CT_CORE,
    CT_FOOTER,
    CT_HEADER,
    DOCUMENT,
    RT_CORE,
    RT_FOOTER,
    RT_HEADER,
    Package,
    skeleton,
)
from qsrkit.document.reference_doc import Base, prepare_base

if TYPE_CHECKING:
    from qsrkit.answers.screenshots import Picture
    from qsrkit.document.charts import Chart

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"


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


def parse_markdown(markdown: str, *, fast: bool = True) -> list[Any]:
    """markdown-it's tokens for `markdown`: through the fast subset parser, or (`fast=False`)
    through markdown-it alone; both give the same document (tests/test_fast_markdown.py)."""
    if fast:
        from qsrkit.document.fastmarkdown import block_tokens

        return block_tokens(markdown)
    from qsrkit.document.fastinline import markdown_parser

    return list(markdown_parser().parse(markdown))


def write_docx(markdown: str, meta: DocMeta, *, reference: Path | None = None,
               pictures: Mapping[str, Picture] | None = None,
               charts: Mapping[str, Chart] | None = None, fast: bool = True,
               finish: Any = None) -> tuple[bytes, list[str]]:
    """The .docx bytes for `markdown`, and warnings (images left out). `pictures` are the
    screenshots the Markdown names (`qsrkit-screenshot:N`), checked and read by the context;
    `charts` the charts it names (`qsrkit-chart:NAME`), drawn as native chart parts.
    `finish`, when given, receives the body's blocks (a list of XML strings), the final
    section's properties and the style ids, and returns the blocks and section changed (the
    team pack lays out its pages)."""
    base = prepare_base(reference)
    package = Package(skeleton(base.data))
    writer = BodyWriter(base, package, pictures, charts)
    writer.blocks(parse_markdown(markdown, fast=fast))
    tail = _header_footer(package, base, meta, package.base.tail)
    blocks = writer.out
    if finish is not None:
        end = tail.find("</w:sectPr>")
        section = tail[:end + len("</w:sectPr>")] if tail.startswith("<w:sectPr") and end >= 0 else ""
        blocks, changed = finish(blocks, section, base.styles)
        tail = changed + tail[len(section):]
    package.parts[DOCUMENT] = (package.base.head + "".join(blocks) + tail).encode("utf-8")
    if writer.new_nums:
        _add_numbers(package, writer.new_nums)
    _properties(package, meta)
    when = (meta.timestamp or dt.datetime(1980, 1, 1)) if meta.reproducible else None
    return package.zipped(when), list(writer.warnings)


def _target(package: Package, reltype: str) -> str | None:
    """The part the document relates to with `reltype` (its numbering part), by name."""
    for kind, target in package.relationships(DOCUMENT).values():
        if kind == reltype:
            return target.lstrip("/") if target.startswith("/") else f"word/{target}"
    return None


def _add_numbers(package: Package, nums: list[str]) -> None:
    name = _target(package, _NUMBERING)
    if name is None:  # reference_doc always gives the base a numbering part
        raise RuntimeError("the prepared base has no numbering part")
    text = package.read(name).decode("utf-8")
    end = text.rindex("</w:numbering>")
    package.parts[name] = (text[:end] + "".join(nums) + text[end:]).encode("utf-8")


def _header_footer(package: Package, base: Base, meta: DocMeta, tail: str) -> str:
    """Our header (rep, quarter) and footer (page numbers), unless the reference brought its
    own; returns the document's tail with the section pointing at them."""
    stories = []
    if not base.has_header:
        stories.append(("header", RT_HEADER, CT_HEADER, base.styles["header"],
                        f"{_plain_run(meta.header_left)}<w:r><w:tab/></w:r>"
                        f"{_plain_run(meta.header_right)}"))
    if not base.has_footer:
        stories.append(("footer", RT_FOOTER, CT_FOOTER, base.styles["footer"],
                        f"{_plain_run(meta.footer_left)}<w:r><w:tab/></w:r>"
                        f"{_plain_run(meta.page_label + ' ')}"
                        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
                        f"{_plain_run(' ' + meta.of_label + ' ')}"
                        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    rels = package.relationships(DOCUMENT)
    for kind, reltype, content_type, style, runs in stories:
        xml = (f'{_XML}<w:{"hdr" if kind == "header" else "ftr"} {_W} {_R}><w:p><w:pPr>'
               f'<w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'
               f'</w:{"hdr" if kind == "header" else "ftr"}>').encode()
        reference = re.search(rf'<w:{kind}Reference\b[^>]*w:type="default"[^>]*/>', tail)
        r_id = re.search(r'r:id="([^"]+)"', reference.group(0)) if reference else None
        if r_id is not None and r_id[1] in rels:  # the section has one (empty): write over it
            target = rels[r_id[1]][1]
            name = target.lstrip("/") if target.startswith("/") else f"word/{target}"
            package.parts[name] = xml
            continue
        r_id_new = package.add_part(package.free_name(f"word/{kind}", "xml"), xml, content_type,
                                    reltype)
        element = f'<w:{kind}Reference w:type="default" r:id="{r_id_new}"/>'
        if reference is not None:
            tail = tail.replace(reference.group(0), element, 1)
        else:  # references come first in a section's properties
            opening = re.search(r"<w:sectPr\b[^>]*?(/?)>", tail)
            if opening is None:
                continue
            if opening[1]:  # <w:sectPr/>
                tail = (tail[:opening.start()] + opening[0][:-2] + f">{element}</w:sectPr>"
                        + tail[opening.end():])
            else:
                tail = tail[:opening.end()] + element + tail[opening.end():]
    return tail


def _plain_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>' if text else ""


def _properties(package: Package, meta: DocMeta) -> None:
    """docProps/core.xml: title, author, dates, revision (the base's own are not the QSR's)."""
    when = (meta.timestamp or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = (f"{_XML}<cp:coreProperties "
           'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
           f"<dc:title>{xml_text(meta.title)}</dc:title>"
           f"<dc:creator>{xml_text(meta.author)}</dc:creator>"
           f"<cp:lastModifiedBy>{xml_text(meta.author)}</cp:lastModifiedBy>"
           "<cp:revision>1</cp:revision>"
           f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
           f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
           "</cp:coreProperties>").encode()
    for kind, target in package.relationships("").values():  # the package's own
        if kind == RT_CORE:
            package.parts[target.lstrip("/")] = xml
            return
    package.add_part("docProps/core.xml", xml, CT_CORE, RT_CORE, source="")


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
