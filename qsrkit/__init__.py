"""qsrkit: turn a seller's answers into a finished Quarterly Sales Review."""

from __future__ import annotations

__version__ = "0.1.0"

# The answers-file format version this qsrkit writes and reads.
SCHEMA_VERSION = 1
