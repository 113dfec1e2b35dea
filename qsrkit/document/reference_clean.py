"""What of a reference document stays: its styles, header and footer; never its text or links.

Body text, notes, comments, metadata, macros and every link to the outside are dropped, so a
company's template cannot leak a draft or a tracking link into each rep's QSR; fields Word would
run (INCLUDEPICTURE, INCLUDETEXT, HYPERLINK, DDE...) are dropped from what stays
(`reference_fields`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from qsrkit.document import reference_template as ref
from qsrkit.document.reference_check import EXTENDED_NS, OFFICE_NS, POSITION, xml_parser
from qsrkit.document.reference_fields import strip_fields
from qsrkit.document.reference_template import W_NS
from qsrkit.errors import ReferenceDocError

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


# Parts that can carry code (VBA, ActiveX, OLE objects, macro key bindings): dropped wherever the
# reference relates them from, by content type, so no keep-list mistake can let them through.
_CODE_PARTS = ("vba", "activex", "macroenabled", "keymapcustomizations", "attachedtoolbars",
               "oleobject")
_SEPARATOR_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


# Elements that mean nothing without the relationship their r:id names: dropped along with it.
_NEEDS_REL = frozenset(
    [f"{{{W_NS}}}{tag}" for tag in (
        "headerReference", "footerReference", "printerSettings", "attachedTemplate", "altChunk",
        "control", "subDoc", "embedRegular", "embedBold", "embedItalic", "embedBoldItalic")]
    + [f"{{{OFFICE_NS}}}OLEObject",
       "{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData"]
)


def has_text(story: Any) -> bool:
    element = story._element
    return bool(element.xpath(".//w:t[normalize-space(.)!=''] | .//w:fldSimple | .//w:drawing"
                              " | .//w:instrText"))


def strip_body(document: DocxDocument, name: str) -> list[str]:
    """Keep the reference's styles, header and footer; drop its body text, notes, comments,
    metadata, macros, every link to the outside and every field Word would run. Return the
    names of the fields removed, in the order found."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    body = document.element.body
    sect_pr = body.find(f"{{{W_NS}}}sectPr")
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    # Everything else the document part relates (comments, glossary building blocks, custom XML,
    # people, VBA...) is left behind, and with it every part only it leads to.
    keep = {RT.STYLES, RT.NUMBERING, RT.SETTINGS, RT.FONT_TABLE, RT.THEME, RT.WEB_SETTINGS,
            RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES,
            "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    part = document.part
    xml = document.element.xml
    for r_id, rel in list(part.rels.items()):
        if rel.is_external or (rel.reltype not in keep) or (
            rel.reltype in (RT.HEADER, RT.FOOTER) and f'"{r_id}"' not in xml
        ):
            part.rels.pop(r_id)
    settings = document.settings.element
    # documentProtection and writeProtection would lock the seller out of their own QSR;
    # updateFields asks Word to run every field as the document opens.
    for tag in ("attachedTemplate", "linkStyles", "docVars", "rsids", "mailMerge",
                "documentProtection", "writeProtection", "updateFields"):
        for found in settings.findall(f"{{{W_NS}}}{tag}"):
            settings.remove(found)
    _strip_metadata(document)
    removed: list[str] = []
    for kept in list(part.package.iter_parts()):
        removed += _clean_part(kept, name)
    return removed


def _strip_metadata(document: DocxDocument) -> None:
    """The reference's properties describe it, not the QSR: write_docx sets title, author and
    dates. Its company name stays (branding); custom properties and the thumbnail (a picture of
    its first page) go."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    package = document.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.is_external or rel.reltype not in (
                RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES):
            package.rels.pop(r_id)
    core = document.core_properties._element
    for child in list(core):
        core.remove(child)
    for r_id, rel in list(package.rels.items()):
        if rel.reltype != RT.EXTENDED_PROPERTIES:
            continue
        try:
            found = etree.fromstring(rel.target_part.blob, xml_parser()).find(
                f"{{{EXTENDED_NS}}}Company")
        except etree.XMLSyntaxError:  # only under a name not ending in .xml; nothing needs it
            found = None
        company = (found.text or "").strip() if found is not None else ""
        if company:
            rel.target_part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Properties xmlns="{EXTENDED_NS}"><Company>{escape(company)}</Company>'
                "</Properties>").encode()
        else:
            package.rels.pop(r_id)


def _clean_part(part: Any, name: str) -> list[str]:
    """Drop a kept part's links to the outside and to code, and the r:ids that named them; in
    headers, footers and notes also fields Word would run (their names are returned), comment
    anchors, unused relationships and (notes) every note but the separators, which are the
    reference's own text."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import XmlPart
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    for r_id, rel in list(part.rels.items()):
        if rel.is_external or any(
                code in rel.target_part.content_type.lower() for code in _CODE_PARTS):
            part.rels.pop(r_id)
    content_type = part.content_type
    if isinstance(part, XmlPart):
        root, loaded = part.element, False
    elif content_type.endswith("xml") and not content_type.startswith("image/"):
        # A part python-docx keeps as bytes (notes, theme, fonts); checked already unless its
        # name does not end in .xml.
        try:
            root, loaded = etree.fromstring(part.blob, xml_parser()), True
        except etree.XMLSyntaxError as exc:
            raise ReferenceDocError.at(
                name, f"is not well-formed XML ({POSITION.sub('', exc.msg or '')}); open the "
                "document in Word and save it again", line=exc.position[0],
                column=exc.position[1], field=str(part.partname).lstrip("/"),
            ) from None
    else:
        return []
    changed = False
    removed: list[str] = []
    paths = _paths()
    if content_type in (CT.WML_FOOTNOTES, CT.WML_ENDNOTES):
        for note in paths["notes"](root):
            if note.get(f"{{{W_NS}}}type") not in _SEPARATOR_NOTES:
                root.remove(note)
                changed = True
    if content_type in (CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES):
        removed = strip_fields(root)
        changed |= bool(removed)
        for anchor in paths["comments"](root):
            anchor.getparent().remove(anchor)
            changed = True
        used = {str(value) for value in paths["values"](root)}
        for r_id in [r_id for r_id in part.rels if r_id not in used]:
            part.rels.pop(r_id)  # e.g. the pictures of the notes just removed
    changed |= _drop_dangling_ids(root, set(part.rels))
    if loaded and changed:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)
    return removed


@lru_cache(maxsize=1)
def _paths() -> dict[str, Any]:
    """Compiled XPaths (python-docx's elements override .xpath() without variables)."""
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    ns = {"w": W_NS}
    return {
        "notes": etree.XPath("w:footnote | w:endnote", namespaces=ns),
        "comments": etree.XPath(".//w:commentRangeStart | .//w:commentRangeEnd"
                                " | .//w:commentReference", namespaces=ns),
        "values": etree.XPath("//@*"),
        "ids": etree.XPath("//@*[namespace-uri()=$r or (namespace-uri()=$o and "
                           "local-name()='relid')]"),
    }


def _drop_dangling_ids(root: Any, r_ids: set[str]) -> bool:
    """Remove each r:* (and VML o:relid) attribute naming no relationship of its part, so a
    header's outside hyperlink keeps its text and loses its link; an element that means nothing
    without its relationship (a printer-settings or header reference, a linked OLE object) goes
    whole. True when anything changed."""
    found = _paths()["ids"](root, r=ref.R_NS, o=OFFICE_NS)
    changed = False
    doomed = []
    for value in found:
        if str(value) in r_ids:
            continue
        changed = True
        element = value.getparent()
        if element.tag in _NEEDS_REL:
            doomed.append(element)
        else:
            del element.attrib[value.attrname]
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return changed
