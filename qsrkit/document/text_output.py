"""The QSR as Markdown (to paste into a wiki) or as a standalone HTML page (a browser preview).

Neither carries a path of the computer that rendered it. HTML embeds each screenshot as a `data:`
URI, so the page is one file that shows its pictures anywhere. Markdown leaves the pictures out
and says so in a note with the file's name inside its folder: a Markdown file cannot hold a
picture, and a link to a copy beside it breaks as soon as the text is pasted into a wiki (where
the picture has to be uploaded anyway), while writing extra files beside the document would make
one render write many files that must not clash or overwrite.

Charts (`qsrkit-chart:NAME`) follow the same rule: HTML draws each as inline SVG (`charts_svg`),
Markdown leaves it out with a note that gives its numbers, so the pasted text still says them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from qsrkit.answers.screenshots import shown_path
from qsrkit.document.charts import CHART_SCHEME
from qsrkit.document.docx_body import BULLET_MARK, LINE_BREAK
from qsrkit.document.sandbox import IMAGE_SCHEME, md_escape

if TYPE_CHECKING:
    from qsrkit.answers.screenshots import Picture
    from qsrkit.document.charts import Chart


# `![caption](<qsrkit-screenshot:N>)` as the `image` filter writes it (the caption is escaped).
_SCREENSHOT = re.compile(rf"!\[((?:\\.|[^\\\]])*)\]\(<({re.escape(IMAGE_SCHEME)}\d+)>\)")
# `![numbers](<qsrkit-chart:NAME>)` as the `chart` filter writes it.
_CHART = re.compile(rf"!\[((?:\\.|[^\\\]])*)\]\(<({re.escape(CHART_SCHEME)}[\w-]+)>\)")


def markdown_output(text: str, pictures: Mapping[str, Picture] | None = None,
                    elsewhere: str = "", charts: Mapping[str, Chart] | None = None) -> str:
    """The template's Markdown as a readable .md file (GFM: `<br>` breaks lines in cells), each
    screenshot replaced by a note naming it (`elsewhere` says where the picture is) and each
    chart by a note with its numbers."""
    found = pictures or {}
    drawn = charts or {}

    def chart_note(match: re.Match[str]) -> str:
        chart = drawn.get(match[2])
        if chart is None:
            return ""
        return f"*{CHART_NOTE}: {match[1]}*" if match[1] else f"*{CHART_NOTE}*"

    def note(match: re.Match[str]) -> str:
        picture = found.get(match[2])
        if picture is None:
            return ""
        caption = f"{match[1]} ({md_escape(picture.name)})" if match[1] else md_escape(picture.name)
        return f"*{caption}: {md_escape(elsewhere)}*" if elsewhere else f"*{caption}*"

    text = _SCREENSHOT.sub(note, text)
    text = _CHART.sub(chart_note, text)
    text = re.sub(rf"(\|\s*){BULLET_MARK}", r"\1• ", text)
    return text.replace(BULLET_MARK, "<br>• ").replace(LINE_BREAK, "<br>")


CHART_NOTE = "Chart (drawn in the Word and HTML versions)"


_CSS = (
    "body{font-family:Calibri,Arial,sans-serif;max-width:52em;margin:2em auto;color:#222;"
    "line-height:1.4}h1{color:#1f3864}h2{color:#1f3864;border-bottom:2px solid #1f3864}"
    "h3{color:#2e74b5}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}"
    "th{background:#1f3864;color:#fff}th,td{border:1px solid #bfbfbf;padding:.3em .5em;"
    "vertical-align:top}tr:nth-child(even) td{background:#f2f2f2}"
    "blockquote{border-left:4px solid #2e74b5;background:#f2f6fb;margin:0;padding:.5em 1em}"
    "img{max-width:100%}"
)


def html_output(text: str, title: str, pictures: Mapping[str, Picture] | None = None,
                charts: Mapping[str, Chart] | None = None) -> tuple[str, list[str]]:
    """A standalone HTML page of the same Markdown, for a browser preview, and warnings (images
    left out). Screenshots are embedded as data: URIs; an image with any other address is left
    out, as in Word."""
    import base64
    from html import escape

    from markdown_it import MarkdownIt

    from qsrkit.document.charts_svg import chart_svg

    found = pictures or {}
    drawn = charts or {}
    warnings: list[str] = []
    parser = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    renderer: Any = parser.renderer
    default = renderer.rules["image"]

    def image(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        src = str(tokens[idx].attrGet("src") or "")
        if src in drawn:
            return chart_svg(drawn[src])
        picture = found.get(src)
        if picture is None:
            warnings.append(f"image {shown_path(src)} was left out: a QSR shows only the dashboards' "
                            "screenshots (`d.screenshot | image` in the template)")
            return ""
        data = base64.b64encode(picture.data).decode("ascii")
        tokens[idx].attrSet("src", f"data:{picture.media_type};base64,{data}")
        return str(default(tokens, idx, options, env))

    parser.add_render_rule("image", image)
    body = parser.render(text)
    body = re.sub(rf"(<t[dh][^>]*>){BULLET_MARK}", r"\1• ", body)
    body = body.replace(BULLET_MARK, "<br>• ").replace(LINE_BREAK, "<br>")
    page = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}</body>\n"
        "</html>\n"
    )
    return page, warnings
