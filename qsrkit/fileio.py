"""Safe reads and writes of the files people hand qsrkit.

Reads: an input must be a regular file (a device or a pipe would be read until memory runs out,
or wait forever for a writer) and is read with a size cap. Writes: a temp file in the target
folder, then an atomic rename; an existing file is replaced only when `force` is true, and a
failed write leaves the old file byte-for-byte as it was and no temp file behind.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import tempfile
from pathlib import Path

from qsrkit.errors import InvalidInput, WriteError, unreadable


def open_input(path: Path, kind: str = "file") -> io.BufferedReader:
    """`path` opened for reading, once it is known to be a regular file.

    Opened without blocking, so a named pipe with no writer is refused at once instead of
    waiting forever; `kind` names the file in messages ("CSV file", "YAML file").
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise unreadable(name, exc, kind) from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:  # pragma: no cover - fstat on an open descriptor does not fail
        os.close(fd)
        raise unreadable(name, exc, kind) from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise InvalidInput.at(name, f"is {what}, not a {kind}; give the path of a {kind}")
    return io.BufferedReader(io.FileIO(fd, "rb", closefd=True))


def read_input(path: Path, *, limit: int, kind: str = "file", why: str = "") -> bytes:
    """The bytes of the regular file `path`, refused past `limit` bytes (`why` says what to do)."""
    with open_input(path, kind) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise unreadable(str(path), exc, kind) from None
    if len(data) > limit:
        size = _size(path, len(data))
        raise InvalidInput.at(
            str(path), f"is {size}, more than the {limit:,} bytes a {kind} can be here"
            + (f"; {why}" if why else "; check that this is the right file"))
    return data


def _size(path: Path, at_least: int) -> str:
    try:
        return f"{path.stat().st_size:,} bytes"
    except OSError:  # pragma: no cover - it was just read
        return f"over {at_least - 1:,} bytes"


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` atomically; raise WriteError explaining what to do if it fails."""
    check_writable(path, force=force)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp_name, path)
        else:
            _publish_no_clobber(Path(tmp_name), path)
        tmp_name = None
    except OSError as exc:
        raise _explain(exc, path) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _publish_no_clobber(tmp: Path, path: Path) -> None:
    # A hard link fails if the target appeared since we checked: no window to overwrite it.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError:
        # Some file systems (FAT, some network shares) have no hard links.
        if path.exists():
            raise _exists(path) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def check_writable(path: Path, *, force: bool) -> None:
    """Fail early, before any work, when `path` cannot be written."""
    if path.is_dir():
        raise WriteError(f"{path} is a folder; give a file name instead")
    if path.exists() and not path.is_file():
        # A rename would replace the device, pipe or socket itself, even with --force.
        raise WriteError(
            f"{path} is not a regular file (a device, pipe or socket); nothing was changed",
            hint="give the path of a file to write",
        )
    if not path.parent.is_dir():
        raise WriteError(
            f"cannot write {path}: the folder {path.parent} does not exist",
            hint="create the folder first, or choose another path",
        )
    if path.exists() and not force:
        raise _exists(path)


def _exists(path: Path) -> WriteError:
    return WriteError(
        f"{path} already exists; nothing was changed",
        hint="pass --force to replace it, or choose another path",
    )


def _explain(exc: OSError, path: Path) -> WriteError:
    if isinstance(exc, WriteError):  # pragma: no cover - defensive
        return exc
    if exc.errno == errno.ENOSPC:
        return WriteError(f"cannot write {path}: the disk is full; nothing was changed",
                          hint="free some space and run again")
    if isinstance(exc, PermissionError):
        lock = path.parent / f"~${path.name[2:] if len(path.name) > 8 else path.name}"
        if (path.parent / f"~${path.name}").exists() or lock.exists():
            return WriteError(f"cannot replace {path}: it is open in Word",
                              hint="close it in Word and run again")
        return WriteError(f"cannot write {path}: permission denied; nothing was changed",
                          hint="choose a folder you can write to")
    if exc.errno == errno.EROFS:
        return WriteError(f"cannot write {path}: the disk is read-only")
    return WriteError(f"cannot write {path}: {exc.strerror or exc}; nothing was changed")
