"""A chart as the documents see it: a title, categories and named series of numbers.

A chart enters the Markdown the way a screenshot does: the template's `chart` filter writes
`![description](<qsrkit-chart:NAME>)`, a name and never a path, and each writer looks the name
up: Word draws a native chart part (`charts_xml`), HTML an inline SVG (`charts_svg`), Markdown a
note with the numbers. Every chart carries its numbers as text too (`description`), which Word
keeps as the drawing's alt text, for readers who cannot see the picture.

The values are the figures the document prints beside the chart, rounded as it prints them, so
a chart never says a number the table does not. This module only describes charts: it imports
nothing that renders, prints nothing and touches no file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from qsrkit import formatting as fmt

CHART_SCHEME = "qsrkit-chart:"

BAR, COLUMN, LINE = "bar", "column", "line"  # bar: horizontal bars; column: vertical
KINDS = (BAR, COLUMN, LINE)
PERCENT, MONEY, TIMES, COUNT = "percent", "money", "times", "count"

# The reference document's blues, a grey for goals and targets, an orange that reads in grey print.
NAVY, BLUE, GREY, ORANGE, GREEN = "1F3864", "2E74B5", "A5A5A5", "ED7D31", "70AD47"
PALETTE = (BLUE, ORANGE, NAVY, GREEN, GREY)
LONG = 12  # categories beyond which labels thin out and the description goes series by series


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]  # one per category; None: no figure (a gap)
    color: str = BLUE  # RRGGBB: every series has its own fill (LibreOffice needs one, DESIGN.md)
    labelled: bool = True  # its figures printed on the chart (not for a goal that is 100% each)

    @property
    def level(self) -> bool:
        """The same figure throughout (a weekly need): a line draws it dashed, without markers."""
        return len(set(self.values)) == 1 and None not in self.values


@dataclass(frozen=True)
class Chart:
    """One chart: `name` is unique in its document (the Markdown names the chart by it)."""

    name: str
    title: str
    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = COUNT
    symbol: str = "$"  # for MONEY

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r}: use one of {', '.join(KINDS)}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"series {series.name!r} has {len(series.values)} values for "
                                 f"{len(self.categories)} categories")

    def __str__(self) -> str:  # `{{ charts.pacing }}` in a template prints the title
        return self.title

    @property
    def label_every(self) -> int:
        """Every how many categories an axis label is printed: all of them up to LONG, else
        about eight along the axis (26 week dates side by side would overlap)."""
        count = len(self.categories)
        return 1 if count <= LONG else -(-count // 8)

    @property
    def token(self) -> str:
        return f"{CHART_SCHEME}{self.name}"

    def shown(self, value: Decimal | None) -> str:
        """A value as the document prints it: `106.2%`, `$48,000`, `1.5×`, `12`."""
        if value is None:
            return "–"
        if self.unit == PERCENT:
            return fmt.percent(value)
        if self.unit == MONEY:
            return fmt.money(value, self.symbol)
        if self.unit == TIMES:
            return f"{fmt.number(value)}×"
        return fmt.number(value)

    @property
    def description(self) -> str:
        """The chart's numbers in one line, category by category, for alt text and the Markdown
        note: `Attainment (2026-Q3). Revenue against quota: Goal 100%, Actual 106.2%; …`. A long
        run of categories (weeks) goes series by series instead, a constant one said once:
        `… 2026-04-07 to 2026-09-29. Created: 1, 8, 3, …; Needed for 100% of quota: 3.2 throughout.`"""
        if len(self.categories) > LONG:
            return self._by_series()
        entries = []
        for index, category in enumerate(self.categories):
            figures = [(s.name, s.values[index]) for s in self.series
                       if s.values[index] is not None]
            if len(self.series) == 1:
                entries.append(f"{category} {self.shown(figures[0][1])}" if figures else "")
            else:
                entries.append(f"{category}: " + ", ".join(
                    f"{name} {self.shown(value)}" for name, value in figures))
        return f"{self.title.rstrip('.')}. {'; '.join(e for e in entries if e)}."

    def _by_series(self) -> str:
        entries = []
        for series in self.series:
            if series.level:
                entries.append(f"{series.name}: {self.shown(series.values[0])} throughout")
            else:
                entries.append(f"{series.name}: " + ", ".join(self.shown(v) for v in series.values))
        span = f"{self.categories[0]} to {self.categories[-1]}"
        return f"{self.title.rstrip('.')}, {span}. {'; '.join(entries)}."


def chart(name: str, title: str, kind: str, rows: Sequence[tuple[str, Sequence[Decimal | None]]],
          series: Sequence[tuple[str, str] | tuple[str, str, bool]], *, unit: str = COUNT,
          symbol: str = "$") -> Chart | None:
    """A chart from table-like rows (category, one value per series) and the series' (name,
    colour[, labelled]); None when no row has a figure: a chart whose data are missing is left
    out, not drawn empty."""
    kept = [(category, tuple(values)) for category, values in rows
            if any(v is not None for v in values)]
    if not kept:
        return None
    return Chart(
        name=name, title=title, kind=kind, categories=tuple(c for c, _ in kept),
        series=tuple(Series(spec[0], tuple(values[i] for _, values in kept), spec[1],
                            spec[2] if len(spec) > 2 else True)
                     for i, spec in enumerate(series)),
        unit=unit, symbol=symbol,
    )


def by_token(charts: Iterable[Chart | None] | Mapping[str, Chart | None]) -> dict[str, Chart]:
    """The charts a document may show, by the name the Markdown uses for them."""
    values: Iterable[Any] = charts.values() if isinstance(charts, Mapping) else charts
    return {c.token: c for c in values if isinstance(c, Chart)}


def one_place(value: Decimal) -> Decimal:
    """A percent or a multiple as the document prints it (one decimal, half up)."""
    return fmt.rounded(value, 1)


def cents(value: Decimal) -> Decimal:
    return fmt.rounded(value, 2)


def whole(value: Decimal) -> Decimal:
    return fmt.rounded(value, 0)
