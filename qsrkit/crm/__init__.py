"""Step 3: CRM exports → per-rep metrics → answers to prefill.

`compute` reads an export once and returns every rep's numbers; `read_export` is the raw pass;
the presets for Salesforce and HubSpot live in `columns`. Nothing here renders or prints.

Names here are imported on first use (`qsrkit.lazy`), so importing the package costs
nothing until one is used; `from qsrkit.crm import X` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qsrkit.lazy import attributes

if TYPE_CHECKING:
    from qsrkit.crm.columns import PRESETS, Layout, load_layout
    from qsrkit.crm.inputs import Quotas, Team, load_quotas, load_team
    from qsrkit.crm.metrics import ExportMetrics, RepMetrics, compute
    from qsrkit.crm.prefill import CrmRequest, metrics_for, prefill_from
    from qsrkit.crm.reader import ExportTotals, read_export

_WHERE = {
    "CrmRequest": "prefill",
    "ExportMetrics": "metrics",
    "ExportTotals": "reader",
    "Layout": "columns",
    "PRESETS": "columns",
    "Quotas": "inputs",
    "RepMetrics": "metrics",
    "Team": "inputs",
    "compute": "metrics",
    "load_layout": "columns",
    "load_quotas": "inputs",
    "load_team": "inputs",
    "metrics_for": "prefill",
    "prefill_from": "prefill",
    "read_export": "reader",
}

__all__ = ["PRESETS", "CrmRequest", "ExportMetrics", "ExportTotals", "Layout", "Quotas", "RepMetrics", "Team", "compute", "load_layout", "load_quotas", "load_team", "metrics_for", "prefill_from", "read_export"]

__getattr__ = attributes(__name__, _WHERE)
