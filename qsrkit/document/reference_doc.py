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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qsrkit.errors import InvalidInput, ReferenceDocError

# A reference document from sales ops is checked and cleaned by reference_check, _clean and
# _styles, imported when one is used: rendering with the bundled template needs none of them.


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
    # Fields removed from its header, footer and notes (INCLUDEPICTURE, DDEAUTO...), in order.
    removed_fields: tuple[str, ...] = ()


def bundled_reference() -> bytes:
    from importlib import resources

    return resources.files("qsrkit.templates").joinpath("reference.docx").read_bytes()


# The bundled template as `_prepare` makes it, shipped ready so that rendering with it needs
# neither python-docx nor lxml (a cold `qsrkit render` would spend ~200 ms importing them).
# tests/test_fast_markdown.py checks both against `_prepare(bundled_reference())`; after
# changing templates/reference.docx, run `python -m qsrkit.document.reference_doc` to remake it.
PREPARED = "reference.prepared.docx"
_BUNDLED_STYLES = {
    "normal": "Normal", "title": "Title", "subtitle": "Subtitle", "heading1": "Heading1",
    "heading2": "Heading2", "heading3": "Heading3", "heading4": "Heading4", "quote": "Quote",
    "list": "ListParagraph", "compact": "Compact", "caption": "Caption", "header": "Header",
    "footer": "Footer", "hyperlink": "Hyperlink", "code": "VerbatimChar", "table": "QsrTable",
}
_BUNDLED_NUMBERS = (1, 2, 2)  # bullet numId, decimal abstractNumId, next free numId


def bundled_base() -> Base:
    """The bundled template, prepared (from the shipped copy)."""
    from importlib import resources

    data = resources.files("qsrkit.templates").joinpath(PREPARED).read_bytes()
    return Base(data, dict(_BUNDLED_STYLES), *_BUNDLED_NUMBERS, has_header=False,
                has_footer=False)


def prepare_bundled() -> Base:
    """The bundled template prepared the long way, with python-docx (to remake PREPARED)."""
    return _prepare(bundled_reference(), "the bundled template", clean=False)


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
        return bundled_base()
    from qsrkit.document.reference_check import MAX_REFERENCE_BYTES

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
    from qsrkit.document.reference_check import MAX_REFERENCE_BYTES, megabytes

    return ReferenceDocError.at(
        path, f"is {megabytes(size)} MB, more than a reference document ever needs (limit "
        f"{megabytes(MAX_REFERENCE_BYTES)} MB); compress its pictures in Word (Picture Format > "
        "Compress Pictures), save it and try again",
    )


def _prepare(data: bytes, name: str, *, clean: bool) -> Base:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from qsrkit.document.reference_check import checked_package
    from qsrkit.document.reference_clean import has_text, strip_body
    from qsrkit.document.reference_styles import ensure_numbering, ensure_styles

    package = checked_package(data, name)
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
    removed = strip_body(document, name) if clean else []
    styles, missing, notes = ensure_styles(document)
    bullet_num, decimal_abstract, next_num = ensure_numbering(document)
    section = document.sections[0]
    has_header = clean and not section.header.is_linked_to_previous and has_text(section.header)
    has_footer = clean and not section.footer.is_linked_to_previous and has_text(section.footer)
    buffer = io.BytesIO()
    document.save(buffer)
    return Base(buffer.getvalue(), styles, bullet_num, decimal_abstract, next_num,
                has_header, has_footer, tuple(missing), tuple(notes), tuple(removed))


def reference_warnings(reference: Path | None) -> list[str]:
    """What a run should say once about its reference document (fields removed, missing
    styles)."""
    if reference is None:
        return []
    base = prepare_base(reference)
    said = [removed_fields_warning(reference, base)] if base.removed_fields else []
    return said + ([missing_styles_warning(reference, base)] if base.missing_styles else [])


def removed_fields_warning(reference: Path, base: Base) -> str:
    names = ", ".join(dict.fromkeys(base.removed_fields))
    return (f"reference document {reference}: removed fields Word would run: {names} (they "
            "fetch files or addresses, or start programs, when the QSR is opened; page numbers, "
            "dates and the title stay)")


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




if __name__ == "__main__":  # remake templates/reference.prepared.docx
    import zipfile

    prepared = prepare_bundled()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(prepared.data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():  # dated, so remaking it changes nothing
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    folder = Path(__file__).resolve().parents[2] / "templates"
    (folder / PREPARED).write_bytes(out.getvalue())
    print({k: v for k, v in vars(prepared).items() if k != "data"})
