"""The team pack's charts: the team at a glance, one bar per rep, from the table's own figures.

    team-attainment   last quarter's revenue ÷ quota per rep, in percent, as the table's "Last
                      quarter" column prints it (one decimal)
    team-coverage     open pipeline ÷ gap to quota per rep, as the "Coverage" column prints it;
                      a rep whose quota is already covered (no gap) has no bar

Reps without the figure are left off the chart (the table shows them with a dash); a chart with
no rep at all is None and the template leaves it out. Nothing here renders or prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from qsrkit.document.charts import BAR, BLUE, ORANGE, PERCENT, TIMES, Chart, chart, one_place

if TYPE_CHECKING:
    from qsrkit.team.glance import RepRow

ATTAINMENT_TITLE = "Last quarter: revenue as a percent of quota"
ATTAINMENT_SERIES = "Revenue ÷ quota"
COVERAGE_TITLE = "Pipeline coverage: open pipeline over the gap to quota"
COVERAGE_SERIES = "Coverage"


def team_charts(rows: Sequence[RepRow]) -> dict[str, Chart | None]:
    """The pack's charts by the name the template uses (`charts.attainment`, `charts.coverage`)."""
    attainment = [(r.rep, (None if r.last_attainment is None
                           else one_place(r.last_attainment * 100),)) for r in rows]
    coverage = [(r.rep, (None if r.coverage is None else one_place(r.coverage),)) for r in rows]
    return {
        "attainment": chart("team-attainment", ATTAINMENT_TITLE, BAR, attainment,
                            ((ATTAINMENT_SERIES, BLUE),), unit=PERCENT),
        "coverage": chart("team-coverage", COVERAGE_TITLE, BAR, coverage,
                          ((COVERAGE_SERIES, ORANGE),), unit=TIMES),
    }
