"""Escaping, property-tested: any text a seller types reads back from the Markdown exactly.

Wherever a template puts a value (a paragraph, a quote, a list item, bold text, a table cell),
markdown-it must give back the same characters, with line breaks as LINE_BREAK.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from qsrkit.document.docx_body import BULLET_MARK, LINE_BREAK
from qsrkit.document.sandbox import md_escape

MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

# Anything printable, plus a heavy dose of the characters Markdown cares about.
MARKUP = [*"|*_#<>&`[]()!\\~-+=.1 \n\t:;'\"{}", "&amp;", "&#35;", "http://x.y", "___", "---"]
TEXT = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"),
                  blacklist_characters=BULLET_MARK + LINE_BREAK + "\u2029")
    | st.sampled_from(MARKUP),
    min_size=1, max_size=30,
).map("".join)

PLACES = [
    "{}",
    "> {}",
    "- {}",
    "1. **{}**",
    "**Label:** {}\\\n**Next:** x",
    "| a | b |\n|---|--:|\n| {} | x |",
    "{} and {}",  # two values in one paragraph must not pair up as emphasis
    "**A:** {}\\\n**B:** {} ___%",
]


def read_back(markdown: str) -> str:
    parts = []
    for token in MD.parse(markdown):
        if token.type == "inline":
            for child in token.children or []:
                parts.append(child.content if child.type == "text" else f"<{child.type}>")
    return "".join(parts)


@settings(max_examples=600, deadline=None)
@given(TEXT)
def test_any_text_reads_back_exactly_wherever_it_is_placed(text: str) -> None:
    text = text.strip()
    if not text:
        return
    expected = text.replace("\n", LINE_BREAK)
    for place in PLACES:
        skeleton = read_back(place.replace("{}", "VALUE"))
        got = read_back(place.replace("{}", md_escape(text)))
        assert got == skeleton.replace("VALUE", expected), (place, text)


def test_examples() -> None:
    for text in ("___", "$______", "___%", "_a_ b_", "1. a", "# h", "a | b", "<b>&amp;</b>", "- x", "==="):
        assert read_back(md_escape(text)) == text
