"""Which YAML text libyaml's C parser reads exactly as PyYAML's pure-Python one does.

yamlsource reads answers files with libyaml's scanner and parser when PyYAML has them (about 7x
faster), composing the nodes with its own Python composer, and words every error with the
pure-Python loader. libyaml also accepts a few things PyYAML's scanner refuses (a tab after
`key:` or inside a plain value, `|#` or `>#`, some malformed tags, `?` inside a plain value in
[...] or {...}) and counts NEL/LS/PS line breaks and inner BOMs differently; so text holding any
of these, a tag, anchor, alias or directive (none of which an answers file needs) or old-Mac CR
line ends goes to the pure-Python loader, as before. The screening is cautious: `key: - & x`
reads slowly, never differently (tests/test_yaml_fast.py compares the two loaders and fuzzes
them). It uses plain `str` searches: a regular expression over the whole text cost half of what
libyaml saves.
"""

from __future__ import annotations

import re

_PYTHON_ONLY = ("\t", "\ufeff", "\x85", "\u2028", "\u2029")
_HEADER_TAIL = re.compile(r"[-+0-9]*#")


def libyaml_reads_alike(text: str) -> bool:
    """Whether libyaml's parser reads `text` exactly as PyYAML's pure-Python one: the same
    nodes at the same places, or an error (which the pure-Python loader then words)."""
    if any(char in text for char in _PYTHON_ONLY):
        return False
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return False
    if text.startswith("%") or "\n%" in text:
        return False
    for header in "|>":
        at = text.find(header)
        while at >= 0:
            if _HEADER_TAIL.match(text, at + 1):
                return False
            at = text.find(header, at + 1)
    for char in "!&*[{" if "?" in text else "!&*":
        at = text.find(char)
        while at >= 0:
            if _at_node_start(text, at):
                return False
            at = text.find(char, at + 1)
    return True


def _at_node_start(text: str, at: int) -> bool:
    """Whether text[at] may start a node: first on its line, or after `[`, `{` or `,`, or after
    `-`, `?` or `:` and a space."""
    before = at - 1
    while before >= 0 and text[before] == " ":
        before -= 1
    if before < 0 or text[before] == "\n":
        return True
    return text[before] in "[{," or (text[before] in "-?:" and before < at - 1)
