"""Where templates come from: the ones shipped inside the package, or a folder sales ops chose."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from qsrkit.errors import QsrError


def builtin_names() -> list[str]:
    folder = resources.files("qsrkit.templates")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".j2", ".docx")))


def read_template(name: str, folder: Path | None = None) -> str:
    """The text of template `name`, from `folder` when it holds one, else the built-in copy."""
    if folder is not None:
        custom = folder / name
        if custom.is_file():
            try:
                return custom.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise QsrError(f"cannot read template {custom}: {exc}") from None
    return resources.files("qsrkit.templates").joinpath(name).read_text(encoding="utf-8")
