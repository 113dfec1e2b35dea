"""Markdown → the block tokens markdown-it gives, fast, for the Markdown qsrkit's templates write.

The QSR template writes a known, regular kind of Markdown: ATX headings, paragraphs, tight
bullet and ordered lists (nested by indentation), GFM tables and one-paragraph block quotes.
`block_tokens` parses exactly that, with each rule ported from markdown-it-py (the same
token types, tags, attributes and contents the docx writer reads), about ten times faster. It
knows no template: any text in the subset is fast, whichever template wrote it.

Whatever it is not sure of (setext headings and rules, code, loose or lazily continued lists,
tabs in indentation, reference definitions, block quotes with structure) makes the whole text
go to markdown-it, and an inline text outside the inline subset goes to markdown-it on its own
(`fastinline`). So custom templates keep working unchanged; they are only slower when they use
more of Markdown. tests/test_fast_markdown.py renders the examples, the test corpus and
generated seller texts both ways and compares the documents byte for byte.
"""

from __future__ import annotations

import re
from typing import Any

from qsrkit.document.fastinline import Token, Unsupported, inline_tokens, markdown_parser

# The characters markdown-it's mdTrim strips (CommonMark whitespace, U+2028 and U+2029).
TRIM = "".join(chr(c) for c in sorted(
    {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000, 0x2028, 0x2029}
    | set(range(0x2000, 0x200B))))

# Lines whose meaning depends on more than this parser ports: thematic breaks and setext
# underlines (only `-=*_` and spaces), fences, tabs in indentation, empty list items.
_MARKERS = r"^[ >]*(?:(?:[-+*]|\d{1,9}[.)])[ >]+)*"  # any quote and list markers before
_GLOBAL_UNSUPPORTED = re.compile(
    rf"{_MARKERS}(?:[-=*_][ \t]*)+$"
    rf"|{_MARKERS}(?:```|~~~)"
    rf"|{_MARKERS}(?:[-+*]|\d{{1,9}}[.)]) *$"
    r"|^[ >]*(?:(?:[-+*>]|\d{1,9}[.)])[ >]*)*\t",
    re.MULTILINE,
)
_LIST_ITEM = re.compile(r"( *)([-+*]|(\d{1,9})[.)])( +)(?=[^ ])")
_HEADING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")


def block_tokens(markdown: str) -> list[Any]:
    """markdown-it's tokens for `markdown` (commonmark, tables, strikethrough, no HTML)."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    try:
        if _GLOBAL_UNSUPPORTED.search(text):
            raise Unsupported
        out: list[Any] = []
        _Blocks(out).run(text.split("\n"), top=True)
        return out
    except Unsupported:
        return list(markdown_parser().parse(markdown))


_TR_OPEN, _TR_CLOSE = Token("tr_open", "tr"), Token("tr_close", "tr")
_TH_CLOSE, _TD_CLOSE = Token("th_close", "th"), Token("td_close", "td")


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _inline(content: str) -> Token:
    return Token("inline", content=content, children=inline_tokens(content))


class _Blocks:
    def __init__(self, out: list[Any]) -> None:
        self.out = out

    def run(self, lines: list[str], *, top: bool = False) -> None:
        """The blocks of `lines`: the document (`top`), or a list item's lines, de-indented."""
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            if _blank(line):
                i += 1
                continue
            if _indent(line) >= 4:
                raise Unsupported  # an indented code block
            if _table_at(lines, i):
                i = self.table(lines, i)
            elif (heading := _HEADING.match(line)) is not None:
                self.heading(line, heading)
                i += 1
            elif line.lstrip(" ").startswith(">"):
                i = self.quote(lines, i)
            elif _LIST_ITEM.match(line):
                i = self.items(lines, i, top=top)
            else:
                i = self.paragraph(lines, i)

    def heading(self, line: str, match: re.Match[str]) -> None:
        level = len(match[1])
        body = line[match.end():].rstrip(" \t")
        cut = body.rstrip("#")
        if len(cut) < len(body) and cut and cut[-1] in " \t":
            body = cut
        tag = f"h{level}"
        self.out += [Token("heading_open", tag), _inline(body.strip(TRIM)),
                     Token("heading_close", tag)]

    def paragraph(self, lines: list[str], i: int) -> int:
        start, n = i, len(lines)
        i += 1
        while i < n:
            line = lines[i]
            if _blank(line):
                break
            if _indent(line) < 4:  # a line indented further is part of the paragraph
                if line.lstrip(" ").startswith(">"):
                    raise Unsupported
                if _HEADING.match(line) or _table_at(lines, i):
                    break
                item = _LIST_ITEM.match(line)
                if item is not None and (item[3] is None or int(item[3]) == 1):
                    break  # a list interrupts a paragraph (an ordered one only from 1)
            i += 1
        first = lines[start]
        if first.lstrip(" ").startswith("[") and "]:" in "\n".join(lines[start:i]):
            raise Unsupported  # may be a link reference definition
        content = "\n".join(lines[start:i])
        self.out += [Token("paragraph_open", "p"), _inline(content.strip(TRIM)),
                     Token("paragraph_close", "p")]
        return i

    def quote(self, lines: list[str], i: int) -> int:
        """A block quote of one paragraph, every line marked with `>`."""
        body = []
        n = len(lines)
        while i < n and not _blank(lines[i]):
            line = lines[i].lstrip(" ")
            if not line.startswith(">"):
                raise Unsupported  # a lazy continuation line
            line = line[1:]
            body.append(line[1:] if line.startswith(" ") else line)
            i += 1
        for index, line in enumerate(body):
            if (_blank(line) or _indent(line) >= 4 or _HEADING.match(line)
                    or line.lstrip(" ")[:1] in (">", "|") or _LIST_ITEM.match(line)
                    or _table_at(body, index)):
                raise Unsupported
        content = "\n".join(body)
        self.out += [Token("blockquote_open", "blockquote"), Token("paragraph_open", "p"),
                     _inline(content.strip(TRIM)), Token("paragraph_close", "p"),
                     Token("blockquote_close", "blockquote")]
        return i

    def items(self, lines: list[str], i: int, *, top: bool) -> int:
        """A tight list; its items' lines are parsed as blocks of their own."""
        n = len(lines)
        match = _LIST_ITEM.match(lines[i])
        assert match is not None
        indent, marker = len(match[1]), match[2]
        ordered = match[3] is not None
        if ordered:
            value = int(match[3])
            self.out.append(Token("ordered_list_open", "ol",
                                  attrs={"start": value} if value != 1 else None))
        else:
            self.out.append(Token("bullet_list_open", "ul"))
        while True:
            if len(match[4]) > 4:
                raise Unsupported  # the item's text would be an indented code block
            content = indent + len(match[2]) + len(match[4])
            item = [lines[i][content:]]
            i += 1
            while i < n and not _blank(lines[i]) and _indent(lines[i]) >= content:
                item.append(lines[i][content:])
                i += 1
            self.out.append(Token("list_item_open", "li"))
            self.run(item)
            self.out.append(Token("list_item_close", "li"))
            if i >= n:
                break
            line = lines[i]
            if _blank(line):
                if top:  # what follows the blank line must not continue the list
                    later = next((x for x in lines[i:] if not _blank(x)), "")
                    if later.startswith(" ") or _LIST_ITEM.match(later):
                        raise Unsupported
                break
            following = _LIST_ITEM.match(line)
            if (following is not None and len(following[1]) == indent
                    and (following[3] is None) == (not ordered)
                    and following[2][-1] == marker[-1]):
                match = following
                continue
            if _HEADING.match(line):
                break
            raise Unsupported  # a lazy continuation line, or another kind of list
        self.out.append(Token("ordered_list_close" if ordered else "bullet_list_close",
                              "ol" if ordered else "ul"))
        return i

    def table(self, lines: list[str], i: int) -> int:
        header = _cells(lines[i].lstrip(" \t").strip(TRIM))
        aligns = _aligns(lines[i + 1])
        assert aligns is not None
        out = self.out
        out += [Token("table_open", "table"), Token("thead_open", "thead"), _TR_OPEN]
        styles = [{"style": f"text-align:{a}"} if a else None for a in aligns]
        for cell, style in zip(header, styles, strict=True):
            out += [Token("th_open", "th", attrs=style), _inline(cell.strip(TRIM)), _TH_CLOSE]
        out += [_TR_CLOSE, Token("thead_close", "thead")]
        # The writer only reads tokens, so a row's tags can be the same objects.
        opens = [Token("td_open", "td", attrs=style) for style in styles]
        i += 2
        n = len(lines)
        body = False
        while i < n:
            line = lines[i]
            if _blank(line.strip(TRIM)) or _HEADING.match(line) or _LIST_ITEM.match(line):
                break
            if _indent(line) >= 4 or line.lstrip(" ").startswith(">"):
                raise Unsupported
            cells = _cells(line.lstrip(" \t").strip(TRIM))
            if not body:
                out.append(Token("tbody_open", "tbody"))
                body = True
            out.append(_TR_OPEN)
            for index, opening in enumerate(opens):
                text = cells[index].strip(TRIM) if index < len(cells) else ""
                out += [opening, _inline(text), _TD_CLOSE]
            out.append(_TR_CLOSE)
            i += 1
        if body:
            out.append(Token("tbody_close", "tbody"))
        out.append(Token("table_close", "table"))
        return i


def _escaped_split(text: str) -> list[str]:
    """markdown-it's escapedSplit: cells at `|`, where `\\|` is a `|` in the cell."""
    if "\\" not in text:
        return text.split("|")
    result: list[str] = []
    current = ""
    last = 0
    escaped = False
    for pos, ch in enumerate(text):
        if ch == "|":
            if not escaped:
                result.append(current + text[last:pos])
                current = ""
                last = pos + 1
            else:
                current += text[last:pos - 1]
                last = pos
        escaped = ch == "\\"
    result.append(current + text[last:])
    return result


def _cells(text: str) -> list[str]:
    cells = _escaped_split(text)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


_DELIMITER_CELL = re.compile(r":?-+:?\Z")
_DELIMITER_CHARS = re.compile(r"[-|: \t]*\Z")


def _aligns(line: str) -> list[str] | None:
    """The alignments of a GFM delimiter row, or None when `line` is not one."""
    if _indent(line) >= 4:
        return None
    text = line.lstrip(" \t")
    if len(text) < 2 or text[0] not in "|-:" or text[1] not in "|-: \t":
        return None
    if text[0] == "-" and text[1] in " \t":
        return None
    if not _DELIMITER_CHARS.match(text):
        return None
    aligns = []
    columns = text.split("|")
    for index, column in enumerate(columns):
        cell = column.strip(TRIM)
        if not cell:
            if index in (0, len(columns) - 1):
                continue
            return None
        if not _DELIMITER_CELL.match(cell):
            return None
        if cell.endswith(":"):
            aligns.append("center" if cell.startswith(":") else "right")
        else:
            aligns.append("left" if cell.startswith(":") else "")
    return aligns


def _table_at(lines: list[str], i: int) -> bool:
    """markdown-it's test for a GFM table whose header row is `lines[i]`."""
    if i + 1 >= len(lines) or _indent(lines[i]) >= 4:
        return False
    aligns = _aligns(lines[i + 1])
    if aligns is None:
        return False
    header = lines[i].lstrip(" \t").strip(TRIM)
    if "|" not in header:
        return False
    count = len(_cells(header))
    return count != 0 and count == len(aligns)
