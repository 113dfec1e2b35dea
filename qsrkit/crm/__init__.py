"""Step 3: CRM exports → per-rep metrics → answers to prefill.

`compute` reads an export once and returns every rep's numbers; `read_export` is the raw pass;
the presets for Salesforce and HubSpot live in `columns`. Nothing here renders or prints.

Names here are imported on first use, so importing the package costs nothing until one is used
(`qsrkit calc` must start fast); `from qsrkit.crm import X` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qsrkit.crm.columns import PRESETS, Layout, load_layout
    from qsrkit.crm.inputs import Quotas, Team, load_quotas, load_team
    from qsrkit.crm.metrics import ExportMetrics, RepMetrics, compute
    from qsrkit.crm.prefill import CrmRequest, metrics_for, prefill_from
    from qsrkit.crm.reader import ExportTotals, read_export

_WHERE = {
    "CrmRequest": "qsrkit.crm.prefill",
    "ExportMetrics": "qsrkit.crm.metrics",
    "ExportTotals": "qsrkit.crm.reader",
    "Layout": "qsrkit.crm.columns",
    "PRESETS": "qsrkit.crm.columns",
    "Quotas": "qsrkit.crm.inputs",
    "RepMetrics": "qsrkit.crm.metrics",
    "Team": "qsrkit.crm.inputs",
    "compute": "qsrkit.crm.metrics",
    "load_layout": "qsrkit.crm.columns",
    "load_quotas": "qsrkit.crm.inputs",
    "load_team": "qsrkit.crm.inputs",
    "metrics_for": "qsrkit.crm.prefill",
    "prefill_from": "qsrkit.crm.prefill",
    "read_export": "qsrkit.crm.reader",
}

__all__ = ["PRESETS", "CrmRequest", "ExportMetrics", "ExportTotals", "Layout", "Quotas", "RepMetrics", "Team", "compute", "load_layout", "load_quotas", "load_team", "metrics_for", "prefill_from", "read_export"]


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(where), name)
