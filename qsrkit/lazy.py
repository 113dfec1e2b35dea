"""Public faces that cost nothing to import: a package's names are imported on first use.

`qsrkit calc` must start fast, and `from qsrkit.plan import plan` must still work; so each
step's `__init__.py` lists where its public names live and hands this module's `__getattr__`
to Python (PEP 562), which calls it only for a name the package does not have yet.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def attributes(package: str, where: dict[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` for `package` that imports `name` from `package.where[name]`."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
