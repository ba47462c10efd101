"""Finding the photos in folders: recursively, each once, in natural order, hidden files skipped."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from restorer.pipeline.io.formats import is_image_file


def iter_image_files(
    paths: str | os.PathLike | Iterable[str | os.PathLike], *, recursive: bool = True
) -> Iterator[Path]:
    """Image files named in ``paths`` or found in its folders, each once, in natural order.

    Files named explicitly are yielded when their suffix is an image's (even if missing, so the
    caller's ``load_image`` reports it). Folders are listed files first, then subfolders; hidden
    entries (and so our ``.part`` temp files) are skipped; folder symlinks are followed, but a
    folder already visited is never entered twice, so symlink loops end.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()
    for item in map(Path, paths):
        if item.is_dir():
            candidates = _walk(item, recursive, seen_dirs)
        else:
            candidates = iter([item] if is_image_file(item) else [])
        for found in candidates:
            key = os.path.normcase(os.path.realpath(found))
            if key not in seen_files:
                seen_files.add(key)
                yield found


def _walk(root: Path, recursive: bool, seen_dirs: set[str]) -> Iterator[Path]:
    """Depth-first over ``root`` with an explicit stack (no recursion limit on deep trees)."""
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.normcase(os.path.realpath(folder))
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        files, folders = _list_folder(folder)
        yield from files
        if recursive:
            stack.extend(reversed(folders))


def _list_folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """(image files, subfolders) of ``folder``, visible entries only, naturally sorted."""
    files, folders = [], []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if _is_hidden(entry):
                    continue
                try:
                    if entry.is_dir():  # follows symlinks: loops are stopped by seen_dirs
                        folders.append(Path(entry.path))
                    elif entry.is_file() and is_image_file(entry.name):
                        files.append(Path(entry.path))
                except OSError:  # a dangling or unreadable entry is not an image we can use
                    continue
    except OSError:  # unreadable folder: nothing to find there
        return [], []
    return sorted(files, key=_natural_key), sorted(folders, key=_natural_key)


def _is_hidden(entry: os.DirEntry) -> bool:
    """Dot-files (Unix, macOS '._' files, our temp files) and Windows hidden-attribute files."""
    if entry.name.startswith("."):
        return True
    if os.name == "nt":
        try:
            attributes = entry.stat(follow_symlinks=False).st_file_attributes
            return bool(attributes & stat.FILE_ATTRIBUTE_HIDDEN)
        except OSError:
            return False
    return False


def _natural_key(path: Path) -> list:
    """Sort key putting 'scan2' before 'scan10', ignoring case."""
    parts = re.split(r"(\d+)", path.name)
    return [int(part) if part.isdigit() else part.casefold() for part in parts]

