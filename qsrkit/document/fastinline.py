"""A fast inline Markdown parser for the subset qsrkit's templates write; markdown-it for the rest.

`inline_tokens(text)` gives the same tokens markdown-it's inline parser would (text, softbreak,
hardbreak, strong/em, links and images with `<...>` destinations, escapes), each step ported
from markdown-it-py's rules. Anything outside that subset (code spans, `_` or `~` emphasis,
autolinks, entities, ambiguous `*` runs, reference links, unusual link destinations) is not
guessed at: the whole inline text goes to markdown-it instead, so the tokens are always the
ones markdown-it gives. tests/test_fast_markdown.py renders both ways and compares the bytes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# `\` before these is an escape (markdown-it's _ESCAPED: ASCII punctuation).
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPECIAL = re.compile(r"[\\\n*_~`<&\[\]!]")
_WHITESPACE = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u202f\u205f\u3000") | frozenset(
    chr(c) for c in range(0x2000, 0x200B))
# Destinations markdown-it's normalizeLink leaves as they are (tests/test_fast_markdown.py
# checks it): printable ASCII URL characters, `%` only before two hex digits, no entity.
_SAFE_URL = re.compile(r"[A-Za-z0-9\-._~:/?#!$&'()*+,;=%]*\Z")
# After the scheme, `//` starts a host that mdurl takes apart: only a plain host and port.
_SCHEME = re.compile(r"[A-Za-z0-9.+-]+:")
_HOST = re.compile(r"//[A-Za-z0-9.-]+(:[0-9]+)?(?:[/?#]|\Z)")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ENTITY = re.compile(r"&[#A-Za-z0-9]+;")
_BAD_PROTO = re.compile(r"(vbscript|javascript|file|data):")
_UNESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


class Unsupported(Exception):
    """The text uses Markdown outside the fast subset: markdown-it parses it."""


class Token:
    """The part of markdown-it's Token that the docx writer reads."""

    __slots__ = ("attrs", "children", "content", "tag", "type")

    def __init__(self, type: str, tag: str = "", content: str = "",
                 attrs: dict[str, Any] | None = None, children: list[Token] | None = None) -> None:
        self.type = type
        self.tag = tag
        self.content = content
        self.attrs = attrs or {}
        self.children = children

    def attrGet(self, name: str) -> Any:
        return self.attrs.get(name)

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.tag!r}, {self.content!r}, {self.attrs!r})"


@lru_cache(maxsize=1)
def markdown_parser() -> Any:
    """markdown-it as qsrkit configures it: CommonMark, GFM tables, strikethrough, no HTML."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _punct(ch: str) -> bool:
    return ch in _ESCAPABLE or unicodedata.category(ch).startswith(("P", "S"))


def inline_tokens(text: str) -> list[Any]:
    """markdown-it's inline children for `text` (the content of one inline token)."""
    if _SPECIAL.search(text) is None:  # plain text, the most common cell
        return [Token("text", content=text)] if text else []
    try:
        return _Inline(text).parse(0, len(text))
    except Unsupported:
        return list(markdown_parser().parseInline(text)[0].children or [])


class _Inline:
    def __init__(self, src: str) -> None:
        self.src = src

    def parse(self, pos: int, end: int) -> list[Token]:
        """Tokens for src[pos:end]; emphasis pairs within this range only (a link's label is
        its own range, as in markdown-it)."""
        src = self.src
        out: list[Token] = []
        buf: list[str] = []  # text already pushed as tokens markdown-it will join
        pending = ""  # text since the last token (what a line break may trim)
        stack: list[tuple[int, int]] = []  # open `*` runs: (length, index of placeholder)

        def flush() -> None:
            nonlocal pending
            buf.append(pending)
            pending = ""
            joined = "".join(buf)
            buf.clear()
            if joined:
                if out and out[-1].type == "text":
                    out[-1].content += joined
                else:
                    out.append(Token("text", content=joined))

        while pos < end:
            found = _SPECIAL.search(src, pos, end)
            if found is None:
                pending += src[pos:end]
                break
            at = found.start()
            pending += src[pos:at]
            ch = src[at]
            if ch == "\\":
                if at + 1 >= end:
                    pending += "\\"
                    pos = at + 1
                    continue
                nxt = src[at + 1]
                if nxt == "\n":
                    flush()
                    out.append(Token("hardbreak", "br"))
                    pos = _skip_spaces(src, at + 2, end)
                    continue
                buf.append(pending)
                pending = ""
                buf.append(nxt if nxt in _ESCAPABLE else "\\" + nxt)
                pos = at + 2
            elif ch == "\n":
                if pending.endswith(" "):
                    if pending.endswith("  "):
                        pending = pending.rstrip(" ")
                        flush()
                        out.append(Token("hardbreak", "br"))
                    else:
                        pending = pending[:-1]
                        flush()
                        out.append(Token("softbreak", "br"))
                else:
                    flush()
                    out.append(Token("softbreak", "br"))
                pos = _skip_spaces(src, at + 1, end)
            elif ch == "*":
                stop = at
                while stop < end and src[stop] == "*":
                    stop += 1
                length = stop - at
                opens, closes = self._flanking(at, stop, end)
                if opens and closes:
                    raise Unsupported
                if not opens and not closes:
                    buf.append(pending)
                    pending = ""
                    buf.append("*" * length)
                elif length > 2:
                    raise Unsupported
                elif opens:
                    flush()
                    stack.append((length, len(out)))
                    out.append(Token("_opening"))  # replaced by the opening tag at its closer
                else:
                    if not stack or stack[-1][0] != length:
                        raise Unsupported
                    _, index = stack.pop()
                    flush()
                    tag = "strong" if length == 2 else "em"
                    out[index] = Token(f"{tag}_open", tag)
                    out.append(Token(f"{tag}_close", tag))
                pos = stop
            elif ch == "&":
                if at + 1 < end and (src[at + 1] == "#" or (src[at + 1].isascii()
                                     and src[at + 1].isalpha())):
                    raise Unsupported
                pending += "&"
                pos = at + 1
            elif ch == "!":
                if at + 1 < end and src[at + 1] == "[":
                    flush()
                    pos = self._image(at, end, out)
                else:
                    pending += "!"
                    pos = at + 1
            elif ch == "[":
                flush()
                pos = self._link(at, end, out)
            elif ch == "]":
                pending += "]"
                pos = at + 1
            else:  # `_`, `~`, a backtick or `<`: emphasis, code or autolinks we do not port
                raise Unsupported
        if stack:
            raise Unsupported
        flush()
        return out

    def _flanking(self, start: int, stop: int, end: int) -> tuple[bool, bool]:
        """markdown-it's scanDelims for `*` (which may split words): (can open, can close)."""
        last = self.src[start - 1] if start > 0 else " "
        nxt = self.src[stop] if stop < end else " "
        last_punct, next_punct = _punct(last), _punct(nxt)
        last_space, next_space = last in _WHITESPACE, nxt in _WHITESPACE
        left = not (next_space or (next_punct and not (last_space or last_punct)))
        right = not (last_space or (last_punct and not (next_space or next_punct)))
        return left, right

    def _label_end(self, start: int, end: int) -> int:
        """The `]` closing the label opened at `start` (no nested brackets, no code spans)."""
        src = self.src
        pos = start + 1
        while pos < end:
            ch = src[pos]
            if ch == "]":
                return pos
            if ch in "[`<":
                raise Unsupported
            pos += 2 if ch == "\\" else 1
        raise Unsupported

    def _destination(self, label_end: int, end: int) -> tuple[str, int]:
        """`(<url>)` right after a label: the normalised URL and the position after `)`."""
        src = self.src
        pos = label_end + 1
        if not src.startswith("(<", pos):
            raise Unsupported
        pos += 2
        start = pos
        while pos < end:
            ch = src[pos]
            if ch in "\n<":
                raise Unsupported
            if ch == ">":
                break
            pos += 2 if ch == "\\" and pos + 1 < end else 1
        else:
            raise Unsupported
        if pos + 1 >= end or src[pos + 1] != ")":
            raise Unsupported
        raw = src[start:pos]
        if _ENTITY.search(raw):
            raise Unsupported
        url = _UNESCAPE.sub(r"\1", raw)
        if (not _SAFE_URL.match(url) or _BAD_PERCENT.search(url)
                or _BAD_PROTO.match(url.strip().lower())):
            raise Unsupported
        scheme = _SCHEME.match(url)
        rest = url[scheme.end():] if scheme else url
        if rest.startswith("//") and not _HOST.match(rest):
            raise Unsupported
        return url, pos + 2

    def _link(self, at: int, end: int, out: list[Token]) -> int:
        label_end = self._label_end(at, end)
        href, after = self._destination(label_end, end)
        out.append(Token("link_open", "a", attrs={"href": href}))
        out.extend(self.parse(at + 1, label_end))
        out.append(Token("link_close", "a"))
        return after

    def _image(self, at: int, end: int, out: list[Token]) -> int:
        label_end = self._label_end(at + 1, end)
        src, after = self._destination(label_end, end)
        label = self.src[at + 2:label_end]
        # markdown-it keeps the raw label as the image's content and parses it on its own.
        children = _Inline(label).parse(0, len(label))
        out.append(Token("image", "img", label, {"src": src, "alt": ""}, children))
        return after


def _skip_spaces(src: str, pos: int, end: int) -> int:
    while pos < end and src[pos] in " \t":
        pos += 1
    return pos
