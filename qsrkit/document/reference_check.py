"""A reference document checked before python-docx sees it: size, entries, zip method, XML.

The file comes from outside (a company's letterhead), so it is treated as hostile: the size on
disk and unpacked, the number of parts, the compression method, well-formed XML and no DOCTYPE are
checked, and every problem is named with the part, line and column. lxml is imported inside
functions only.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from typing import Any

from qsrkit.document import reference_template as ref
from qsrkit.errors import InvalidInput, ReferenceDocError

MIB = 1024 * 1024
# A reference document is styles, a header and footer and perhaps a logo; Word saves one in 20 KB
# to a few MB. Pictures are stored already compressed, so a file unpacks to little more than its
# size plus its XML (which zips 5-10x): 32 MiB on disk and 64 MiB unpacked leave room for a
# letterhead full of photos and still bound what a reference can cost (inflating 64 MiB of XML
# takes well under a second). No cap on the compression ratio: the total already bounds the work,
# and honest XML can compress 100x.
MAX_REFERENCE_BYTES = 32 * MIB
MAX_UNPACKED_BYTES = 64 * MIB


MAX_ENTRIES = 2000  # Word writes 10-40 parts; hundreds only with hundreds of pictures
# zipfile builds a ZipInfo for every entry of the central directory before we can count them, and
# reads them by the directory's byte size, whatever count the archive declares: a 27 MiB file of
# 600,000 tiny entries costs it 6 s and 210 MiB. So the directory's size is checked first: Word's
# entries take under 100 bytes each, 1 KiB each is generous.
_MAX_DIRECTORY_BYTES = MAX_ENTRIES * 1024
_READ_CHUNK = MIB


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
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


OFFICE_NS = "urn:schemas-microsoft-com:office:office"
POSITION = re.compile(r", line \d+, column \d+$")


def xml_parser() -> Any:
    """lxml's parser for untrusted parts: no entities expanded, no network, no DTD loaded and
    libxml2's default limits on depth and text size."""
    from lxml import etree  # type: ignore[import-untyped,unused-ignore]

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False)


def checked_package(data: bytes, name: str) -> bytes:
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
            name, f"unpacks to {megabytes(unpacked)} MB, more than a reference document ever needs "
            f"(limit {megabytes(MAX_UNPACKED_BYTES)} MB); if it is a real Word file, compress its "
            "pictures in Word (Picture Format > Compress Pictures) and save it again",
        )
    parser = xml_parser()
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
        reason = POSITION.sub("", exc.msg or "syntax error")
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


def megabytes(size: int) -> str:
    return f"{size / MIB:.1f}".removesuffix(".0")
