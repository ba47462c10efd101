"""Scanning dropped or opened files and folders off the GUI thread, into the session's queue."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from restorer.gui.session import Session
from restorer.gui.session.scan import ScanResult, scan_paths
from restorer.gui.workers import Lane


class Importer(QObject):
    """Each scan's photos go to :meth:`Session.add_scanned` (at ``row``) when it is done."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._lane = Lane("import", 1, self)
        self.pending = 0

    def add(self, paths: list[str | Path], row: int = -1) -> None:
        self.pending += 1
        self._lane.run(scan_paths, list(paths), on_done=lambda result: self._done(result, row),
                       on_error=self._failed)

    def wait(self) -> None:
        self._lane.wait()

    def shutdown(self) -> None:
        self._lane.shutdown()

    def _done(self, result: ScanResult, row: int) -> None:
        self.pending -= 1
        self.session.add_scanned(result, row)

    def _failed(self, message: str) -> None:
        self.pending -= 1
        self.session.notice.emit("error", f"Could not read the dropped files: {message}")
