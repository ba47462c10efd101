"""Turning dropped or opened files and folders into photos for the queue (run off the GUI thread).

Folders are walked recursively with the engine's ``iter_image_files``; files that are not images
are counted so the user can be told how many were skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from restorer.pipeline.io import is_image_file, iter_image_files


@dataclass
class ScanResult:
    images: list[Path] = field(default_factory=list)
    skipped: int = 0  # files that are not images (hidden files are not counted)
    missing: list[str] = field(default_factory=list)  # names that do not exist


def _count_non_images(folder: Path) -> int:
    count = 0
    for _root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        count += sum(1 for name in files if not name.startswith(".") and not is_image_file(name))
    return count


def scan_paths(paths: Iterable[str | Path]) -> ScanResult:
    """Image files in ``paths`` (folders walked recursively) and how many other files were skipped."""
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


def plural(count: int, word: str) -> str:
    """``1 photo``, ``2 photos``."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def describe_scan(result: ScanResult, added: int) -> tuple[str, str]:
    """(level, message) summarising an import for the message bar."""
    if not result.images and not result.missing:
        return "warning", "No photos found" + (f" (skipped {result.skipped} non-image files)"
                                               if result.skipped else "")
    parts = [f"Added {plural(added, 'photo')} to the queue"]
    already = len(result.images) - added
    if already:
        parts.append(f"{already} already queued")
    if result.skipped:
        verb = "are" if result.skipped != 1 else "is"
        parts.append(f"skipped {plural(result.skipped, 'file')} that {verb} not an image")
    if result.missing:
        parts.append(f"{len(result.missing)} not found")
    level = "warning" if result.missing or not added else "info"
    return level, "; ".join(parts) + "."
