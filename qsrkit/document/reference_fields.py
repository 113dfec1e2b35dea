"""Fields in a reference document's header, footer and notes: page numbers stay, the rest goes.

Word evaluates fields when it opens or prints a document. A header field is in every QSR made
with the reference, so an `INCLUDEPICTURE "http://…"` is a tracking beacon, `INCLUDETEXT` pulls in
any file or address, `HYPERLINK` a link that survives our link stripping, and `DDE`/`DDEAUTO` asks
to start a program. Only fields that read the document itself stay (the allow-list below);
every other one is removed and named in a warning.

Both forms are handled: `<w:fldSimple w:instr="…">`, and the complex form whose instruction sits
in `w:instrText` runs between `fldChar` begin and separate (or end), which may be split over many
runs and elements and nested. A field built from another field's result (a field inside its
instruction) is removed too: Word would run whatever that result spells. A removed field keeps
its last shown result when that is plain text in one paragraph; otherwise it goes whole.
lxml elements come from the caller; nothing is imported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from qsrkit.document.reference_template import W_NS

# Fields that only read the document being shown: page numbers, dates, a heading's text and the
# document's own properties (which write_docx sets: title, author). FILENAME shows the file's
# name, but with `\p` its full path on the reader's computer (a user name, a folder layout) in
# every printed copy, so only the plain form stays. Nothing here reaches a file, an address or
# a program; anything not here goes.
SAFE_FIELDS = frozenset({
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE", "SAVEDATE",
    "PRINTDATE", "STYLEREF", "TITLE", "AUTHOR", "SUBJECT", "FILENAME",
})

_W = f"{{{W_NS}}}"
_FLD_CHAR, _FLD_SIMPLE, _RUN, _PARAGRAPH, _RUN_PROPS = (
    f"{_W}fldChar", f"{_W}fldSimple", f"{_W}r", f"{_W}p", f"{_W}rPr")
_INSTRUCTION = frozenset({f"{_W}instrText", f"{_W}delInstrText"})
# What a field's shown result may hold to be kept as plain text.
_PLAIN = frozenset(f"{_W}{tag}" for tag in (
    "t", "delText", "tab", "br", "cr", "noBreakHyphen", "softHyphen", "sym",
    "lastRenderedPageBreak"))
_NAME = re.compile(r"\s*([A-Za-z]+|=)")  # a name, or `=` (a formula)


def field_name(instruction: str) -> str:
    found = _NAME.match(instruction)
    return found[1].upper() if found else ""


def _named(instruction: str, fallback: str) -> str:
    """How a removed field is named in the warning."""
    name = field_name(instruction) or fallback
    return "FILENAME \\p" if name == "FILENAME" else name


def is_safe(instruction: str) -> bool:
    name = field_name(instruction)
    if name == "FILENAME":
        return "\\P" not in instruction.upper()
    return name in SAFE_FIELDS


@dataclass
class _Field:
    """A complex field as found: its instruction, the fields inside it and its elements."""

    paragraph: Any
    instruction: list[str] = field(default_factory=list)
    inner: list[_Field] = field(default_factory=list)
    separated: bool = False
    closed: bool = False
    built: bool = False  # something other than instruction text inside its instruction
    headless: bool = False  # its instruction starts with another field: its name is made
    plain: bool = True  # its shown result is only text
    end_paragraph: Any = None
    code: list[Any] = field(default_factory=list)  # markers, instructions, anything before separate
    result: list[Any] = field(default_factory=list)  # the shown result's run content

    @property
    def safe(self) -> bool:
        return (not self.built and is_safe("".join(self.instruction))
                and all(f.safe for f in self.inner))

    def unsafe_names(self) -> list[str]:
        own = [] if is_safe("".join(self.instruction)) and not self.built else [self.name]
        return own + [name for f in self.inner for name in f.unsafe_names()]

    @property
    def name(self) -> str:
        fallback = "a field built from another field"
        return fallback if self.headless else _named("".join(self.instruction), fallback)


def strip_fields(root: Any) -> list[str]:
    """Remove from `root` (a header, footer or notes part) every field not in SAFE_FIELDS, in
    both forms; the names removed, in document order."""
    removed = _simple_fields(root)
    removed += _complex_fields(root)
    return removed


def _simple_fields(root: Any) -> list[str]:
    removed: list[str] = []
    # Innermost first, so a kept field's content is already clean when it is looked at.
    for element in reversed(list(root.iter(_FLD_SIMPLE))):
        instruction = element.get(f"{_W}instr") or ""
        if is_safe(instruction):
            continue
        removed.insert(0, _named(instruction, "a field with no name"))
        parent = element.getparent()
        if parent is None:
            continue
        if all(child.tag == _RUN and all(c.tag in _PLAIN or c.tag == _RUN_PROPS for c in child)
               for child in element):
            for child in list(element):
                element.addprevious(child)
        parent.remove(element)
    return removed


def _complex_fields(root: Any) -> list[str]:
    stack: list[_Field] = []
    fields: list[_Field] = []
    strays: list[Any] = []
    for element in root.iter():
        tag = element.tag
        if tag == _FLD_CHAR:
            kind = element.get(f"{_W}fldCharType")
            if kind == "begin":
                new = _Field(_paragraph(element))
                if stack:
                    outer = stack[-1]
                    outer.inner.append(new)
                    if not outer.separated:
                        outer.built = True
                        outer.headless |= not "".join(outer.instruction).strip()
                    elif all(f.separated for f in stack):
                        stack[0].plain = False  # a field in the shown result: not plain text
                else:
                    fields.append(new)
                stack.append(new)
                stack[0].code.append(element)
            elif kind in ("separate", "end") and stack:
                stack[0].code.append(element)
                if kind == "separate":
                    stack[-1].separated = True
                else:
                    done = stack.pop()
                    done.closed, done.end_paragraph = True, _paragraph(element)
            else:  # a separate or end with no field open: means nothing, goes
                strays.append(element)
        elif tag in _INSTRUCTION:
            if stack and not stack[-1].separated:
                stack[-1].instruction.append(element.text or "")
                stack[0].code.append(element)
            else:
                strays.append(element)
        elif stack and (tag == _FLD_SIMPLE or _in_run(element)):
            building = next((f for f in reversed(stack) if not f.separated), None)
            if building is not None:  # inside an instruction: Word would read it as code
                building.built = True
                stack[0].code.append(element)
            else:
                stack[0].result.append(element)
                stack[0].plain &= tag in _PLAIN
    removed: list[str] = []
    for found in fields:
        if found.safe:
            continue
        removed += found.unsafe_names()
        keep_result = found.closed and found.plain and found.paragraph is found.end_paragraph
        _remove(found.code + ([] if keep_result else found.result))
    _remove(strays)
    return removed


def _in_run(element: Any) -> bool:
    parent = element.getparent()
    return parent is not None and parent.tag == _RUN and element.tag != _RUN_PROPS


def _paragraph(element: Any) -> Any:
    return next(element.iterancestors(_PARAGRAPH), None)


def _remove(elements: list[Any]) -> None:
    """Remove each element, then every run this leaves with nothing but its properties."""
    runs = []
    for element in elements:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
            if parent.tag == _RUN:
                runs.append(parent)
    for run in runs:
        parent = run.getparent()
        if parent is not None and all(child.tag == _RUN_PROPS for child in run):
            parent.remove(run)
