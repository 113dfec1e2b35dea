"""Read a hand-typed YAML file into plain Python values, remembering where every value stands.

We never let YAML guess types: every scalar arrives as the text the person typed (PyYAML's
BaseLoader), so `NO`, `01234`, `1:30` and `2026-02-30` reach pydantic unchanged and are converted,
or rejected, by rules we own. Aliases are refused (they make alias bombs possible and are never
needed in an answers file) and duplicate keys are reported with both lines.
"""

from __future__ import annotations

import codecs
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.resolver import BaseResolver

from qsrkit.answers.parse import MAX_TEXT, shown
from qsrkit.answers.values import XML_ILLEGAL as _XML_ILLEGAL
from qsrkit.answers.yamlfast import libyaml_reads_alike
from qsrkit.errors import InvalidInput, Problem, unreadable

Path_ = tuple[str | int, ...]

# Plain (unquoted) scalars that mean "no answer yet". Quoted text is always kept as text.
_BLANKS = frozenset({"", "~", "null", "Null", "NULL"})

# A full answers file is about 10 KB, and even forty 4,000-character answers stay well under this.
# Anything larger is the wrong file; refusing it before parsing matters because PyYAML's scanner
# is pure Python (a 10 MB file takes seconds just to be told it is too big).
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 50
# A filled-in answers file holds about 250 values (keys, answers and list entries), an org config
# with every label reworded about 200. Far more means the wrong file or a generated one, and
# PyYAML's pure-Python scanner would spend seconds on it: stop composing at this many.
MAX_NODES = 10_000


@dataclass
class YamlDocument:
    """The parsed data plus the position (line, column; 1-based) of every key and item."""

    file: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def position(self, path: Path_) -> tuple[int, int]:
        """Where `path` stands, or its nearest written ancestor when it is missing from the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found
        return (1, 1)


class _Refused(yaml.YAMLError):
    """Something the loader stops at before building it, with where it stands and why."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Guarded(Composer):
    """A composer that refuses `*alias` the moment it sees one, before anything is expanded, and
    stops at MAX_DEPTH levels of nesting, before PyYAML's recursive composer runs out of stack.

    Both loaders below compose with it, in Python, whichever parser produces the events."""

    _depth = 0
    _nodes = 0

    if TYPE_CHECKING:  # given by the parser each loader mixes in
        def check_event(self, *choices: type[yaml.Event]) -> bool: ...
        def peek_event(self) -> Any: ...

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _Refused(
                self.peek_event().start_mark,
                "YAML aliases (*name) are not allowed in qsrkit files; write the value out",
            )
        if self._depth >= MAX_DEPTH:
            raise _Refused(
                self.peek_event().start_mark,
                f"is nested more than {MAX_DEPTH} levels deep, and an answers file needs only a "
                "few; check the indentation and the brackets from here up",
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(
                self.peek_event().start_mark,
                f"holds more than {MAX_NODES:,} values, and a QSR file has a few hundred; check "
                "that this is the right file (lists such as dashboards keep only a handful)",
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _NoAliasLoader(_Guarded, yaml.BaseLoader):  # type: ignore[misc]
    """PyYAML's pure-Python reader, scanner and parser: the reference, and the words of every
    syntax error a user sees."""


# The fast path: libyaml's C scanner and parser (when PyYAML was built with it) produce the
# events, with the same marks, and the same Python composer above builds the nodes. Errors are
# always worded by the pure-Python loader, and text libyaml might read differently goes to it
# first (yamlfast.libyaml_reads_alike).
_FastLoader: type[Any] | None = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _LibyamlLoader(_Guarded, CParser, BaseResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            BaseResolver.__init__(self)

    _FastLoader = _LibyamlLoader


def decode(raw: bytes, file: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused."""
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidInput(
            [
                Problem(
                    file,
                    line,
                    column,
                    "",
                    f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save the file as UTF-8 "
                    "(in most editors: Save As, Encoding: UTF-8) and run again",
                )
            ]
        ) from None


def read_file(path: Path) -> tuple[str, str]:
    """Return (display name, text) for `path`, turning OS errors into located problems."""
    from qsrkit.fileio import open_input

    name = str(path)
    with open_input(path, "YAML file") as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size <= MAX_FILE_BYTES:
                raw = handle.read(MAX_FILE_BYTES + 1)
                size = len(raw)
        except OSError as exc:
            raise unreadable(name, exc, "YAML file") from None
    if size > MAX_FILE_BYTES:
        raise InvalidInput(
            [Problem(name, 0, 0, "", f"is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a "
                     f"qsrkit YAML file can be (one answer is at most {MAX_TEXT:,} characters); "
                     "check that this is the right file")]
        )
    return name, decode(raw, name)


def parse(text: str, file: str) -> YamlDocument:
    """Parse one YAML document. Raises InvalidInput listing every structural problem found."""
    unprintable = _unprintable(text, file)
    if unprintable:
        raise InvalidInput(unprintable)
    root = _compose(text, file)
    doc = YamlDocument(file=file, data=None)
    if root is None:
        return doc
    problems: list[Problem] = []
    doc.data = _build(root, (), doc, problems)
    if problems:
        raise InvalidInput(problems)
    return doc


def _compose(text: str, file: str) -> yaml.Node | None:
    """The root node of the one document in `text` (None when it holds none): by libyaml when
    it can, and on anything libyaml finds wrong, by the pure-Python loader, whose words and
    places the corpus pins."""
    if _FastLoader is not None and libyaml_reads_alike(text):
        fast = _FastLoader(text)
        try:
            return fast.get_single_node()  # type: ignore[no-any-return]
        except Exception:  # any error at all: read again below, to word it as users know it
            pass
        finally:
            fast.dispose()
    loader = _NoAliasLoader(text)
    try:
        root: yaml.Node | None = loader.get_single_node()
    except _Refused as exc:
        raise InvalidInput.at(
            file, exc.message, line=exc.mark.line + 1, column=exc.mark.column + 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = exc.problem or "is not valid YAML"
        raise InvalidInput(
            [Problem(file, line, column, "", f"YAML syntax: {what}{_syntax_hint(what)}")]
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInput([Problem(file, 0, 0, "", f"YAML syntax: {exc}")]) from None
    finally:
        loader.dispose()
    return root


# At most this many unprintable characters are located one by one; a file with more is most
# likely not text at all (UTF-16 without its BOM reads as text full of NUL characters).
MAX_UNPRINTABLE = 10


def _unprintable(text: str, file: str) -> list[Problem]:
    """A located problem for each control character typed raw (pasted from Word or a PDF, say).

    PyYAML's reader refuses them, but in its constructor, before any mark exists, with a
    ReaderError that is not a MarkedYAMLError; so we find them ourselves, with its own pattern,
    and say where each one is instead of failing on the first with a position in characters.
    """
    found = list(itertools.islice(yaml.reader.Reader.NON_PRINTABLE.finditer(text), MAX_UNPRINTABLE + 1))
    problems = []
    for match in found[:MAX_UNPRINTABLE]:
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        problems.append(Problem(
            file, line, column, "",
            f"invisible control character U+{ord(match[0]):04X} cannot be in a YAML file "
            "(it often comes with text pasted from Word or a PDF); delete it, or retype the "
            "text around it",
        ))
    if len(found) > MAX_UNPRINTABLE:
        problems.append(Problem(file, 0, 0, "", f"more control characters follow the first "
                                f"{MAX_UNPRINTABLE}; check that this is a text file saved as UTF-8"))
    return problems


# YAML's reader refuses control characters typed raw, but a double-quoted "\x0b" or "\ud800"
# escape still produces them, and python-docx would fail on them much later.
def _clean_scalar(node: yaml.ScalarNode, path: Path_, doc: YamlDocument) -> str:
    value: str = node.value
    found = _XML_ILLEGAL.findall(value)
    if not found:
        return value
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
    doc.warnings.append(
        Problem(
            doc.file,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            _dotted(path),
            f"removed {len(found)} invisible control character(s) ({codes}) that a Word "
            "document cannot hold; check the text still reads as you meant",
            severity="warning",
        )
    )
    return _XML_ILLEGAL.sub("", value)


def _syntax_hint(problem: str) -> str:
    if "tab" in problem or "'\\t'" in problem:
        return "; indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "; a value containing ': ' must be quoted, e.g. key: \"a: b\""
    if "found unexpected end of stream" in problem or "unclosed" in problem:
        return "; a quote was opened but never closed"
    return ""


def _build(node: yaml.Node, path: Path_, doc: YamlDocument, problems: list[Problem]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        # plain style is None from PyYAML's parser, '' from libyaml's
        if not node.style and node.value in _BLANKS:
            return None
        return _clean_scalar(node, path, doc)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            item_path = (*path, index)
            doc.positions[item_path] = (child.start_mark.line + 1, child.start_mark.column + 1)
            items.append(_build(child, item_path, doc, problems))
        return items
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(doc.file, line, col, _dotted(path), "a key must be plain text"))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(
                    Problem(doc.file, line, col, _dotted((*path, key)), "merge keys (<<) are not allowed")
                )
                continue
            if key in first_seen:
                problems.append(
                    Problem(
                        doc.file,
                        line,
                        col,
                        _dotted((*path, key)),
                        f"duplicate key: '{shown(key)}' is already set on line {first_seen[key]}; "
                        "keep one of the two",
                    )
                )
                continue
            first_seen[key] = line
            key_path = (*path, key)
            doc.positions[key_path] = (line, col)
            result[key] = _build(value_node, key_path, doc, problems)
        return result
    return None  # pragma: no cover - PyYAML produces only the three node kinds


# A key that can stand in a dotted path as it is. Any other key (one typed with `:` or `.` in it,
# a line break, brackets, quotes, spaces around it) is written as `["..."]` with escapes, so the
# field stays one unambiguous piece of `file:line:col: field: error: message`.
_NOT_IN_KEY = r':.\[\]"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff'
_PLAIN_KEY = re.compile(rf"[^\s{_NOT_IN_KEY}]([^{_NOT_IN_KEY}]*[^\s{_NOT_IN_KEY}])?")


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            quoted = shown(part.replace("\\", "\\\\").replace('"', '\\"')).replace(":", "\\x3a")
            out += f'["{quoted}"]'
    return out


dotted = _dotted


def load(path: Path) -> YamlDocument:
    name, text = read_file(path)
    return parse(text, name)
