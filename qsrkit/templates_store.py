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


# The templates `qsrkit render` reads from a `--templates` folder.
RENDER_TEMPLATES = ("qsr.md.j2", "reference.docx")


def export_templates(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the built-in document templates into `folder` (created if missing) for editing."""
    from qsrkit.errors import WriteError
    from qsrkit.fileio import check_writable, write_atomic

    if folder.exists() and not folder.is_dir():
        raise WriteError(f"{folder} is a file; give a folder to export the templates into")
    targets = [folder / name for name in RENDER_TEMPLATES]
    if folder.is_dir():
        for target in targets:  # all or nothing: check every file before writing any
            check_writable(target, force=force)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create the folder {folder}: {exc.strerror}") from None
    for name, target in zip(RENDER_TEMPLATES, targets, strict=True):
        data = resources.files("qsrkit.templates").joinpath(name).read_bytes()
        write_atomic(target, data, force=force)
    return targets
