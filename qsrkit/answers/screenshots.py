"""Where a dashboard's screenshot may come from, and its picture read once, checked.

An answers file travels: a rep writes it, a manager or a team script renders it. So a screenshot
path is an instruction to read a file on the computer that renders, and it is obeyed only inside
the folders that belong to the QSR: the answers file's own folder, and the `screenshots_folder`
the org config names (for the config's own dashboards, the config file's folder). The path is
resolved (symbolic links followed, `..` folded) before it is checked, so neither `../../`, an
absolute path nor a link leads out. A picture refused, missing, too big or not a picture is said in
a warning naming the path and the reason; the document then shows the dashboard's link only.

The bytes are read here, once, after the check, and carried to the writers: nothing later opens
the path again. This module imports only `qsrkit.answers` and the layers below it, so that
`qsrkit check` can apply the same rules.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from qsrkit.answers.parse import SHOWN_CHARS, shown
from qsrkit.errors import InvalidInput
from qsrkit.fileio import read_input

MAX_SCREENSHOT_BYTES = 10 * 1024 * 1024  # a full-screen PNG is 1-5 MB; a JPEG far less


# The first bytes of the formats Word, browsers and Markdown viewers all show.
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"),
               (b"GIF89a", "gif"))


@dataclass(frozen=True)
class Picture:
    """A screenshot that passed every check: its bytes, format and a name safe to show."""

    data: bytes
    kind: str  # "png", "jpeg" or "gif"
    name: str  # the path inside the folder it was allowed from (never the renderer's full path)
    # Where it was read from (resolved), so no output of the run may replace it; never written
    # into a document.
    source: Path | None = None

    @property
    def media_type(self) -> str:
        return f"image/{self.kind}"


@dataclass(frozen=True)
class Folder:
    """A folder screenshots may come from, and how a message names it."""

    path: Path
    described: str  # "the answers file's folder", "the screenshots_folder of qsrkit.yaml"


def load_screenshot(typed: str, base: Path, folders: Sequence[Folder]) -> Picture | str:
    """The picture `typed` names (relative to `base`), or why it cannot be used: a message that
    names the path, says why and what to do, and ends with what the document shows instead."""
    shown = shown_path(typed)
    first = folders[0].described if folders else "the answers file's folder"
    path = Path(os.path.abspath(base / typed))  # `base / typed` is `typed` when it is absolute
    try:
        real = path.resolve()
        roots = [folder.path.resolve() for folder in folders]
    except (OSError, RuntimeError):  # a loop of links, a name the system cannot hold
        return f"{shown} cannot be followed to a file; {LINK_ONLY}"
    home = next((root for root in roots if real.is_relative_to(root)), None)
    if home is None:
        where = " and ".join(folder.described for folder in folders) or first
        through_link = any(path.is_relative_to(os.path.abspath(f.path)) for f in folders)
        why = (f"is a link to {shown_path(real)}, outside {where}" if through_link
               else f"is outside {where}")
        return (f"{shown} {why}, where screenshots must be: copy the picture into {first} and "
                f"name it from there; {LINK_ONLY}")
    try:
        size = real.stat().st_size
    except OSError:  # no such file, or a name too long for the file system to hold
        return f"{shown} (relative to {first}) not found; {LINK_ONLY}"
    if size > MAX_SCREENSHOT_BYTES and real.is_file():
        return (f"{shown} is {size / 1024 / 1024:.1f} MB, more than the "
                f"{MAX_SCREENSHOT_BYTES // 1024 // 1024} MB a screenshot can be: crop it or save "
                f"it as JPEG; {LINK_ONLY}")
    try:
        data = read_input(real, limit=MAX_SCREENSHOT_BYTES, kind="picture")
    except InvalidInput as exc:  # a folder, a device or pipe, no permission; grew meanwhile
        reason = exc.problems[0].message if exc.problems else exc.message
        return f"{shown} {reason.split('; ')[0]}; {LINK_ONLY}"
    kind = next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)
    if kind is None:
        return (f"{shown} is not a PNG, JPEG or GIF picture: save the screenshot as one; "
                f"{LINK_ONLY}")
    return Picture(data, kind, real.relative_to(home).as_posix(), real)


LINK_ONLY = "the document shows the link only"
MAX_SHOWN_PATH = 400


def shown_path(value: object) -> str:
    """A path in a message: on one line (control characters as escapes), and whole unless it
    is absurdly long, since the point is to find the file."""
    text = str(value)
    cut = text[:MAX_SHOWN_PATH]
    pieces = (shown(cut[i:i + SHOWN_CHARS]) for i in range(0, len(cut), SHOWN_CHARS))
    return "".join(pieces) + ("…" if len(text) > MAX_SHOWN_PATH else "")
