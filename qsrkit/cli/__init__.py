from __future__ import annotations

from qsrkit.cli.app import app, main

__all__ = ["app", "main"]
