"""Markdown tokens → WordprocessingML body XML: headings, paragraphs, lists, tables and images.

The body is written as XML text that `docx_writer` splices into the base document, instead of
thousands of python-docx calls that each scan the styles (DESIGN.md). Two characters carry structure that Markdown tables cannot
express: U+2028 (`LINE_BREAK`, a line break inside a paragraph or a table cell) and `BULLET_MARK`
(starts a bulleted paragraph inside a table cell). The template sandbox produces them; a seller
cannot, because escaping turns typed ones into text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qsrkit.answers.parse import XML_ILLEGAL
from qsrkit.answers.screenshots import shown_path
from qsrkit.document import reference_template as ref
from qsrkit.document.charts import CHART_SCHEME
from qsrkit.document.docx_images import Embedder
from qsrkit.document.reference_doc import Base

if TYPE_CHECKING:
    from qsrkit.answers.screenshots import Picture
    from qsrkit.document.charts import Chart
    from qsrkit.document.docx_package import Package


LINE_BREAK = "\u2028"
BULLET_MARK = "\ue001"
W_NS = ref.W_NS
NSDECLS = (
    f'xmlns:w="{W_NS}" xmlns:r="{ref.R_NS}" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_TAGS = re.compile(r"<[^>]+>")
_SPLIT = re.compile(f"([{LINE_BREAK}\t])")
CHAR_TWIPS = 125  # a wide-ish character of 10.5 pt bold text
CELL_PADDING_TWIPS = 260
KEEP_TOGETHER_ROWS = 15
# Tokens that close what the writer tracks by their opening token, or that it has no use for.
_NOTHING_TO_WRITE = frozenset({"td_close", "th_close", "tr_close", "thead_open", "thead_close",
                               "tbody_open", "tbody_close", "paragraph_close", "heading_close"})
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


@dataclass
class _Cell:
    header: bool
    align: str | None
    paragraphs: list[tuple[bool, str]] = field(default_factory=list)  # (is bullet, runs xml)


def xml_text(text: str) -> str:
    # Answers are cleaned on load, but template text may still hold characters XML cannot.
    text = XML_ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


class BodyWriter:
    def __init__(self, base: Base, package: Package,
                 pictures: Mapping[str, Picture] | None = None,
                 charts: Mapping[str, Chart] | None = None) -> None:
        self.package = package
        self.base = base
        self.styles = base.styles
        self.pictures = pictures or {}
        self.out: list[str] = []
        self.warnings: list[str] = []
        self.next_num = base.next_num
        self.new_nums: list[str] = []
        self.embedder = Embedder(package, charts)

    # inline ------------------------------------------------------------------------------

    def inline(self, children: list[Any], *, header: bool = False) -> list[tuple[bool, str]]:
        """Runs XML split into paragraphs at BULLET_MARK: [(starts with a bullet, runs)]."""
        if len(children) == 1 and children[0].type == "text":  # plain text, most cells
            content = children[0].content
            if BULLET_MARK not in content:
                if not content:
                    return [(False, "")]
                plain = (f'<w:b/><w:bCs/><w:color w:val="{ref.HEADER_TEXT}"/>' if header
                         else "")
                return [(False, self.run(content, plain))]
        paragraphs: list[tuple[bool, list[str]]] = [(False, [])]
        bold = italic = strike = 0
        link: str | None = None
        link_runs: list[str] = []

        def emit(xml: str) -> None:
            (link_runs if link is not None else paragraphs[-1][1]).append(xml)

        def rpr(code: bool = False) -> str:
            parts = []
            if link is not None:
                parts.append(f'<w:rStyle w:val="{self.styles["hyperlink"]}"/>')
            elif code:
                parts.append(f'<w:rStyle w:val="{self.styles["code"]}"/>')
            if bold or header:
                parts.append("<w:b/><w:bCs/>")
            if italic:
                parts.append("<w:i/><w:iCs/>")
            if strike:
                parts.append("<w:strike/>")
            if header:
                parts.append(f'<w:color w:val="{ref.HEADER_TEXT}"/>')
            return "".join(parts)

        for token in children:
            kind = token.type
            if kind in ("text", "code_inline"):
                content = token.content
                pieces = content.split(BULLET_MARK)
                for index, piece in enumerate(pieces):
                    if index:
                        paragraphs.append((True, []))
                    if piece:
                        emit(self.run(piece, rpr(kind == "code_inline")))
            elif kind == "softbreak":
                emit(self.run(" ", rpr()))
            elif kind == "hardbreak":
                emit("<w:r><w:br/></w:r>")
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "s_open":
                strike += 1
            elif kind == "s_close":
                strike -= 1
            elif kind == "link_open":
                link = str(token.attrGet("href") or "")
                link_runs = []
            elif kind == "link_close":
                href, link = link, None
                runs = "".join(link_runs)
                if href:
                    r_id = self.package.relate(href, _HYPERLINK, external=True)
                    paragraphs[-1][1].append(f'<w:hyperlink r:id="{r_id}" w:history="1">{runs}</w:hyperlink>')
                else:
                    paragraphs[-1][1].append(runs)
            elif kind == "image":
                emit(self.image(str(token.attrGet("src") or ""), token.content))
        if len(paragraphs) > 1 and not paragraphs[0][1]:
            paragraphs.pop(0)  # the cell starts with a bullet
        return [(bullet, "".join(runs)) for bullet, runs in paragraphs]

    def run(self, text: str, rpr: str) -> str:
        if _RTL.search(text):
            rpr += "<w:rtl/>"
        props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
        if LINE_BREAK not in text and "\t" not in text:
            return f'<w:r>{props}<w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'
        body = []
        for piece in _SPLIT.split(text):
            if piece == LINE_BREAK:
                body.append("<w:br/>")
            elif piece == "\t":
                body.append("<w:tab/>")
            elif piece:
                body.append(f'<w:t xml:space="preserve">{xml_text(piece)}</w:t>')
        return f"<w:r>{props}{''.join(body)}</w:r>"

    def image(self, src: str, alt: str) -> str:
        """A picture the context checked and read (`src` names it); any other address is left
        out, so neither a template nor a seller can make Word embed a file of this computer."""
        if src.startswith(CHART_SCHEME):  # a native chart (issue 15): docx_images.Embedder.chart
            return self.embedder.chart(src, alt, self.warnings)
        picture = self.pictures.get(src)
        if picture is None:
            self.warnings.append(f"image {shown_path(src)} was left out: a QSR shows only the "
                                 "dashboards' screenshots (`d.screenshot | image` in the template)")
            return ""
        try:
            return self.embedder.drawing(picture, alt)
        except Exception as exc:  # a damaged picture that only starts like a PNG or JPEG
            self.warnings.append(
                f"screenshot {shown_path(picture.name)} was left out: {str(exc) or type(exc).__name__}")
            return ""

    # blocks ------------------------------------------------------------------------------

    def paragraph(self, runs: str, style: str | None = None, *, num: tuple[int, int] | None = None,
                  jc: str | None = None, ppr_extra: str = "", keep_next: bool = False) -> str:
        ppr = []
        if style:
            ppr.append(f'<w:pStyle w:val="{style}"/>')
        if keep_next:
            ppr.append("<w:keepNext/>")
        if num:
            ppr.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
        ppr.append(ppr_extra)
        if jc:
            ppr.append(f'<w:jc w:val="{jc}"/>')
        props = "".join(ppr)
        return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>" if props else f"<w:p>{runs}</w:p>"

    def keep_last_with_next(self) -> None:
        """Keep the paragraph before a table (its introduction) on the table's page."""
        if not self.out or not self.out[-1].startswith("<w:p>"):
            return
        last = self.out[-1]
        if last.startswith("<w:p><w:pPr><w:pStyle "):
            end = last.index("/>", len("<w:p><w:pPr><w:pStyle ")) + 2
            if "<w:keepNext/>" not in last[:end + 13]:
                self.out[-1] = last[:end] + "<w:keepNext/>" + last[end:]
        elif last.startswith("<w:p><w:pPr>"):
            self.out[-1] = last.replace("<w:p><w:pPr>", "<w:p><w:pPr><w:keepNext/>", 1)
        else:
            self.out[-1] = last.replace("<w:p>", "<w:p><w:pPr><w:keepNext/></w:pPr>", 1)

    def new_ordered(self, start: int) -> int:
        num = self.next_num
        self.next_num += 1
        self.new_nums.append(
            f'<w:num w:numId="{num}"><w:abstractNumId '
            f'w:val="{self.base.decimal_abstract}"/><w:lvlOverride w:ilvl="0">'
            f'<w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
        )
        return num

    def blocks(self, tokens: list[Any]) -> None:
        lists: list[int] = []  # numIds of the open lists, innermost last
        item_started: list[bool] = []
        quote = 0
        table: list[list[_Cell]] | None = None
        heading_style = {"h1": "title", "h2": "heading1", "h3": "heading2", "h4": "heading3"}
        pending_style: str | None = None
        for token in tokens:
            kind = token.type
            if kind in _NOTHING_TO_WRITE:
                continue
            if kind == "inline" and table is not None:
                cell = table[-1][-1]
                cell.paragraphs = self.inline(token.children or [], header=cell.header)
            elif kind == "heading_open":
                pending_style = self.styles[heading_style.get(token.tag, "heading4")]
            elif kind == "paragraph_open":
                pending_style = None
            elif kind == "bullet_list_open":
                lists.append(self.base.bullet_num)
            elif kind == "ordered_list_open":
                lists.append(self.new_ordered(int(token.attrGet("start") or 1)))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                item_started.append(False)
            elif kind == "list_item_close":
                item_started.pop()
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "table_open":
                table = []
                self.keep_last_with_next()
            elif kind == "tr_open" and table is not None:
                table.append([])
            elif kind in ("th_open", "td_open") and table is not None:
                style = str(token.attrGet("style") or "")
                align = style.partition("text-align:")[2].strip() or None
                table[-1].append(_Cell(kind == "th_open", align))
            elif kind == "table_close" and table is not None:
                self.out.append(self.table(table))
                table = None
            elif kind == "hr":
                self.out.append(self.paragraph(
                    "", None, ppr_extra='<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                    'w:color="BFBFBF"/></w:pBdr>'))
            elif kind in ("fence", "code_block"):
                text = token.content.rstrip("\n").replace("\n", LINE_BREAK)
                self.out.append(self.paragraph(self.run(text, f'<w:rStyle w:val="{self.styles["code"]}"/>'),
                                               self.styles["compact"]))
            elif kind == "inline":
                if table is not None:
                    cell = table[-1][-1]
                    cell.paragraphs = self.inline(token.children or [], header=cell.header)
                    continue
                for bullet, runs in self.inline(token.children or []):
                    if pending_style:
                        self.out.append(self.paragraph(runs, pending_style))
                    elif lists:
                        first = not item_started[-1]
                        item_started[-1] = True
                        level = len(lists) - 1
                        if first or bullet:
                            self.out.append(self.paragraph(
                                runs, self.styles["list"],
                                num=(lists[-1] if first else self.base.bullet_num, level)))
                        else:
                            self.out.append(self.paragraph(
                                runs, self.styles["list"],
                                ppr_extra=f'<w:ind w:left="{360 * (level + 1)}"/>'))
                    elif quote:
                        self.out.append(self.paragraph(runs, self.styles["quote"]))
                    elif bullet:
                        self.out.append(self.paragraph(runs, self.styles["list"],
                                                       num=(self.base.bullet_num, 0)))
                    else:
                        self.out.append(self.paragraph(runs))

    def table(self, rows: list[list[_Cell]]) -> str:
        if not rows:
            return ""
        columns = max(len(r) for r in rows)
        widths = _column_widths(rows, columns)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["table"]}"/>'
            '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="autofit"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        compact = self.styles["compact"]
        keep = len(rows) <= KEEP_TOGETHER_ROWS  # a short table stays on one page when it fits
        body_index = 0
        for row in rows:
            header = bool(row) and row[0].header
            out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header
                       else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            fill = ref.HEADER_FILL if header else (ref.BAND_FILL if body_index % 2 else None)
            if not header:
                body_index += 1
            for index in range(columns):
                cell = row[index] if index < len(row) else _Cell(header, None)
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
                paras = []
                for bullet, runs in cell.paragraphs or [(False, "")]:
                    num = (self.base.bullet_num, 0) if bullet else None
                    paras.append(self.paragraph(runs, compact, num=num, jc=cell.align,
                                                keep_next=keep and row is not rows[-1]))
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[index]}" w:type="dxa"/>{shade}'
                           f'<w:vAlign w:val="top"/></w:tcPr>{"".join(paras)}</w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        # An empty paragraph keeps two tables in a row from merging into one.
        out.append(self.paragraph("", compact))
        return "".join(out)


def _column_widths(rows: list[list[_Cell]], columns: int) -> list[int]:
    """Twips per column: room for each column's longest word, the rest shared by text length."""
    longest = [4] * columns
    length = [1] * columns
    for row in rows:
        for index, cell in enumerate(row):
            text = " ".join(_TAGS.sub("", runs) for _, runs in cell.paragraphs)
            # An empty cell (a blank label, a template's empty column) has no words at all.
            longest[index] = max([longest[index], *(len(word) for word in text.split())])
            length[index] = max(length[index], min(len(text), 60))
    minimum = [CHAR_TWIPS * n + CELL_PADDING_TWIPS for n in longest]
    spare = ref.TEXT_WIDTH_TWIPS - sum(minimum)
    if spare <= 0:
        return [ref.TEXT_WIDTH_TWIPS * m // sum(minimum) for m in minimum]
    total = sum(length)
    return [m + spare * n // total for m, n in zip(minimum, length, strict=True)]
