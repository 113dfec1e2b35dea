"""The labels the QSR template prints, and the org config's `wording:` replacements for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qsrkit.labels import DEFAULT_LABELS

if TYPE_CHECKING:
    from qsrkit.config import OrgConfig

__all__ = ["DEFAULT_LABELS", "labels_for"]


def labels_for(config: OrgConfig) -> dict[str, str]:
    """Every label, with the org config's replacements (checked when the config was read)."""
    return {**DEFAULT_LABELS, **config.wording.replacements()}
