"""The .docx package of one document: the prepared base's parts, the parts this document adds, zipped.

python-docx opens, parses and re-serialises every part of the base for each document and then
zips it (3–4 ms, and 200 ms of imports for a cold `qsrkit render`). Here the base's parts are
read once per process (`Skeleton`), the body XML is spliced into its document part as text, and
the package is zipped straight from bytes: no python-docx and no lxml.

Extra parts (screenshots, headers and footers, charts) go through ONE place, `Package.add_part`,
which records the part, its content type and the relationship that points at it; see its
docstring for how to add a new kind of part.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

DOCUMENT = "word/document.xml"
CONTENT_TYPES = "[Content_Types].xml"
PACKAGE_RELS = "_rels/.rels"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_HEADER = f"{OFFICE_RELS}/header"
RT_FOOTER = f"{OFFICE_RELS}/footer"
RT_IMAGE = f"{OFFICE_RELS}/image"
RT_HYPERLINK = f"{OFFICE_RELS}/hyperlink"
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"

# Prefixes the body may use, declared on the document's root element when the base lacks them.
# A new kind of inline content (a chart's `c:`) adds its prefix here.
BODY_NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": OFFICE_RELS,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}

_REL = re.compile(r"<Relationship\b[^>]*>", re.S)
_ATTR = re.compile(r'([\w:]+)\s*=\s*("[^"]*"|\'[^\']*\')')
_ROOT = re.compile(r"<w:document\b[^>]*>", re.S)


def quoteattr(text: str) -> str:
    """`text` as a double-quoted XML attribute value (xml.sax.saxutils would import urllib,
    http and ssl: 40 ms of a cold start)."""
    return '"' + (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                  .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
                  .replace("\t", "&#9;")) + '"'


def _attrs(tag: str) -> dict[str, str]:
    return {k: v[1:-1] for k, v in _ATTR.findall(tag)}


def rels_path(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


@dataclass(frozen=True)
class Skeleton:
    """A prepared base read once: its parts, and its document split around the body."""

    parts: dict[str, bytes]
    head: str  # the document part up to where the body's blocks go
    tail: str  # from the final `<w:sectPr` (or `</w:body>`) to the end
    section: str  # the final section properties, `<w:sectPr ...>...</w:sectPr>`, or ""


@lru_cache(maxsize=8)
def skeleton(data: bytes) -> Skeleton:
    """The base's parts, read from its zip once per process."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts[DOCUMENT].decode("utf-8")
    root = _ROOT.search(text)
    if root is not None:  # declare every prefix the body may use on the root element
        tag = root.group(0)
        declared = _attrs(tag)
        extra = "".join(f' xmlns:{p}="{ns}"' for p, ns in BODY_NAMESPACES.items()
                        if f"xmlns:{p}" not in declared)
        if extra:
            end = len(tag) - (2 if tag.endswith("/>") else 1)
            text = text[:root.start()] + tag[:end] + extra + tag[end:] + text[root.end():]
    close = text.rindex("</w:body>")
    sect = text.rfind("<w:sectPr", 0, close)
    cut = sect if sect >= 0 and text.rfind("</w:sectPr>", sect, close) >= 0 else close
    opening = text.index(">", text.index("<w:body")) + 1
    # The base's body holds no text (reference_clean strips it), only the final section.
    head = text[:opening]
    between = text[opening:cut]
    return Skeleton(parts, head + between, text[cut:], text[cut:close])


@dataclass
class Package:
    """The parts of one document being written, over a `Skeleton` it never changes."""

    base: Skeleton
    parts: dict[str, bytes] = field(default_factory=dict)  # added or replaced parts
    overrides: dict[str, str] = field(default_factory=dict)  # part name → content type
    defaults: dict[str, str] = field(default_factory=dict)  # extension → content type
    rels: dict[str, list[str]] = field(default_factory=dict)  # source part → new <Relationship/>
    _ids: dict[str, int] = field(default_factory=dict)  # source part → next free rId number
    _related: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.parts or name in self.base.parts

    def read(self, name: str) -> bytes:
        return self.parts[name] if name in self.parts else self.base.parts[name]

    def relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """The base's relationships of `source`: r:id → (type, target)."""
        path = rels_path(source)
        if path not in self.base.parts:
            return {}
        found = {}
        for tag in _REL.findall(self.base.parts[path].decode("utf-8")):
            attrs = _attrs(tag)
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))
        return found

    def relate(self, target: str, reltype: str, *, external: bool = False,
               source: str = DOCUMENT) -> str:
        """The r:id relating `source` to `target` (an address, or a part's name relative to
        `source`'s folder), one per target; ids count on from the highest the base uses."""
        key = (source, reltype, target)
        found = self._related.get(key)
        if found is not None:
            return found
        if source not in self._ids:
            taken = [int(r[3:]) for r in self.relationships(source)
                     if r.startswith("rId") and r[3:].isdigit()]
            self._ids[source] = max(taken, default=0) + 1
        r_id = f"rId{self._ids[source]}"
        self._ids[source] += 1
        mode = ' TargetMode="External"' if external else ""
        self.rels.setdefault(source, []).append(
            f"<Relationship Id={quoteattr(r_id)} Type={quoteattr(reltype)} "
            f"Target={quoteattr(target)}{mode}/>")
        self._related[key] = r_id
        return r_id

    def free_name(self, stem: str, ext: str) -> str:
        """`stem` + the first number not taken + `.ext`: word/media/image3.png."""
        number = 1
        while self.has(f"{stem}{number}.{ext}"):
            number += 1
        return f"{stem}{number}.{ext}"

    def add_part(self, name: str, data: bytes, content_type: str, reltype: str | None = None,
                 *, source: str = DOCUMENT, default_for_extension: bool = False) -> str:
        """Add (or replace) part `name` (`word/charts/chart1.xml`) and return the r:id that
        relates `source` (the document by default) to it ("" when `reltype` is None).

        How to add a new kind of part (a chart, say): pick a free name (`free_name`), call
        `add_part` with its bytes, its content type and the relationship type the document
        uses for it, and put the returned r:id in the body XML that shows it. A part that
        needs parts of its own (a chart's embedded workbook) relates them with
        `add_part(..., source=<that part's name>)`; its .rels part is written for it. A prefix
        the body XML uses must be in BODY_NAMESPACES. `default_for_extension` registers the
        content type for the extension (pictures) instead of for this one part.
        """
        self.parts[name] = data
        if default_for_extension:
            self.defaults.setdefault(name.rpartition(".")[2].lower(), content_type)
        else:
            self.overrides["/" + name] = content_type
        if reltype is None:
            return ""
        folder = source.rpartition("/")[0]
        target = name[len(folder) + 1:] if folder and name.startswith(folder + "/") else "/" + name
        return self.relate(target, reltype, source=source)

    def zipped(self, when: dt.datetime | None) -> bytes:
        """The package as .docx bytes; every entry dated `when` (now when None), so the same
        input and SOURCE_DATE_EPOCH give the same bytes."""
        parts = dict(self.base.parts)
        parts.update(self.parts)
        parts[CONTENT_TYPES] = self._content_types(parts[CONTENT_TYPES])
        for source, new in self.rels.items():
            path = rels_path(source)
            old = parts.get(path)
            if old is None:
                old = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' \
                      f'<Relationships xmlns="{REL_NS}"></Relationships>'.encode()
            text = old.decode("utf-8")
            if text.rstrip().endswith("/>"):  # <Relationships .../> with none inside
                text = text.rstrip()[:-2] + "></Relationships>"
            end = text.rindex("</Relationships>")
            parts[path] = (text[:end] + "".join(new) + text[end:]).encode("utf-8")
        if when is None:
            when = dt.datetime.now()
        elif when.tzinfo is not None:
            when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
        stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            # [Content_Types].xml first, as Word and python-docx write it.
            for name in sorted(parts, key=lambda n: n != CONTENT_TYPES):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, parts[name], compresslevel=1)
        return out.getvalue()

    def _content_types(self, data: bytes) -> bytes:
        text = data.decode("utf-8")
        have = {(_attrs(t).get("Extension", "").lower()) for t in
                re.findall(r"<Default\b[^>]*>", text)}
        overridden = {_attrs(t).get("PartName", "") for t in re.findall(r"<Override\b[^>]*>", text)}
        new = [f"<Default Extension={quoteattr(ext)} ContentType={quoteattr(kind)}/>"
               for ext, kind in self.defaults.items() if ext not in have]
        for name, kind in self.overrides.items():
            if name in overridden:  # a replaced part keeps its own declaration
                continue
            new.append(f"<Override PartName={quoteattr(name)} ContentType={quoteattr(kind)}/>")
        if not new:
            return data
        end = text.rindex("</Types>")
        return (text[:end] + "".join(new) + text[end:]).encode("utf-8")
