"""Where templates come from: the ones shipped inside the package, or a folder sales ops chose."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from qsrkit.errors import TemplateError


class MissingTemplate(TemplateError):
    """No custom or built-in template has this name (a custom template's include may say so)."""


def locate_template(name: str, folder: Path | None = None) -> tuple[str, str]:
    """(text, file name) of template `name`: `folder`'s copy when it has one, else the built-in.

    `name` may come from a custom template's `{% include %}`, so it is split into plain parts
    first and both lookups use only those: no `..`, no absolute path and no drive letter can
    reach a file outside `folder` or outside the package.
    """
    parts = _safe_parts(name)
    shown = str(folder.joinpath(*parts)) if folder else "/".join(parts)
    if folder is not None:
        custom = folder.joinpath(*parts)
        if custom.is_file():
            try:
                return custom.read_text(encoding="utf-8-sig"), str(custom)
            except (OSError, UnicodeDecodeError) as exc:
                raise TemplateError.at(
                    str(custom), f"cannot be read ({exc}); save it as UTF-8 text") from None
    builtin = resources.files("qsrkit.templates").joinpath(*parts)
    if not builtin.is_file():
        raise MissingTemplate.at(
            shown, "no such template; includes name a template file inside the templates folder",
        )
    return builtin.read_text(encoding="utf-8"), str(builtin)


def _safe_parts(name: str) -> list[str]:
    parts = [part for part in re.split(r"[/\\]+", name) if part not in ("", ".")]
    if not parts or any(part == ".." or ":" in part for part in parts) or name.startswith(("/", "\\")):
        raise MissingTemplate.at(
            name, "includes name a template file inside the templates folder (no `..`, no "
            "absolute paths)",
        )
    return parts


def read_template(name: str, folder: Path | None = None) -> str:
    """The text of template `name`, from `folder` when it holds one, else the built-in copy."""
    return locate_template(name, folder)[0]


# The templates `qsrkit render` reads from a `--templates` folder.
# Everything sales ops may edit: the QSR, its Word styles, the team pack, the coaching notes,
# the wording of the tendencies `qsrkit diagnose` raises and the weekly 1:1 notes.
RENDER_TEMPLATES = ("qsr.md.j2", "reference.docx", "team.md.j2", "coaching.md.j2",
                    "tendencies.yaml", "one_on_one.md.j2")


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
