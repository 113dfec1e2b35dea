"""The slim Word template qsrkit renders into: only the styles the QSR uses, nothing else.

python-docx's own default template carries ~876 KB of style XML that every document would load
and save again; this one is a few KB, which makes opening and saving a document several times
faster (see DESIGN.md). The bundled `templates/reference.docx` is built by this module:

    python -m qsrkit.reference_template templates/reference.docx

The style XML also fills in styles a company's `--reference-doc` lacks, so a document always has
every style the writer uses. Stdlib only: nothing heavy is imported here.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Logical name -> (style type, style id, style name as Word shows it). The writer resolves the
# ids of these names once per template; a reference document may use other ids for the same names.
STYLES: dict[str, tuple[str, str, str]] = {
    "normal": ("paragraph", "Normal", "Normal"),
    "title": ("paragraph", "Title", "Title"),
    "subtitle": ("paragraph", "Subtitle", "Subtitle"),
    "heading1": ("paragraph", "Heading1", "heading 1"),
    "heading2": ("paragraph", "Heading2", "heading 2"),
    "heading3": ("paragraph", "Heading3", "heading 3"),
    "heading4": ("paragraph", "Heading4", "heading 4"),
    "quote": ("paragraph", "Quote", "Quote"),
    "list": ("paragraph", "ListParagraph", "List Paragraph"),
    "compact": ("paragraph", "Compact", "Compact"),
    "caption": ("paragraph", "Caption", "caption"),
    "header": ("paragraph", "Header", "header"),
    "footer": ("paragraph", "Footer", "footer"),
    "hyperlink": ("character", "Hyperlink", "Hyperlink"),
    "code": ("character", "VerbatimChar", "Verbatim Char"),
    "table": ("table", "QsrTable", "QSR Table"),
}

# qsrkit's own styles: a Word document has them only when it started from `qsrkit templates
# export`, so a reference without them is normal and they are filled in without a warning.
OWN_STYLES = frozenset({"Compact", "Verbatim Char", "QSR Table"})

ACCENT = "1F3864"
ACCENT_2 = "2E74B5"

_STYLE_XML: dict[str, str] = {
    "Normal": (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
        "</w:style>"
    ),
    "Title": (
        '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="60"/></w:pPr>'
        f'<w:rPr><w:b/><w:color w:val="{ACCENT}"/><w:sz w:val="48"/></w:rPr></w:style>'
    ),
    "Subtitle": (
        '<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="240"/></w:pPr>'
        '<w:rPr><w:color w:val="595959"/><w:sz w:val="26"/></w:rPr></w:style>'
    ),
    "Heading1": (
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:keepNext/><w:keepLines/><w:pBdr><w:bottom w:val="single" w:sz="8" w:space="4"'
        f' w:color="{ACCENT}"/></w:pBdr><w:spacing w:before="360" w:after="160"/>'
        '<w:outlineLvl w:val="0"/></w:pPr>'
        f'<w:rPr><w:b/><w:color w:val="{ACCENT}"/><w:sz w:val="32"/></w:rPr></w:style>'
    ),
    "Heading2": (
        '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80"/>'
        '<w:outlineLvl w:val="1"/></w:pPr>'
        f'<w:rPr><w:b/><w:color w:val="{ACCENT_2}"/><w:sz w:val="26"/></w:rPr></w:style>'
    ),
    "Heading3": (
        '<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="60"/>'
        '<w:outlineLvl w:val="2"/></w:pPr>'
        f'<w:rPr><w:b/><w:color w:val="{ACCENT}"/><w:sz w:val="22"/></w:rPr></w:style>'
    ),
    "Heading4": (
        '<w:style w:type="paragraph" w:styleId="Heading4"><w:name w:val="heading 4"/>'
        '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:keepNext/><w:spacing w:before="160" w:after="40"/>'
        '<w:outlineLvl w:val="3"/></w:pPr><w:rPr><w:b/><w:i/></w:rPr></w:style>'
    ),
    "Quote": (
        '<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/>'
        '<w:basedOn w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="{ACCENT_2}"/></w:pBdr>'
        '<w:shd w:val="clear" w:color="auto" w:fill="F2F6FB"/>'
        '<w:spacing w:before="120" w:after="120"/><w:ind w:left="288" w:right="288"/></w:pPr>'
        '<w:rPr><w:i/><w:color w:val="262626"/></w:rPr></w:style>'
    ),
    "ListParagraph": (
        '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>'
        '<w:basedOn w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="40"/><w:ind w:left="720"/><w:contextualSpacing/></w:pPr>'
        "</w:style>"
    ),
    "Compact": (
        '<w:style w:type="paragraph" w:styleId="Compact"><w:name w:val="Compact"/>'
        '<w:basedOn w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>'
        "</w:style>"
    ),
    "Caption": (
        '<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/>'
        '<w:basedOn w:val="Normal"/><w:qFormat/>'
        '<w:rPr><w:i/><w:color w:val="595959"/><w:sz w:val="18"/></w:rPr></w:style>'
    ),
    "Header": (
        '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:pos="10080"/></w:tabs>'
        '<w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="595959"/><w:sz w:val="18"/>'
        "</w:rPr></w:style>"
    ),
    "Footer": (
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="right" w:pos="10080"/></w:tabs>'
        '<w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="595959"/><w:sz w:val="18"/>'
        "</w:rPr></w:style>"
    ),
    "DefaultParagraphFont": (
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "</w:style>"
    ),
    "Hyperlink": (
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
    ),
    "VerbatimChar": (
        '<w:style w:type="character" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/><w:sz w:val="20"/></w:rPr></w:style>'
    ),
    "TableNormal": (
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        "</w:style>"
    ),
    "QsrTable": (
        '<w:style w:type="table" w:styleId="QsrTable"><w:name w:val="QSR Table"/>'
        '<w:basedOn w:val="TableNormal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:tblPr><w:tblBorders>'
        '<w:top w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:left w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:right w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        "</w:style>"
    ),
    "NoList": (
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        "<w:semiHidden/></w:style>"
    ),
}

# Table header cells: filled with the accent colour, white bold text.
HEADER_FILL = ACCENT
HEADER_TEXT = "FFFFFF"
BAND_FILL = "F2F2F2"

# Letter paper, 0.75 inch margins: 10,080 twips (7 inches) of text width.
TEXT_WIDTH_TWIPS = 10080


def style_xml(style_id: str) -> str:
    """One style's XML (without namespace declarations) from the bundled set."""
    return _STYLE_XML[style_id]


def styles_part() -> str:
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:rFonts w:ascii="Calibri" w:eastAsia="Calibri" w:hAnsi="Calibri" w:cs="Arial"/>'
        '<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )
    body = "".join(_STYLE_XML.values())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">{defaults}{body}</w:styles>'
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Default Extension="jpeg" ContentType="image/jpeg"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    "</Types>"
)

_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)

_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{R_NS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{R_NS}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{R_NS}/numbering" Target="numbering.xml"/>'
    "</Relationships>"
)

_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
    '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>'
    '<w:pgMar w:top="1080" w:right="1080" w:bottom="1080" w:left="1080" w:header="540"'
    ' w:footer="540" w:gutter="0"/><w:cols w:space="720"/></w:sectPr>'
    "</w:body></w:document>"
)

_SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
    ' w:val="15"/></w:compat></w:settings>'
)

_NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:numbering xmlns:w="{W_NS}"/>'
)

_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/'
    'dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Quarterly Sales Review</dc:title><dc:creator>qsrkit</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)


def build() -> bytes:
    """The bytes of templates/reference.docx (always identical for the same qsrkit)."""
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", _CORE),
        ("word/document.xml", _DOCUMENT),
        ("word/_rels/document.xml.rels", _DOC_RELS),
        ("word/styles.xml", styles_part()),
        ("word/settings.xml", _SETTINGS),
        ("word/numbering.xml", _NUMBERING),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates/reference.docx")
    target.write_bytes(build())
    print(f"wrote {target}")
