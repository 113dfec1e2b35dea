"""Safe reads and writes of the files people hand qsrkit.

Reads: an input must be a regular file (a device or a pipe would be read until memory runs out,
or wait forever for a writer) and is read with a size cap. Writes: a temp file in the target
folder, then an atomic rename; an existing file is replaced only when `force` is true, and a
failed write leaves the old file byte-for-byte as it was and no temp file behind.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from qsrkit.errors import InvalidInput, UsageError, WriteError, unreadable

# Characters that would break a file name across lines or hide in it: C0, DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


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
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise unreadable(name, IsADirectoryError(name), kind)
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InvalidInput.at(
            name, f"is a device, pipe or socket, not a {kind}; give the path of a {kind}")
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
    write_all([(path, data)], force=force)


def replace_in_place(path: Path, data: bytes) -> None:
    """Replace the file `path` names with `data` atomically, for a command that edits the user's
    own file (check-in, refresh, the 1:1 log). Through a symbolic link it is the file the link
    leads to that is replaced: renaming over the link would turn it into a copy and leave the
    real file (in a synced folder, say) without the change.

    A file its owner made read-only is refused: the rename would go through (it needs only the
    folder to be writable, and root ignores modes anyway), silently undoing that protection."""
    real = Path(os.path.realpath(path))
    with contextlib.suppress(OSError):  # a file that is gone is reported by the write itself
        if not real.stat().st_mode & stat.S_IWUSR:
            raise WriteError(f"{path} is read-only; nothing was changed",
                             hint=f"make it writable (chmod u+w {shown_path(path)}) and run "
                                  "again, or keep it read-only and edit a copy")
    write_atomic(real, data, force=True)


def write_all(files: Sequence[tuple[Path, bytes]], *, force: bool = False) -> None:
    """Write every file or none: all are staged as temp files first, then published together.

    If publishing one fails (a file appeared meanwhile, the disk filled up), the ones already
    published in this call are taken back: new files removed, replaced files restored.
    """
    for path, _ in files:
        check_writable(path, force=force)
    staged: list[tuple[Path, str]] = []
    published: list[tuple[Path, str | None]] = []  # (path, backup of the file it replaced)
    current = files[0][0] if files else Path()
    try:
        for path, data in files:
            current = path
            staged.append((path, _stage(path, data)))
        for path, tmp in staged:
            current = path
            published.append((path, _publish(Path(tmp), path, force=force)))
    except OSError as exc:
        _take_back(published)
        raise _explain(exc, current) from None
    except BaseException:
        _take_back(published)
        raise
    finally:
        for _, tmp in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    for _, backup in published:
        if backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(backup)


def _stage(path: Path, data: bytes) -> str:
    """A temp file beside `path` holding `data`, with the mode the final file should have."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp makes 0600 files: a QSR on a shared drive would be private to its writer.
            # A replaced file keeps its mode; a new one gets what the umask gives.
            os.fchmod(handle.fileno(), _mode_for(path))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    # Reading the umask means setting it; /proc tells it without that on Linux.
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text(encoding="ascii")
        return int(next(line for line in status.splitlines() if line.startswith("Umask:"))
                   .split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _publish(tmp: Path, path: Path, *, force: bool) -> str | None:
    """Move `tmp` to `path`; return a hard-link backup of the file it replaced, if any."""
    if not force:
        _publish_no_clobber(tmp, path)
        return None
    backup: str | None = None
    if path.exists():
        backup = f"{tmp}.old"
        try:
            os.link(path, backup)
        except OSError:  # no hard links here: the replaced file cannot be brought back
            backup = None
    try:
        os.replace(tmp, path)
    except BaseException:
        if backup is not None:
            with contextlib.suppress(OSError):
                os.unlink(backup)
        raise
    return backup


def _take_back(published: list[tuple[Path, str | None]]) -> None:
    for path, backup in reversed(published):
        with contextlib.suppress(OSError):
            if backup is not None:
                os.replace(backup, path)
            else:
                os.unlink(path)


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
    if str(path) == "-":  # the commands that write to standard output handle `-o -` first
        raise UsageError("-o - (standard output) is not supported here; give a file name")
    if _CONTROL.search(path.name):
        raise WriteError(
            f"the file name {shown_path(path)} has a line break or another control character",
            hint="give a name made of printable characters",
        )
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
    if path.exists():
        if not force:
            raise _exists(path)
        editor = open_in(path)
        if editor is not None:
            lock, program = editor
            raise WriteError(
                f"cannot replace {path}: it is open in {program}; nothing was changed",
                hint=f"close it in {program} and run again (if it is not open, delete the "
                f"leftover lock file {lock.name})",
            )


def open_in(path: Path) -> tuple[Path, str] | None:
    """The lock file and program (Word, LibreOffice) that have `path` open, if any.

    Word writes `~$` + the name (its first two characters dropped when the name is long);
    LibreOffice writes `.~lock.NAME#`. Replacing a file under an open editor loses work: the
    editor later saves its own copy over ours.
    """
    candidates = [
        (path.parent / f"~${path.name}", "Word"),
        (path.parent / f"~${path.name[2:]}", "Word"),
        (path.parent / f".~lock.{path.name}#", "LibreOffice"),
    ]
    for lock, program in candidates:
        if len(lock.name) > 2 and lock.exists():
            return lock, program
    return None


def shown_path(path: Path) -> str:
    """A path as one line of text: control characters shown as escapes."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(path))


def same_file(a: Path, b: Path) -> bool:
    """True when `a` and `b` name one file (through links, `..` or a case-insensitive disk)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def refuse_inputs(target: Path, inputs: Sequence[tuple[Path, str]]) -> None:
    """Refuse, even with --force, an output that is one of the run's inputs (or inside an input
    folder, such as the templates folder): the document would replace what it was made from."""
    for source, role in inputs:
        inside = source.is_dir() and _is_within(target, source)
        if inside or same_file(target, source):
            where = f"is inside {source}, the {role}" if inside else f"is the {role}"
            raise WriteError(
                f"{shown_path(target)} {where} of this run; nothing was changed",
                hint="write the output to another path (--force never replaces an input)",
            )


def _is_within(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (OSError, ValueError):
        return False
    return True


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
        editor = open_in(path)
        if editor is not None:
            return WriteError(f"cannot replace {path}: it is open in {editor[1]}",
                              hint=f"close it in {editor[1]} and run again")
        return WriteError(f"cannot write {path}: permission denied; nothing was changed",
                          hint="choose a folder you can write to")
    if exc.errno == errno.EROFS:
        return WriteError(f"cannot write {path}: the disk is read-only")
    return WriteError(f"cannot write {path}: {exc.strerror or exc}; nothing was changed")
