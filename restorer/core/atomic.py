"""Writing files atomically: every file Restorer writes (photos, weights, cards, checkpoints, run
settings) goes through here.

The content is written into a hidden ``.<name>.<random>.part`` file in the target folder, flushed
to disk and then moved into place, so a crash, a full disk or Ctrl+C leaves either the complete
new file or the old one, never half a file. Only a hard kill (SIGKILL, power loss) can leave a
``.part`` file behind; :func:`remove_stale_temp_files` sweeps those, and the writer's lock on its
temp file keeps a write in progress (of any process) from being swept away.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: a file open in another process cannot be deleted, which is enough
    fcntl = None

TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.part", re.DOTALL)  # what _create_temp makes
_swept_folders: set[str] = set()
_sweep_lock = threading.Lock()


def write_atomic(path: str | os.PathLike, write: Callable[[IO[bytes]], None], *, overwrite: bool = True) -> Path:
    """Run ``write(file)`` into a temp file beside ``path``, fsync, then move it into place.

    Without ``overwrite`` an existing ``path`` (even one that appeared meanwhile) is never
    replaced: ``FileExistsError``. The temp file is removed on any failure, Ctrl+C included.
    """
    path = Path(path)
    temp = None
    try:
        temp, fd = _create_temp(path)
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())  # the data must be on disk before the rename makes it visible
        _publish(temp, path, overwrite)
        _fsync_folder(path.parent)
    except BaseException:
        if temp is not None:
            _remove_quietly(temp)
        raise
    return path


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Replace ``path`` with UTF-8 ``text``, atomically."""
    return write_atomic(path, lambda out: out.write(text.encode("utf-8")))


def copy_atomic(source: str | os.PathLike, target: str | os.PathLike) -> Path:
    """Copy ``source`` to ``target`` (replacing it), atomically."""
    with open(source, "rb") as handle:
        return write_atomic(target, lambda out: shutil.copyfileobj(handle, out, 1 << 20))


def _create_temp(path: Path) -> tuple[Path, int]:
    """A new hidden ``.part`` file beside ``path``, created with the default permissions and
    locked for as long as it is open (see :func:`remove_stale_temp_files`)."""
    while True:
        # the name is cut so the temp name stays within the usual 255-character limit
        temp = path.with_name(f".{path.name[:200]}.{secrets.token_hex(4)}.part")
        try:
            # os.open with 0o666 honours the umask (mkstemp would leave the result private)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        if _lock_in_use(fd):
            return temp, fd
        os.close(fd)  # another process's sweep removed it before we locked it: take a new name


def _lock_in_use(fd: int) -> bool:
    """Lock the open temp file ``fd`` as in use; False if it was deleted before the lock.

    The lock lives as long as the file is open, so a killed writer's lock goes with it.
    """
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:  # no locks here (some network shares): a sweep cannot lock it either
        return True
    return os.fstat(fd).st_nlink > 0


def remove_stale_temp_files(folder: str | os.PathLike) -> int:
    """Delete the ``.part`` files a killed write left in ``folder``; returns how many.

    Only names of the form ``_create_temp`` makes are touched, and only when no process holds
    the file open for writing (POSIX: its lock is free; Windows refuses to delete an open file).
    """
    try:
        with os.scandir(folder) as entries:
            candidates = [Path(e.path) for e in entries if TEMP_NAME.fullmatch(e.name)]
    except OSError:
        return 0
    return sum(_remove_if_unused(temp) for temp in candidates)


def _remove_if_unused(temp: Path) -> bool:
    if fcntl is None:
        try:
            os.unlink(temp)
        except OSError:
            return False
        return True
    try:
        fd = os.open(temp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a writer has it
        os.unlink(temp)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def sweep_once(folder: str | os.PathLike) -> None:
    """Remove stale temp files the first time this process writes into ``folder``.

    Done under a lock before this process creates any temp file there, so it never meets one of
    its own; other processes' writes in progress are protected by their locks.
    """
    key = os.path.normcase(os.path.abspath(folder))
    with _sweep_lock:
        if key in _swept_folders:
            return
        _swept_folders.add(key)
        remove_stale_temp_files(folder)


def _publish(temp: Path, path: Path, overwrite: bool) -> None:
    """Move ``temp`` to ``path``; without ``overwrite`` a file that appeared meanwhile wins."""
    if overwrite:
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)  # atomic "create only if absent"
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares): check, then rename
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(temp, path)
        return
    _remove_quietly(temp)


def _fsync_folder(folder: Path) -> None:
    """Persist the rename itself (POSIX); not possible or needed on Windows."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
