"""The styles and list numbering every QSR needs, added to a reference document that lacks them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qsrkit.document import reference_template as ref
from qsrkit.document.reference_template import W_NS

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


# Numbering definitions added to every base template: one for bullets, one for numbers.
_BULLET_CHARS = ("\u2022", "\u25e6", "\u25aa")
_DECIMAL_FORMATS = (("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3."))


_STYLE_HEAD = re.compile(r'<w:style w:type="(\w+)".*?<w:name w:val="([^"]+)"/>')


def ensure_styles(document: DocxDocument) -> tuple[dict[str, str], list[str], list[str]]:
    """The style id to use for each logical style, adding qsrkit's own for any the document lacks
    by name and type; and the names it lacked, with a note for each it has as another type."""
    from docx.oxml import parse_xml

    w = f"{{{W_NS}}}"
    styles_element = document.styles.element
    by_name: dict[tuple[str, str], str] = {}  # (type, lower-case name) -> style id
    type_of_name: dict[str, str] = {}
    ids: set[str] = set()
    defaults: set[str] = set()  # types that already have a default style
    for style in styles_element.iterchildren(f"{w}style"):
        style_id = style.get(f"{w}styleId") or ""
        name_el = style.find(f"{w}name")
        name = ((name_el.get(f"{w}val") if name_el is not None else None) or style_id).lower()
        kind = style.get(f"{w}type") or "paragraph"
        by_name.setdefault((kind, name), style_id)
        type_of_name.setdefault(name, kind)
        ids.add(style_id)
        if style.get(f"{w}default") in ("1", "true", "on"):
            defaults.add(kind)

    def add(our_id: str) -> str:
        """The document's style for qsrkit's style `our_id`, added when it has none by name."""
        match = _STYLE_HEAD.match(ref.style_xml(our_id))
        assert match is not None, our_id  # every bundled style starts with its type and name
        kind, name = match[1], match[2]
        found = by_name.get((kind, name.lower()))
        if found is not None:
            return found
        element = parse_xml(_with_ns(ref.style_xml(our_id)))
        # basedOn and next name the document's own styles: a German Word's Normal is "Standard".
        for link in element.iterchildren(f"{w}basedOn", f"{w}next"):
            link.set(f"{w}val", add(link.get(f"{w}val")))
        style_id, number = our_id, 1
        while style_id in ids:  # the id is taken by a style of another name or type
            number += 1
            style_id = f"{our_id}{number}"
        element.set(f"{w}styleId", style_id)
        if name.lower() in type_of_name:  # Word wants one style per name, whatever its type
            element.find(f"{w}name").set(f"{w}val", f"{name} (qsrkit)")
        if kind in defaults:
            element.attrib.pop(f"{w}default", None)
        styles_element.append(element)
        ids.add(style_id)
        by_name[(kind, name.lower())] = style_id
        return style_id

    missing: list[str] = []
    notes: list[str] = []
    for kind, _, name in ref.STYLES.values():
        if (kind, name.lower()) not in by_name:
            if name not in ref.OWN_STYLES:
                missing.append(name)
            other = type_of_name.get(name.lower())
            if other is not None:
                notes.append(f'"{name}" is a {other} style there, qsrkit needs a {kind} style')
    resolved = {logical: add(style_id) for logical, (_, style_id, _) in ref.STYLES.items()}
    return resolved, missing, notes


def _with_ns(xml: str) -> str:
    return xml.replace("<w:style ", f'<w:style xmlns:w="{W_NS}" ', 1)


def ensure_numbering(document: DocxDocument) -> tuple[int, int, int]:
    """Add a bullet and a decimal list definition; return (bullet numId, decimal abstractNumId,
    next free numId)."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(f"{{{W_NS}}}abstractNumId"))
                    for a in numbering.findall(f"{{{W_NS}}}abstractNum")]
    num_ids = [int(n.get(f"{{{W_NS}}}numId")) for n in numbering.findall(f"{{{W_NS}}}num")]
    bullet_abstract = max(abstract_ids, default=0) + 1
    decimal_abstract = bullet_abstract + 1
    bullet_levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="{_BULLET_CHARS[i % 3]}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{360 * (i + 1)}" w:hanging="240"/></w:pPr></w:lvl>'
        for i in range(6)
    )
    decimal_levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{_DECIMAL_FORMATS[i % 3][0]}"/>'
        f'<w:lvlText w:val="%{i + 1}{_DECIMAL_FORMATS[i % 3][1][2:]}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{360 * (i + 1)}" w:hanging="300"/></w:pPr></w:lvl>'
        for i in range(6)
    )
    abstracts = [
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{bullet_abstract}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{bullet_levels}</w:abstractNum>',
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{decimal_abstract}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{decimal_levels}</w:abstractNum>',
    ]
    first_num = numbering.find(f"{{{W_NS}}}num")
    for xml in abstracts:
        element = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    bullet_num = max(num_ids, default=0) + 1
    numbering.append(parse_xml(
        f'<w:num xmlns:w="{W_NS}" w:numId="{bullet_num}">'
        f'<w:abstractNumId w:val="{bullet_abstract}"/></w:num>'
    ))
    return bullet_num, decimal_abstract, bullet_num + 1
