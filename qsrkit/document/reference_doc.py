"""A Word file a company hands in as `--reference-doc`, made safe and ready to render into.

A reference document gives the QSR its styles, header and footer, the way pandoc's does. It comes
from outside, so before python-docx sees it, it is checked (size on disk and unpacked, entry count,
compression method, well-formed XML, no DOCTYPE) and repacked; then everything that is not
styling is dropped: body text, notes, comments, metadata, macros and any link to the outside.
Every needed style the file lacks is filled in from qsrkit's own, and named in a warning.

The bundled `templates/reference.docx` goes through the same path, so it tests the checks on
every run. python-docx and lxml are imported inside functions only (see `qsrkit --help`).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qsrkit.document import reference_template as ref
from qsrkit.errors import InvalidInput, ReferenceDocError

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

W_NS = ref.W_NS

# Numbering definitions added to every base template: one for bullets, one for numbers.
_BULLET_CHARS = ("\u2022", "\u25e6", "\u25aa")
_DECIMAL_FORMATS = (("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3."))


@dataclass
class Base:
    """A prepared template: its bytes, the style ids to use and the numbering ids."""

    data: bytes
    styles: dict[str, str]
    bullet_num: int
    decimal_abstract: int
    next_num: int
    has_header: bool
    has_footer: bool
    # Names of qsrkit's styles the reference lacks (qsrkit's own are used), and notes on names
    # it has as another type; write_docx turns them into one warning.
    missing_styles: tuple[str, ...] = ()
    style_notes: tuple[str, ...] = ()


# --- templates ---------------------------------------------------------------------------------

_MIB = 1024 * 1024
# A reference document is styles, a header and footer and perhaps a logo; Word saves one in 20 KB
# to a few MB. Pictures are stored already compressed, so a file unpacks to little more than its
# size plus its XML (which zips 5-10x): 32 MiB on disk and 64 MiB unpacked leave room for a
# letterhead full of photos and still bound what a reference can cost (inflating 64 MiB of XML
# takes well under a second). No cap on the compression ratio: the total already bounds the work,
# and honest XML can compress 100x.
MAX_REFERENCE_BYTES = 32 * _MIB
MAX_UNPACKED_BYTES = 64 * _MIB
MAX_ENTRIES = 2000  # Word writes 10-40 parts; hundreds only with hundreds of pictures
# zipfile builds a ZipInfo for every entry of the central directory before we can count them, and
# reads them by the directory's byte size, whatever count the archive declares: a 27 MiB file of
# 600,000 tiny entries costs it 6 s and 210 MiB. So the directory's size is checked first: Word's
# entries take under 100 bytes each, 1 KiB each is generous.
_MAX_DIRECTORY_BYTES = MAX_ENTRIES * 1024
_READ_CHUNK = _MIB

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, and a password-protected .docx
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Main parts python-docx refuses whose styles are just as good: .dotx, .docm and .dotm. They are
# opened as a .docx's main part; their macros never reach the output (_CODE_PARTS).
_CONVERTIBLE_MAIN = frozenset({
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
})
_PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_OFFICE_NS = "urn:schemas-microsoft-com:office:office"
_POSITION = re.compile(r", line \d+, column \d+$")

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
    + [f"{{{_OFFICE_NS}}}OLEObject",
       "{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData"]
)


def bundled_reference() -> bytes:
    from importlib import resources

    return resources.files("qsrkit.templates").joinpath("reference.docx").read_bytes()


def prepare_base(reference: Path | None) -> Base:
    """The template to render into, prepared once per process for each reference file."""
    if reference is None:
        return _prepare_cached(None, 0, 0)
    try:
        stat = reference.stat()
    except OSError:
        raise ReferenceDocError.at(
            str(reference), "reference document not found; give the path of a .docx file whose "
            "styles to use",
        ) from None
    return _prepare_cached(str(reference), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _prepare_cached(path: str | None, _mtime: int, size: int) -> Base:
    if path is None:
        return _prepare(bundled_reference(), "the bundled template", clean=False)
    reference = Path(path)
    if reference.is_dir():
        raise ReferenceDocError.at(
            path, "the reference document is a folder; give the path of a .docx file")
    if not reference.is_file():
        raise ReferenceDocError.at(
            path, "the reference document is not a regular file (a device or a pipe); give the "
            "path of a .docx file")
    if size > MAX_REFERENCE_BYTES:
        raise _too_big(path, size)
    try:
        with reference.open("rb") as handle:
            # read(n) allocates n bytes up front, so ask for the size the stat gave, not the limit
            data = handle.read(size + 1)
            if len(data) > size:  # it grew since the stat: read on, up to the limit
                data += handle.read(MAX_REFERENCE_BYTES + 1 - len(data))
    except OSError as exc:
        raise ReferenceDocError.at(
            path, f"the reference document cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_REFERENCE_BYTES:
        raise _too_big(path, len(data))
    return _prepare(data, path, clean=True)


def _too_big(path: str, size: int) -> InvalidInput:
    return ReferenceDocError.at(
        path, f"is {_mb(size)} MB, more than a reference document ever needs (limit "
        f"{_mb(MAX_REFERENCE_BYTES)} MB); compress its pictures in Word (Picture Format > "
        "Compress Pictures), save it and try again",
    )


def _mb(size: int) -> str:
    return f"{size / _MIB:.1f}".removesuffix(".0")


def _prepare(data: bytes, name: str, *, clean: bool) -> Base:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = _checked_package(data, name)
    try:
        document = docx.Document(io.BytesIO(package))
    except Exception as exc:  # python-docx raises KeyError, ValueError... for a broken package
        raise ReferenceDocError.at(
            name, f"cannot be opened as a Word document ({exc}); open it in Word, save it as "
            ".docx and try again",
        ) from None
    part = document.part
    if not any(rel.reltype == RT.STYLES for rel in part.rels.values()):
        raise ReferenceDocError.at(
            name, "has no styles part, so there are no styles to take; save it from Word as "
            ".docx and try again", field="word/styles.xml",
        )
    if clean:
        _strip_body(document, name)
    styles, missing, notes = _ensure_styles(document)
    bullet_num, decimal_abstract, next_num = _ensure_numbering(document)
    section = document.sections[0]
    has_header = clean and not section.header.is_linked_to_previous and _has_text(section.header)
    has_footer = clean and not section.footer.is_linked_to_previous and _has_text(section.footer)
    buffer = io.BytesIO()
    document.save(buffer)
    return Base(buffer.getvalue(), styles, bullet_num, decimal_abstract, next_num,
                has_header, has_footer, tuple(missing), tuple(notes))


# --- reference documents: checked before python-docx sees them ----------------------------------


def _xml_parser() -> Any:
    """lxml's parser for untrusted parts: no entities expanded, no network, no DTD loaded and
    libxml2's default limits on depth and text size."""
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False)


def _checked_package(data: bytes, name: str) -> bytes:
    """`data` checked the way python-docx does not, and repacked for python-docx to open.

    The sizes the zip's central directory declares are checked before anything is inflated. That
    alone is not enough: CPython's ZipExtFile never returns more than an entry's declared
    file_size, but `ZipFile.read()` asks zlib for up to ZipExtFile.MAX_N (1 GiB) in one call and
    only then cuts the result to that size (zipfile.py, ZipExtFile.read and _read1), so an entry
    whose declared size lies would still be inflated whole (measured: 460 MB for a 200 MB entry
    declared as 1 KB). Reading in chunks passes the chunk size to zlib as max_length, which
    bounds each call; bzip2 and LZMA entries get no max_length at all, and Word never writes them,
    so they are refused. python-docx is given our stored (uncompressed) repack, never the
    original archive.
    """
    directory = _directory_size(data)
    if directory is not None and directory > _MAX_DIRECTORY_BYTES:
        raise ReferenceDocError.at(
            name, f"has more files packed inside than a Word document ever has (limit "
            f"{MAX_ENTRIES:,}); open it in Word and save it as .docx again",
        )
    archive = _open_zip(data, name)
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ReferenceDocError.at(
            name, f"has {len(infos):,} files packed inside, more than a Word document ever has "
            f"(limit {MAX_ENTRIES:,}); open it in Word and save it as .docx again",
        )
    odd = next((info for info in infos
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)), None)
    if odd is not None:
        raise ReferenceDocError.at(
            name, f"is packed with a compression method Word never uses (zip method "
            f"{odd.compress_type}); open the document in Word and save it again",
            field=odd.filename,
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReferenceDocError.at(
            name, f"unpacks to {_mb(unpacked)} MB, more than a reference document ever needs "
            f"(limit {_mb(MAX_UNPACKED_BYTES)} MB); if it is a real Word file, compress its "
            "pictures in Word (Picture Format > Compress Pictures) and save it again",
        )
    parser = _xml_parser()
    entries: dict[str, bytes] = {}
    package_items: dict[str, Any] = {}
    for info in infos:
        if info.is_dir():
            continue
        blob = _read_entry(archive, info, name)
        entries[info.filename] = blob
        if info.filename.lower().endswith((".xml", ".rels")):
            root = _parse_part(blob, info.filename, name, parser)
            if info.filename in ("[Content_Types].xml", "_rels/.rels"):
                package_items[info.filename] = root
    content_types = _word_content_types(package_items, entries, name)
    if content_types is not None:
        entries["[Content_Types].xml"] = content_types
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
        for member, blob in entries.items():
            repacked.writestr(zipfile.ZipInfo(member), blob)
    return out.getvalue()


def _directory_size(data: bytes) -> int | None:
    """The byte size of the zip's central directory, found the way zipfile finds it (the end
    record in the last 22 bytes, else the last one within a comment's reach; zip64's if the end
    record defers to it); None when there is no end record (zipfile will say so)."""
    at = len(data) - 22
    if not (at >= 0 and data.startswith(b"PK\x05\x06", at) and data.endswith(b"\0\0")):
        at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or at + 22 > len(data):
        return None
    size: int = struct.unpack_from("<I", data, at + 12)[0]
    if size == 0xFFFFFFFF and at >= 20 and data.startswith(b"PK\x06\x07", at - 20):
        offset = struct.unpack_from("<Q", data, at - 12)[0]
        if data.startswith(b"PK\x06\x06", offset) and offset + 56 <= len(data):
            size = struct.unpack_from("<Q", data, offset + 40)[0]
    return size


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    if not data:
        raise ReferenceDocError.at(
            name, "is empty (0 bytes); save the reference document from Word as .docx and try "
            "again",
        )
    if data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReferenceDocError.at(
                name, "is protected with a password, so its styles cannot be read; remove the "
                "password in Word (File > Info > Protect Document), save it and try again",
            )
        raise ReferenceDocError.at(
            name, "is a Word 97-2003 .doc file, not a .docx; open it in Word, use File > Save "
            "As > Word Document (.docx) and give that file",
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        pass
    if data.startswith(b"PK\x03\x04"):
        raise ReferenceDocError.at(
            name, "looks cut short: it starts like a .docx but the end of the file is missing "
            "(an incomplete download or copy?); save or copy it again",
        )
    raise ReferenceDocError.at(
        name, f"not a Word .docx file ({_what_it_is(data)}); save it from Word as .docx and try "
        "again",
    )


def _what_it_is(data: bytes) -> str:
    head = data[:1024]
    if head.startswith(b"{\\rtf"):
        return "it is an RTF file"
    if head.startswith(b"%PDF-"):
        return "it is a PDF"
    if not re.search(rb"[\x00-\x08\x0e-\x1f]", head):
        return "it is plain text, not a zip archive"
    return "it is not a zip archive"


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    chunks: list[bytes] = []
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_READ_CHUNK):
                chunks.append(chunk)
    except Exception as exc:  # zipfile, zlib, bz2 and lzma each raise their own for a bad entry
        raise ReferenceDocError.at(
            name, f"cannot be unpacked ({exc}), so the file is damaged; save or copy it again",
            field=info.filename,
        ) from None
    return b"".join(chunks)


def _parse_part(blob: bytes, part: str, name: str, parser: Any) -> Any:
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        if b"<!DOCTYPE" in blob:  # entity bombs stop the parser; name the cause, not the symptom
            raise _doctype(blob, part, name) from None
        line, column = exc.position
        reason = _POSITION.sub("", exc.msg or "syntax error")
        raise ReferenceDocError.at(
            name, f"is not well-formed XML ({reason}); open the document in Word and save it "
            "again", line=line, column=column, field=part,
        ) from None
    if root.getroottree().docinfo.doctype:
        raise _doctype(blob, part, name)
    return root


def _doctype(blob: bytes, part: str, name: str) -> InvalidInput:
    """Word never writes a DOCTYPE; in XML it is how a file pulls in others or expands entities."""
    at = blob.find(b"<!DOCTYPE")
    line = blob.count(b"\n", 0, at) + 1 if at >= 0 else 0
    column = at - blob.rfind(b"\n", 0, at) if at >= 0 else 0
    return ReferenceDocError.at(
        name, "has a DOCTYPE declaration, which Word never writes; open the document in Word "
        "and save it again", line=line, column=column, field=part,
    )


def _word_content_types(items: dict[str, Any], entries: dict[str, bytes],
                        name: str) -> bytes | None:
    """[Content_Types].xml rewritten so a template's or macro document's main part opens as a
    .docx's; None when the file is a plain .docx already."""
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    types, rels = items.get("[Content_Types].xml"), items.get("_rels/.rels")
    if types is None or rels is None:
        lacking = "[Content_Types].xml" if types is None else "_rels/.rels"
        raise ReferenceDocError.at(
            name, f"is a zip archive but not a Word document (it has no {lacking}); save it "
            "from Word as .docx and try again",
        )
    target = ""
    for rel in rels.iterchildren(f"{{{_PKG_RELS_NS}}}Relationship"):
        kind = rel.get("Type") or ""
        if kind == f"{ref.R_NS}/officeDocument":
            target = rel.get("Target") or ""
            break
        if kind.startswith("http://purl.oclc.org/ooxml/") and kind.endswith("/officeDocument"):
            raise ReferenceDocError.at(
                name, "is saved as Strict Open XML, which qsrkit cannot read; in Word use File "
                "> Save As > Word Document (.docx) and give that file",
            )
    if not target:
        raise ReferenceDocError.at(
            name, "is a zip archive but not a Word document (it has no main document part); save "
            "it from Word as .docx and try again", field="_rels/.rels",
        )
    member = target.lstrip("/")
    if member not in entries:
        raise ReferenceDocError.at(
            name, "is missing, so the file is damaged; save or copy it again", field=member)
    partname = f"/{member}".lower()
    override = next((o for o in types.iterchildren(f"{{{_TYPES_NS}}}Override")
                     if (o.get("PartName") or "").lower() == partname), None)
    if override is not None:
        content_type = override.get("ContentType") or ""
    else:
        extension = partname.rpartition(".")[2]
        content_type = next((d.get("ContentType") or ""
                             for d in types.iterchildren(f"{{{_TYPES_NS}}}Default")
                             if (d.get("Extension") or "").lower() == extension), "")
    if content_type == _DOCX_MAIN:
        return None
    if content_type not in _CONVERTIBLE_MAIN:
        if "spreadsheetml" in content_type or "ms-excel" in content_type:
            what = "an Excel workbook"
        elif "presentationml" in content_type or "ms-powerpoint" in content_type:
            what = "a PowerPoint presentation"
        else:
            what = f"a package whose main part is {content_type or 'of no known type'}"
        raise ReferenceDocError.at(
            name, f"is {what}, not a Word document; give a .docx saved from Word")
    if override is None:
        override = etree.SubElement(types, f"{{{_TYPES_NS}}}Override", PartName=f"/{member}")
    override.set("ContentType", _DOCX_MAIN)
    result: bytes = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    return result


# --- reference documents: what stays --------------------------------------------------------


def _has_text(story: Any) -> bool:
    element = story._element
    return bool(element.xpath(".//w:t[normalize-space(.)!=''] | .//w:fldSimple | .//w:drawing"
                              " | .//w:instrText"))


def _strip_body(document: DocxDocument, name: str) -> None:
    """Keep the reference's styles, header and footer; drop its body text, notes, comments,
    metadata, macros and every link to the outside."""
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
    # documentProtection and writeProtection would lock the seller out of their own QSR.
    for tag in ("attachedTemplate", "linkStyles", "docVars", "rsids", "mailMerge",
                "documentProtection", "writeProtection"):
        for found in settings.findall(f"{{{W_NS}}}{tag}"):
            settings.remove(found)
    _strip_metadata(document)
    for kept in list(part.package.iter_parts()):
        _clean_part(kept, name)


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
            found = etree.fromstring(rel.target_part.blob, _xml_parser()).find(
                f"{{{_EXTENDED_NS}}}Company")
        except etree.XMLSyntaxError:  # only under a name not ending in .xml; nothing needs it
            found = None
        company = (found.text or "").strip() if found is not None else ""
        if company:
            rel.target_part._blob = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Properties xmlns="{_EXTENDED_NS}"><Company>{escape(company)}</Company>'
                "</Properties>").encode()
        else:
            package.rels.pop(r_id)


def _clean_part(part: Any, name: str) -> None:
    """Drop a kept part's links to the outside and to code, and the r:ids that named them; in
    headers, footers and notes also comment anchors, unused relationships and (notes) every note
    but the separators, which are the reference's own text."""
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
            root, loaded = etree.fromstring(part.blob, _xml_parser()), True
        except etree.XMLSyntaxError as exc:
            raise ReferenceDocError.at(
                name, f"is not well-formed XML ({_POSITION.sub('', exc.msg or '')}); open the "
                "document in Word and save it again", line=exc.position[0],
                column=exc.position[1], field=str(part.partname).lstrip("/"),
            ) from None
    else:
        return
    changed = False
    paths = _paths()
    if content_type in (CT.WML_FOOTNOTES, CT.WML_ENDNOTES):
        for note in paths["notes"](root):
            if note.get(f"{{{W_NS}}}type") not in _SEPARATOR_NOTES:
                root.remove(note)
                changed = True
    if content_type in (CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES):
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
    found = _paths()["ids"](root, r=ref.R_NS, o=_OFFICE_NS)
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


# --- styles ------------------------------------------------------------------------------------

_STYLE_HEAD = re.compile(r'<w:style w:type="(\w+)".*?<w:name w:val="([^"]+)"/>')


def _ensure_styles(document: DocxDocument) -> tuple[dict[str, str], list[str], list[str]]:
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


def reference_warnings(reference: Path | None) -> list[str]:
    """What a run should say once about its reference document (its missing styles)."""
    if reference is None:
        return []
    base = prepare_base(reference)
    return [missing_styles_warning(reference, base)] if base.missing_styles else []


def missing_styles_warning(reference: Path, base: Base) -> str:
    names = [f'"{name}"' for name in base.missing_styles]
    if len(names) == 1:
        text = (f"reference document {reference} has no {names[0]} style; qsrkit's own is used "
                "(add the style in Word to control how it looks)")
    else:
        listed = f"{', '.join(names[:-1])} and {names[-1]}"
        text = (f"reference document {reference} has no {listed} styles; qsrkit's own are used "
                "(add the styles in Word to control how they look)")
    return "; ".join([text, *base.style_notes])


def _with_ns(xml: str) -> str:
    return xml.replace("<w:style ", f'<w:style xmlns:w="{W_NS}" ', 1)


def _ensure_numbering(document: DocxDocument) -> tuple[int, int, int]:
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
