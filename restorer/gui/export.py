"""Saving colorized photos: output names that never clobber anything, and a background exporter.

Every save re-reads the original, merges its full-size luminance with the item's chroma,
applies the item's adjustments at full size and writes through ``save_image(like=...)`` so
EXIF, DPI and the colour profile are kept. The original is never overwritten, and neither is
an earlier output: a free name (``photo_colorized (2).jpg``) is chosen instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from restorer.core.errors import ImageWriteError
from restorer.gui.rendering import render_full
from restorer.gui.tasks import TaskPool

FORMATS = {
    "same": "Same as original",
    "jpg": "JPEG (.jpg)",
    "png": "PNG (.png, lossless, 16-bit)",
    "tif": "TIFF (.tif, lossless, 16-bit)",
    "webp": "WebP (.webp)",
}
LOSSY = ("jpg", "webp")


@dataclass(frozen=True)
class ExportOptions:
    folder: Path | None = None  # None: beside each original
    fmt: str = "same"
    quality: int = 95
    suffix: str = "_colorized"


@dataclass(frozen=True)
class ExportRequest:
    """One photo to save: where it came from, its chroma and its adjustments."""

    item_id: int
    source: Path
    ab: object
    adjustments: object = None
    target: Path | None = None  # explicit name (Save As); else derived from the options


def unique_path(path: Path) -> Path:
    """``path`` itself when free, else ``stem (2).ext``, ``stem (3).ext``..."""
    if not path.exists():
        return path
    for number in range(2, 10_000):
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        if not candidate.exists():
            return candidate
    raise ImageWriteError(f"Too many files named like {path.name} in {path.parent}")


def target_for(source: Path, options: ExportOptions) -> Path:
    from restorer.pipeline.io import output_path_for

    ext = None if options.fmt == "same" else "." + options.fmt
    return unique_path(output_path_for(source, options.folder, options.suffix, ext))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def export_one(request: ExportRequest, options: ExportOptions) -> Path:
    """Write one photo at full size; returns the path written. Runs on a worker thread."""
    from restorer.pipeline.io import load_image

    target = request.target
    if target is not None and (target == request.source or _same_file(target, request.source)):
        raise ImageWriteError(f"Refusing to overwrite the original {request.source.name}; choose another name")
    return export_one_loaded(request, load_image(request.source), options)


def export_one_loaded(request: ExportRequest, loaded, options: ExportOptions) -> Path:
    """Like :func:`export_one` for a photo already decoded (``LoadedImage``)."""
    from restorer.pipeline.io import save_image

    rgb = render_full(loaded.pixels, request.ab, request.adjustments)
    target = request.target
    if target is None:
        if options.folder is not None:
            Path(options.folder).mkdir(parents=True, exist_ok=True)
        target = target_for(request.source, options)
    return save_image(rgb, target, alpha=loaded.alpha, like=loaded, quality=options.quality,
                      overwrite=request.target is not None)


class Exporter(QObject):
    """Saves photos one after another on its own thread; reports each and the whole run."""

    saved = Signal(int, str)  # item id, path written
    failed = Signal(int, str)  # item id, reason
    progress = Signal(int, int)  # finished, total
    finished = Signal(int, int)  # saved, failed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = TaskPool("export", 1, self)
        self._total = self._saved = self._failed = 0

    @property
    def busy(self) -> bool:
        return self._saved + self._failed < self._total

    def export(self, requests: list[ExportRequest], options: ExportOptions) -> None:
        if not self.busy:
            self._total = self._saved = self._failed = 0
        self._total += len(requests)
        for request in requests:
            self._pool.submit(export_one, request, options,
                              on_done=lambda path, r=request: self._on_saved(r, path),
                              on_error=lambda message, r=request: self._on_failed(r, message))

    def cancel(self) -> None:
        """Drop photos not started yet (the one being written is finished cleanly)."""
        self._pool.clear_pending()
        self._total = self._saved + self._failed + self._pool.active_count()
        if not self.busy:
            self.finished.emit(self._saved, self._failed)

    def shutdown(self) -> None:
        """Finish every photo already asked for (a user's save is never dropped), then stop."""
        self._pool.wait()
        self._pool.shutdown()

    def wait(self) -> None:
        self._pool.wait()

    def _on_saved(self, request: ExportRequest, path: Path) -> None:
        self._saved += 1
        self.saved.emit(request.item_id, str(path))
        self._step()

    def _on_failed(self, request: ExportRequest, message: str) -> None:
        self._failed += 1
        self.failed.emit(request.item_id, message)
        self._step()

    def _step(self) -> None:
        self.progress.emit(self._saved + self._failed, self._total)
        if not self.busy:
            self.finished.emit(self._saved, self._failed)
