"""Charts as Word draws them: DrawingML chart parts (`c:chartSpace`) and their inline drawings.

Written as text rather than with python-pptx's ChartXmlWriter: python-pptx would bring Pillow
and XlsxWriter (about 27 MB installed) for a clustered bar, column or line chart that is a few
kilobytes of XML, and its embedded workbook carries the time it was written, which breaks
SOURCE_DATE_EPOCH output. The data sit in the chart itself as literal values (`c:strLit`,
`c:numLit`; `c:externalData` is optional in the schema). Word and LibreOffice draw a chart from
the values in its part; only Word's "Edit data" needs a workbook, and a QSR's figures are
changed in its answers file anyway.

Two things LibreOffice needs (DESIGN.md): every series has an explicit fill (`c:spPr`), or
LibreOffice 7.4 draws the axes and no bars; and the part is checked in the PDF, not only here.

`chart_parts` is the one entry point for the .docx writer: given the charts a document uses, it
returns the parts to add (name, content type, bytes), the relationship type that joins each to
the document, and the run XML that draws it once the writer has an r:id. Nothing here imports
python-docx or lxml, so a writer that builds the package itself can use it as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from qsrkit.document.charts import BAR, LINE, MONEY, PERCENT, TIMES, Chart, Series

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"

EMU_PER_INCH = 914400
WIDTH = int(6.3 * EMU_PER_INCH)  # inside the reference document's text width
HEIGHT_PER_CATEGORY = int(0.42 * EMU_PER_INCH)  # horizontal bars: room for each category
MIN_HEIGHT, MAX_HEIGHT = int(2.6 * EMU_PER_INCH), int(5.5 * EMU_PER_INCH)
_CAT_AXIS, _VAL_AXIS = 50010, 50020


@dataclass(frozen=True)
class ChartPart:
    """One chart for the package: a part and the drawing that shows it."""

    token: str  # the name the Markdown uses (`qsrkit-chart:NAME`)
    partname: str  # /word/charts/chartN.xml
    content_type: str
    relationship: str  # the type of the document part's relationship to it
    blob: bytes
    chart: Chart

    def drawing(self, r_id: str, shape_id: int, alt: str = "") -> str:
        """The run (`w:r`) that draws the chart inline; `alt` (default: its numbers) is the alt
        text. Needs the w:, wp:, a: and r: prefixes of the body (docx_body.NSDECLS)."""
        chart = self.chart
        width, height = size(chart)
        descr = _attr(alt or chart.description)
        return (
            '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{shape_id}" name="Chart {shape_id}" descr="{descr}" '
            f'title="{_attr(chart.title)}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" r:id="{r_id}"/>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )


def chart_parts(charts: Iterable[Chart], taken: Iterable[str] = ()) -> list[ChartPart]:
    """A part for each chart, named `/word/charts/chartN.xml` with N counting past the names in
    `taken` (the parts the package has already)."""
    used = set(taken)
    parts: list[ChartPart] = []
    count = 0
    for chart in charts:
        while True:
            count += 1
            name = f"/word/charts/chart{count}.xml"
            if name not in used:
                break
        used.add(name)
        parts.append(ChartPart(chart.token, name, CONTENT_TYPE, RELATIONSHIP,
                               chart_space(chart).encode("utf-8"), chart))
    return parts


def size(chart: Chart) -> tuple[int, int]:
    """Width and height in EMU: horizontal bars grow with their categories."""
    if chart.kind == BAR:
        bars = len(chart.categories) * max(1, len(chart.series))
        height = HEIGHT_PER_CATEGORY * len(chart.categories) + int(0.1 * EMU_PER_INCH) * bars
        return WIDTH, max(MIN_HEIGHT, min(MAX_HEIGHT, height + int(0.9 * EMU_PER_INCH)))
    return WIDTH, int(3.2 * EMU_PER_INCH)


# --- the chart part ----------------------------------------------------------------------------


def chart_space(chart: Chart) -> str:
    """The chart part's XML (`c:chartSpace`), values written as literals."""
    plot = _line_chart(chart) if chart.kind == LINE else _bar_chart(chart)
    legend = ('<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
              if len(chart.series) > 1 else "")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:date1904 val="0"/><c:lang val="en-US"/><c:roundedCorners val="0"/>'
        f"<c:chart>{_title(chart.title)}"
        '<c:autoTitleDeleted val="0"/>'
        f"<c:plotArea><c:layout/>{plot}{_category_axis(chart)}{_value_axis(chart)}</c:plotArea>"
        f'{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'<c:spPr>{_fill("FFFFFF")}<a:ln><a:noFill/></a:ln></c:spPr>'
        f"{_text_properties(900)}"
        "</c:chartSpace>"
    )


def _bar_chart(chart: Chart) -> str:
    series = "".join(
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{_series_name(s.name)}'
        f'<c:spPr>{_fill(s.color)}</c:spPr><c:invertIfNegative val="0"/>'
        f"{_labels(chart, s) if s.labelled else ''}{_categories(chart)}{_values(s.values)}</c:ser>"
        for i, s in enumerate(chart.series)
    )
    direction = "bar" if chart.kind == BAR else "col"
    return (f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="clustered"/>'
            f'<c:varyColors val="0"/>{series}<c:gapWidth val="60"/>'
            f'<c:axId val="{_CAT_AXIS}"/><c:axId val="{_VAL_AXIS}"/></c:barChart>')


def _line_chart(chart: Chart) -> str:
    series = "".join(
        f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>{_series_name(s.name)}'
        f'<c:spPr><a:ln w="{19050 if s.level else 28575}" cap="rnd">{_fill(s.color)}'
        f'{_LEVEL if s.level else ""}<a:round/></a:ln></c:spPr>{_marker(s)}'
        f'{_categories(chart)}{_values(s.values)}<c:smooth val="0"/></c:ser>'
        for i, s in enumerate(chart.series)
    )
    return (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}'
            f'<c:marker val="1"/><c:axId val="{_CAT_AXIS}"/><c:axId val="{_VAL_AXIS}"/>'
            "</c:lineChart>")


_LEVEL = '<a:prstDash val="dash"/>'


def _marker(series: Series) -> str:
    # A level line (a need, a target) is a dashed rule; the figures that move get the markers.
    if series.level:
        return '<c:marker><c:symbol val="none"/></c:marker>'
    return ('<c:marker><c:symbol val="circle"/><c:size val="5"/>'
            f'<c:spPr>{_fill(series.color)}<a:ln>{_fill(series.color)}</a:ln></c:spPr></c:marker>')


def _category_axis(chart: Chart) -> str:
    # Horizontal bars list their categories top to bottom, as the table beside them does.
    bar = chart.kind == BAR
    orientation = "maxMin" if bar else "minMax"
    return (
        f'<c:catAx><c:axId val="{_CAT_AXIS}"/><c:scaling><c:orientation val="{orientation}"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="{"l" if bar else "b"}"/>'
        '<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:spPr><a:ln w="9525">{_fill("BFBFBF")}</a:ln></c:spPr>'
        f'<c:crossAx val="{_VAL_AXIS}"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        f'<c:tickLblSkip val="{chart.label_every}"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    )


def _value_axis(chart: Chart) -> str:
    bar = chart.kind == BAR
    # With the categories reversed, the value axis would sit at the top: `max` keeps it below.
    crosses = "max" if bar else "autoZero"
    return (
        f'<c:valAx><c:axId val="{_VAL_AXIS}"/><c:scaling><c:orientation val="minMax"/>'
        f'<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="{"b" if bar else "l"}"/>'
        f'<c:majorGridlines><c:spPr><a:ln w="6350">{_fill("D9D9D9")}</a:ln></c:spPr>'
        f'</c:majorGridlines><c:numFmt formatCode="{_attr(_format(chart, None))}" '
        'sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:spPr><a:ln><a:noFill/></a:ln></c:spPr><c:crossAx val="{_CAT_AXIS}"/>'
        f'<c:crosses val="{crosses}"/><c:crossBetween val="between"/></c:valAx>'
    )


def _labels(chart: Chart, series: Series) -> str:
    """Each bar's figure at its end, formatted as the document prints it."""
    return (f'<c:dLbls><c:numFmt formatCode="{_attr(_format(chart, series))}" '
            'sourceLinked="0"/>'
            '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
            f'{_text_properties(800)}<c:dLblPos val="outEnd"/>'
            '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
            '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
            "</c:dLbls>")


def _format(chart: Chart, series: Series | None) -> str:
    """A number format that prints values as the document does (values are percent points):
    amounts with cents only for a series (data labels) that has a figure with cents; the value
    axis (`series` None) steps in whole units."""
    if chart.unit == PERCENT:
        return 'General"%"'
    if chart.unit == MONEY:
        symbol = chart.symbol.replace('"', "")
        figures = series.values if series is not None else ()
        number = ("#,##0.00" if any(v is not None and v != v.to_integral_value()
                                    for v in figures) else "#,##0")
        return f'"{symbol}"{number}' if symbol else number
    if chart.unit == TIMES:
        return 'General"×"'
    return "General"


def _categories(chart: Chart) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{_text(c)}</c:v></c:pt>'
                     for i, c in enumerate(chart.categories))
    return f'<c:cat><c:strLit><c:ptCount val="{len(chart.categories)}"/>{points}</c:strLit></c:cat>'


def _values(values: tuple[Decimal | None, ...]) -> str:
    # A missing figure has no point at all: the chart shows a gap, not a zero.
    points = "".join(f'<c:pt idx="{i}"><c:v>{_number(v)}</c:v></c:pt>'
                     for i, v in enumerate(values) if v is not None)
    return (f'<c:val><c:numLit><c:formatCode>General</c:formatCode>'
            f'<c:ptCount val="{len(values)}"/>{points}</c:numLit></c:val>')


def _series_name(name: str) -> str:
    return f"<c:tx><c:v>{_text(name)}</c:v></c:tx>"


def _title(title: str) -> str:
    if not title:
        return ""
    return ('<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>'
            '<a:defRPr sz="1100" b="1"/></a:pPr><a:r><a:rPr lang="en-US" sz="1100" b="1">'
            f'{_fill("1F3864")}</a:rPr><a:t>{_text(title)}</a:t></a:r></a:p></c:rich></c:tx>'
            '<c:overlay val="0"/></c:title>')


def _text_properties(size_: int) -> str:
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size_}">'
            f'{_fill("404040")}</a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>')


def _fill(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'


def _number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text(text: str) -> str:
    from qsrkit.answers.parse import XML_ILLEGAL

    text = XML_ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _text(text).replace('"', "&quot;").replace("\n", "&#10;")

