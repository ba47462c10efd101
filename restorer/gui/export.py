"""Saving colorized photos in the background, with names that never clobber anything.

Every save re-reads the original and goes through the pipeline's
:func:`~restorer.pipeline.colorize.save_result`, exactly as ``restorer colorize`` does, so EXIF,
DPI and the colour profile are kept and the pixels are the command line's. The original is never
overwritten, and neither is an earlier output: a free name (``photo_colorized (2).jpg``) is
chosen instead. How each save went is reported to the session.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from restorer.gui.session import Session
from restorer.gui.workers import Lane
from restorer.pipeline.colorize import ChromaResult, load_photo, save_result
from restorer.pipeline.io import OutputOptions
from restorer.pipeline.postprocess import Adjustments

FORMATS = {
    "same": "Same as original",
    "jpg": "JPEG (.jpg)",
    "png": "PNG (.png, lossless, 16-bit)",
    "tif": "TIFF (.tif, lossless, 16-bit)",
    "webp": "WebP (.webp)",
}
LOSSY = ("jpg", "webp")


@dataclass(frozen=True)
class ExportRequest:
    """One photo to save: where it came from, its colorize result and its adjustments."""

    item_id: int
    source: Path
    result: ChromaResult
    adjustments: Adjustments | None = None
    target: Path | None = None  # explicit name (Save As, confirmed by the user); else from the options


def export_one(request: ExportRequest, output: OutputOptions) -> Path:
    """Write one photo at full size; returns the path written. Runs on a worker thread."""
    if request.target is not None:  # the user chose this name and confirmed replacing it
        output = replace(output, if_exists="overwrite")
    loaded = load_photo(request.source, request.result.repair)  # repaired again as it was for colorizing
    return save_result(request.result, loaded, request.adjustments, output, request.target)


class Exporter(QObject):
    """Saves photos one after another on its own thread; reports each and the whole run."""

    progress = Signal(int, int)  # finished, total
    finished = Signal(int, int)  # saved, failed

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._lane = Lane("export", 1, self)
        self._total = self._saved = self._failed = 0
        self._written: list[tuple[Path, Path]] = []  # (original, file) of this run: what its message names
        self.finished.connect(lambda _saved, failed: session.export_finished(list(self._written), failed))

    @property
    def busy(self) -> bool:
        return self._saved + self._failed < self._total

    def export(self, requests: list[ExportRequest], output: OutputOptions) -> None:
        if not self.busy:
            self._total = self._saved = self._failed = 0
            self._written = []
        self._total += len(requests)
        for request in requests:
            self._lane.run(export_one, request, output,
                           on_done=lambda path, r=request: self._on_saved(r, path),
                           on_error=lambda message, r=request: self._on_failed(r, message))

    def cancel(self) -> None:
        """Drop photos not started yet (the one being written is finished cleanly)."""
        self._lane.clear_pending()
        self._total = self._saved + self._failed + self._lane.active_count()
        if not self.busy:
            self.finished.emit(self._saved, self._failed)

    def shutdown(self) -> None:
        """Finish every photo already asked for (a user's save is never dropped), then stop."""
        self._lane.wait()
        self._lane.shutdown()

    def wait(self) -> None:
        self._lane.wait()

    def _on_saved(self, request: ExportRequest, path: Path) -> None:
        self._saved += 1
        self._written.append((request.source, Path(path)))
        self.session.saved(request.item_id, path, request.result, request.adjustments)
        self._step()

    def _on_failed(self, request: ExportRequest, message: str) -> None:
        self._failed += 1
        self.session.save_failed(request.item_id, message)
        self._step()

    def _step(self) -> None:
        self.progress.emit(self._saved + self._failed, self._total)
        if not self.busy:
            self.finished.emit(self._saved, self._failed)
