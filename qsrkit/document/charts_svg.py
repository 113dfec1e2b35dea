"""Charts as inline SVG for the HTML preview: the same chart Word draws, in a browser.

Plain shapes and text, no script and no style sheet: every piece of text (a seller's play name
can be a category) is escaped, and the `<title>` carries the chart's numbers for screen readers.
Nothing here imports anything that renders or touches a file.
"""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape

from qsrkit.document.charts import BAR, LINE, Chart

WIDTH = 640
_FONT = 'font-family="Calibri,Arial,sans-serif"'


def chart_svg(chart: Chart) -> str:
    """The `<svg>` element for `chart`."""
    if chart.kind == BAR:
        body, height = _bars(chart)
    else:
        body, height = _columns(chart)
    legend, height = _legend(chart, height)
    label = escape(chart.description)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{label}" '
        f'style="max-width:100%;height:auto" {_FONT} font-size="11">'
        f"<title>{label}</title>"
        f'<text x="{WIDTH // 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold" '
        f'fill="#1f3864">{escape(chart.title)}</text>{body}{legend}</svg>'
    )


def _axis(chart: Chart) -> list[Decimal]:
    """The value axis' ticks: about four round steps (1, 2, 2.5 or 5 × 10ⁿ) from 0 up to the
    first at or above every value."""
    values = [v for s in chart.series for v in s.values if v is not None]
    largest = max([Decimal(0), *values])
    if largest <= 0:
        return [Decimal(0), Decimal(1)]
    rough = largest / 4
    power = Decimal(10) ** math.floor(math.log10(float(rough)))
    step = next(power * m for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5),
                                    Decimal(10)) if power * m >= rough)
    count = math.ceil(largest / step)
    return [step * i for i in range(count + 1)]


def _bars(chart: Chart) -> tuple[str, int]:
    """Horizontal bars, categories top to bottom as in the table, values from the left."""
    left, right, top_y = 230, WIDTH - 70, 34
    series = max(1, len(chart.series))
    bar, gap = 13, 10
    group = series * bar + gap
    plot_h = group * len(chart.categories)
    ticks = _axis(chart)
    scale = (right - left) / float(ticks[-1])
    out = [_grid_x(chart, ticks, left, top_y, plot_h, scale)]
    for c, category in enumerate(chart.categories):
        y0 = top_y + c * group + gap // 2
        out.append(f'<text x="{left - 6}" y="{y0 + series * bar / 2 + 4:.1f}" text-anchor="end" '
                   f'fill="#404040">{escape(_short(category, 38))}</text>')
        for s, line in enumerate(chart.series):
            value = line.values[c]
            if value is None:
                continue
            y = y0 + s * bar
            width = float(value) * scale
            out.append(f'<rect x="{left}" y="{y}" width="{width:.1f}" height="{bar - 2}" '
                       f'fill="#{line.color}"/>')
            if line.labelled:
                out.append(f'<text x="{left + width + 4:.1f}" y="{y + bar - 3}" font-size="10" '
                           f'fill="#404040">{escape(chart.shown(value))}</text>')
    return "".join(out), top_y + plot_h + 22


def _grid_x(chart: Chart, ticks: list[Decimal], left: int, top_y: int, plot_h: int,
            scale: float) -> str:
    out = []
    for tick in ticks:
        x = left + float(tick) * scale
        out.append(f'<line x1="{x:.1f}" y1="{top_y}" x2="{x:.1f}" y2="{top_y + plot_h}" '
                   'stroke="#d9d9d9" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{top_y + plot_h + 14}" text-anchor="middle" '
                   f'font-size="10" fill="#595959">{escape(chart.shown(tick))}</text>')
    out.append(f'<line x1="{left}" y1="{top_y}" x2="{left}" y2="{top_y + plot_h}" '
               'stroke="#bfbfbf"/>')
    return "".join(out)


def _columns(chart: Chart) -> tuple[str, int]:
    """Vertical columns (or a line per series) over the categories, values from the bottom."""
    left, right, top_y, plot_h = 80, WIDTH - 20, 34, 200
    bottom = top_y + plot_h
    ticks = _axis(chart)
    scale = plot_h / float(ticks[-1])
    out = []
    for tick in ticks:
        y = bottom - float(tick) * scale
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#d9d9d9"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
                   f'fill="#595959">{escape(chart.shown(tick))}</text>')
    slot = (right - left) / max(1, len(chart.categories))
    for c, category in enumerate(chart.categories):
        if c % chart.label_every:
            continue
        out.append(f'<text x="{left + slot * (c + 0.5):.1f}" y="{bottom + 16}" '
                   f'text-anchor="middle" fill="#404040">{escape(_short(category, 40))}</text>')
    if chart.kind == LINE:
        for line in chart.series:
            points = [(left + slot * (c + 0.5), bottom - float(v) * scale)
                      for c, v in enumerate(line.values) if v is not None]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash = ' stroke-dasharray="6 4"' if line.level else ""
            out.append(f'<polyline points="{path}" fill="none" stroke="#{line.color}" '
                       f'stroke-width="2"{dash}/>')
            if not line.level:  # a level line (a need) is a dashed rule without markers
                out.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#{line.color}"/>'
                           for x, y in points)
        return "".join(out), bottom + 30
    series = max(1, len(chart.series))
    bar = min(60.0, slot * 0.7 / series)
    for c in range(len(chart.categories)):
        x0 = left + slot * (c + 0.5) - bar * series / 2
        for s, line in enumerate(chart.series):
            value = line.values[c]
            if value is None:
                continue
            height = float(value) * scale
            x = x0 + s * bar
            out.append(f'<rect x="{x:.1f}" y="{bottom - height:.1f}" width="{bar - 2:.1f}" '
                       f'height="{height:.1f}" fill="#{line.color}"/>')
            if line.labelled:
                out.append(f'<text x="{x + bar / 2 - 1:.1f}" y="{bottom - height - 4:.1f}" '
                           f'text-anchor="middle" font-size="9" fill="#404040">'
                           f"{escape(chart.shown(value))}</text>")
    return "".join(out), bottom + 30


def _legend(chart: Chart, y: int) -> tuple[str, int]:
    if len(chart.series) < 2:
        return "", y + 8
    out, x = [], 20.0
    for line in chart.series:
        out.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="#{line.color}"/>')
        out.append(f'<text x="{x + 14:.1f}" y="{y + 9}" fill="#404040">'
                   f"{escape(_short(line.name, 40))}</text>")
        x += 24 + 6.5 * min(len(line.name), 40)
    return "".join(out), y + 22


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
