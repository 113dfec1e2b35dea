"""The QSR as Markdown (to paste into a wiki) or as a standalone HTML page (a browser preview)."""

from __future__ import annotations

import re

from qsrkit.document.docx_body import BULLET_MARK, LINE_BREAK


def markdown_output(text: str) -> str:
    """The template's Markdown as a readable .md file (GFM: `<br>` breaks lines in cells)."""
    text = re.sub(rf"(\|\s*){BULLET_MARK}", r"\1• ", text)
    return text.replace(BULLET_MARK, "<br>• ").replace(LINE_BREAK, "<br>")


_CSS = (
    "body{font-family:Calibri,Arial,sans-serif;max-width:52em;margin:2em auto;color:#222;"
    "line-height:1.4}h1{color:#1f3864}h2{color:#1f3864;border-bottom:2px solid #1f3864}"
    "h3{color:#2e74b5}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}"
    "th{background:#1f3864;color:#fff}th,td{border:1px solid #bfbfbf;padding:.3em .5em;"
    "vertical-align:top}tr:nth-child(even) td{background:#f2f2f2}"
    "blockquote{border-left:4px solid #2e74b5;background:#f2f6fb;margin:0;padding:.5em 1em}"
    "img{max-width:100%}"
)


def html_output(text: str, title: str) -> str:
    """A standalone HTML page of the same Markdown, for a browser preview."""
    from html import escape

    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    body = parser.render(text)
    body = re.sub(rf"(<t[dh][^>]*>){BULLET_MARK}", r"\1• ", body)
    body = body.replace(BULLET_MARK, "<br>• ").replace(LINE_BREAK, "<br>")
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}</body>\n"
        "</html>\n"
    )
