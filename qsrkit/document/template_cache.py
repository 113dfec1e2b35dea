"""Compiled templates kept between runs, so a cold `qsrkit render` skips compiling the template.

Compiling `qsr.md.j2` (lexing, parsing, generating and compiling Python) costs more than the
rest of a one-document render. Jinja can keep the compiled code in files: each entry is found by
the template's name and path and used only while the template's text is unchanged (Jinja
compares a checksum of the source), so an edited custom template is compiled again.

The files live in the user's cache folder (`$QSRKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/qsrkit`,
`~/Library/Caches/qsrkit` or `%LOCALAPPDATA%\\qsrkit`), in a subfolder named for the versions of
qsrkit, Jinja and Python and the sandbox's settings, since the code Jinja generates depends on
all of them. Loading compiled code runs it, so the folder is used only when it belongs to the
user and nobody else may write to it. Anything that goes wrong (no home, a read-only disk, a
damaged entry) means compiling as before, silently: the cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2.bccache import Bucket, BytecodeCache

# Bump when the sandbox's code generation changes in a way the versions do not show.
SANDBOX_GENERATION = "1"
ENV_VAR = "QSRKIT_CACHE_DIR"


def cache_root() -> Path | None:
    """The user's qsrkit cache folder; None when there is none (`QSRKIT_CACHE_DIR=""` turns it off)."""
    explicit = os.environ.get(ENV_VAR)
    if explicit is not None:
        return Path(explicit) if explicit.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "qsrkit" if base else None
    home = Path.home() if os.environ.get("HOME") else None
    if sys.platform == "darwin" and home is not None:
        return home / "Library" / "Caches" / "qsrkit"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "qsrkit"
    return home / ".cache" / "qsrkit" if home is not None else None


def _generation(settings: str) -> str:
    import jinja2

    from qsrkit import __version__

    key = "|".join((__version__, jinja2.__version__, sys.version, SANDBOX_GENERATION, settings))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _private_folder(folder: Path) -> bool:
    """Create `folder` (owner only) if needed; True when it is ours and no one else may write."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid"):
        return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return True


def bytecode_cache(settings: str) -> BytecodeCache | None:
    """A Jinja bytecode cache in the user's cache folder, or None when none can be used safely."""
    root = cache_root()
    if root is None:
        return None
    folder = root / f"templates-{_generation(settings)}"
    if not (_private_folder(root) and _private_folder(folder)):
        return None
    from jinja2 import FileSystemBytecodeCache

    class QuietCache(FileSystemBytecodeCache):
        """Jinja's file cache, but a failure to read or write an entry only costs the time."""

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged or unreadable entry: compile instead
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            # A full or read-only disk: the next run compiles again.
            with contextlib.suppress(Exception):
                super().dump_bytecode(bucket)

    return QuietCache(str(folder), "%s.jinja")
