"""Turning dropped or opened files and folders into photos for the queue, off the GUI thread.

Folders are walked recursively with the engine's ``iter_image_files``; files that are not
images are counted so the user can be told how many were skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from restorer.gui.tasks import TaskPool


@dataclass
class ScanResult:
    images: list[Path] = field(default_factory=list)
    skipped: int = 0  # files that are not images (hidden files are not counted)
    missing: list[str] = field(default_factory=list)  # names that do not exist


def _count_non_images(folder: Path) -> int:
    from restorer.pipeline.io import is_image_file

    count = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        count += sum(1 for name in files if not name.startswith(".") and not is_image_file(name))
    return count


def scan_paths(paths: Iterable[str | Path]) -> ScanResult:
    """Image files in ``paths`` (folders walked recursively) and how many other files were skipped."""
    from restorer.pipeline.io import is_image_file, iter_image_files

    result = ScanResult()
    existing = []
    for path in map(Path, paths):
        if not path.exists():
            result.missing.append(str(path))
        elif path.is_dir():
            existing.append(path)
            result.skipped += _count_non_images(path)
        elif is_image_file(path):
            existing.append(path)
        else:
            result.skipped += 1
    result.images = [path.absolute() for path in iter_image_files(existing)]
    return result


def describe_scan(result: ScanResult, added: int) -> tuple[str, str]:
    """(level, message) summarising an import for the message bar."""
    parts = [f"Added {added} photo{'s' if added != 1 else ''} to the queue"]
    already = len(result.images) - added
    if already:
        parts.append(f"{already} already queued")
    if result.skipped:
        parts.append(f"skipped {result.skipped} file{'s' if result.skipped != 1 else ''} that "
                     f"{'are' if result.skipped != 1 else 'is'} not an image")
    if result.missing:
        parts.append(f"{len(result.missing)} not found")
    level = "warning" if result.missing or not added else "info"
    if not result.images and not result.missing:
        return "warning", "No photos found" + (f" (skipped {result.skipped} non-image files)"
                                               if result.skipped else "")
    return level, "; ".join(parts) + "."


class Importer(QObject):
    """Scans in the background; ``scanned(result, row)`` arrives on the GUI thread."""

    scanned = Signal(object, int)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = TaskPool("import", 1, self)
        self.pending = 0

    def add(self, paths: list[str | Path], row: int = -1) -> None:
        self.pending += 1
        self._pool.submit(scan_paths, list(paths), on_done=lambda result: self._done(result, row),
                          on_error=self._failed)

    def wait(self) -> None:
        self._pool.wait()

    def shutdown(self) -> None:
        self._pool.shutdown()

    def _done(self, result: ScanResult, row: int) -> None:
        self.pending -= 1
        self.scanned.emit(result, row)

    def _failed(self, message: str) -> None:
        self.pending -= 1
        self.failed.emit(f"Could not read the dropped files: {message}")
