"""A check-in entry as YAML text, and where it goes in an answers file.

The entry is added to the text of the file, never by writing the data out again: the file is
composed with PyYAML's BaseLoader (which keeps every node's start and end), the end of the
`check_ins:` list is found, and the entry's lines are inserted there, indented like the entries
above it and ending its lines as the file does. Every byte before and after the insertion stays
as it was by construction. The one other change: an empty list written `check_ins: []` (or
`~`) loses the `[]` so the entries can follow as lines of their own. Nothing here reads or
writes a file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import yaml

from qsrkit.errors import InvalidInput

_LINE_END = re.compile(r"\r\n|\r|\n")
_EMPTY = ("", "~", "null", "Null", "NULL")


@dataclass
class Entry:
    """What a new check-in holds before the rep fills it in."""

    day: dt.date
    closed_won: Decimal | None
    open_pipeline: Decimal | None
    source: str  # where the two numbers came from, written as their comment
    skills: list[str] = field(default_factory=list)
    plays: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Spliced:
    text: str  # the whole new text
    added: str  # the text inserted, as it is in `text`
    line: int  # the line the inserted text starts on, 1-based
    removed: str  # what the insertion replaced (`[]` of an empty list), usually nothing


def splice(text: str, name: str, entry: Entry) -> Spliced:
    """`text` with `entry` added as the last item of its `check_ins:` list (made if missing)."""
    root = yaml.compose(text, Loader=yaml.BaseLoader)
    ending = _LINE_END.search(text)
    newline = ending.group() if ending else "\n"
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise InvalidInput.at(name, "check-in adds to an answers file of `key: value` lines, "
                              "as `qsrkit new` writes it", line=1, column=1)
    pair = next(((k, v) for k, v in root.value if k.value == "check_ins"), None)
    if pair is None:  # the first check-in: the list goes at the end of the file
        lead = newline if text and not text.endswith(("\n", "\r")) else ""
        start = len(text)
        added = lead + f"check_ins:{newline}" + _lines(entry, 2, 4, newline)
        return _done(text, start, start, added)
    key, value = pair
    if isinstance(value, yaml.SequenceNode) and value.value and not value.flow_style:
        first = value.value[0]
        dash = _dash_column(text, first, value.start_mark.column)
        keys = first.start_mark.column if isinstance(first, yaml.MappingNode) else dash + 2
        start = _after(text, value.value[-1], dash)
        lead = newline if not text[:start].endswith(("\n", "\r")) else ""
        return _done(text, start, start, lead + _lines(entry, dash, keys, newline))
    empty = ((isinstance(value, yaml.SequenceNode) and not value.value)
             or (isinstance(value, yaml.ScalarNode) and value.style is None
                 and value.value in _EMPTY))
    if not empty:
        raise InvalidInput.at(name, "check_ins must be a list of entries, each starting on its "
                              "own line with `- date:`; write it so and run again",
                              line=key.start_mark.line + 1, column=key.start_mark.column + 1,
                              field="check_ins")
    # `check_ins:` alone, or with `[]` / `~`: that value goes, the entries follow the line.
    cut_from, cut_to = value.start_mark.index, value.end_mark.index
    if cut_from == cut_to:  # PyYAML puts an empty value where the next token starts
        cut_from = cut_to = text.index(":", key.end_mark.index) + 1
    while cut_from > key.end_mark.index and text[cut_from - 1] in " \t":
        cut_from -= 1
    end = _LINE_END.search(text, cut_to)
    at = end.end() if end else len(text)
    dash = key.start_mark.column + 2
    added = ("" if end else newline) + _lines(entry, dash, dash + 2, newline)
    head = text[:cut_from] + text[cut_to:at]
    new_text = head + added + text[at:]
    return Spliced(new_text, added, _line(head, added), text[cut_from:cut_to])


def _dash_column(text: str, first: yaml.Node, fallback: int) -> int:
    """The column of the `-` before the list's first item. The list's own start is not it when
    an anchor or a tag comes first (`check_ins: &months`): PyYAML starts the node there."""
    index = first.start_mark.index
    while index > 0 and text[index - 1] in " \t\r\n":
        index -= 1
    if index == 0 or text[index - 1] != "-":
        return fallback
    dash = index - 1
    return dash - max(text.rfind("\n", 0, dash), text.rfind("\r", 0, dash)) - 1


def _done(text: str, start: int, end: int, added: str) -> Spliced:
    return Spliced(text[:start] + added + text[end:], added, _line(text[:start], added), "")


def _line(head: str, added: str) -> int:
    """The line `added` starts on after `head` (its own leading line break skipped)."""
    return head.count("\n") + _lone_cr(head) + 1 + added.startswith(("\r\n", "\n", "\r"))


def _lone_cr(text: str) -> int:
    """Lines ended by a lone carriage return (old Mac files), which `count('\\n')` misses."""
    return text.count("\r") - text.count("\r\n")


def _after(text: str, item: yaml.Node, dash: int) -> int:
    """Where the line after the list's last item (and the comments indented under it) starts."""
    index = _last_index(item)
    while index > 0 and text[index - 1] in " \t\r\n":  # a block scalar ends on a later line
        index -= 1
    end = _LINE_END.search(text, index)
    position = scan = end.end() if end else len(text)
    while scan < len(text):  # blank lines count only when a comment under the item follows
        nxt = _LINE_END.search(text, scan)
        line = text[scan:nxt.start() if nxt else len(text)]
        stripped = line.lstrip(" ")
        if stripped and (not stripped.startswith("#") or len(line) - len(stripped) <= dash):
            break
        scan = nxt.end() if nxt else len(text)
        if stripped:
            position = scan
    return position


def _last_index(node: yaml.Node) -> int:
    if isinstance(node, yaml.MappingNode) and node.value:
        return _last_index(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_index(node.value[-1])
    return int(node.end_mark.index)


def _lines(entry: Entry, dash: int, keys: int, newline: str) -> str:
    """The entry as lines: the dash at column `dash`, its keys at column `keys`."""
    from qsrkit.scaffold.writer import yaml_scalar

    pad = " " * keys

    def value(amount: Decimal | None) -> str:
        return "" if amount is None else " " + yaml_scalar(amount)

    lines = [" " * dash + "-" + " " * (keys - dash - 1) + f"date: {entry.day.isoformat()}",
             f"{pad}closed_won:{value(entry.closed_won)}  # {entry.source}",
             f"{pad}open_pipeline:{value(entry.open_pipeline)}  # {entry.source}"]
    if entry.skills:
        lines.append(f"{pad}skills:  # what each skill has reached so far")
        for skill in entry.skills:
            lines += [f"{pad}  - skill: {yaml_scalar(skill)}", f"{pad}    actual:"]
    if entry.plays:
        lines.append(f"{pad}plays:  # status: on track, at risk, done or dropped; a note says why")
        for play in entry.plays:
            lines += [f"{pad}  - headline: {yaml_scalar(play)}", f"{pad}    status:",
                      f"{pad}    note:"]
    lines += [f"{pad}audibles:  # the changes to the plan agreed in this check-in", f"{pad}  -"]
    return "".join(line + newline for line in lines)
