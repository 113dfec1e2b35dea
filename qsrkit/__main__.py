from __future__ import annotations

from qsrkit.cli import main

main()
