"""Queue thumbnails: made on demand off the GUI thread, cached, newest request first.

The queue view only asks for the rows it shows, so thousands of queued photos cost nothing
until they scroll into view. JPEGs decode at 1/2..1/8 scale, which keeps even 24 MP scans quick.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap

from restorer.gui.icons import icon
from restorer.gui.workers import Lane

THUMB_SIZE = 96
CACHE_LIMIT = 2000


def make_thumbnail(path: Path, size: int = THUMB_SIZE) -> tuple[QImage, tuple[int, int]]:
    """(thumbnail QImage, (width, height) of the upright photo). Runs on a worker thread.

    Decoded by the pipeline's own reader (its pixel cap, orientation and colour profile), at a
    fraction of the size for JPEGs.
    """
    from restorer.pipeline.io import load_image
    from restorer.pipeline.pixels import to_uint8

    loaded = load_image(path, max_side=size, check_colour=False)
    array = np.ascontiguousarray(to_uint8(loaded.pixels))
    height, width = array.shape[:2]
    image = QImage(array.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy(), loaded.size


def _square_icon(image: QImage, size: int) -> QIcon:
    """Centre the thumbnail on a transparent square so rows line up whatever the aspect."""
    canvas = QPixmap(size, size)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    x = (size - image.width()) // 2
    y = (size - image.height()) // 2
    painter.drawImage(x, y, image)
    painter.end()
    return QIcon(canvas)


class ThumbnailCache(QObject):
    """Icons for queue rows; ``ready(key, dims)`` fires when one has been made."""

    ready = Signal(object, object)  # key, (width, height) or None
    failed = Signal(object, str)

    def __init__(self, size: int = THUMB_SIZE, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.size = size
        self._lane = Lane("thumbnails", 2, self)
        self._icons: OrderedDict[object, QIcon] = OrderedDict()
        self._pending: set[object] = set()
        self._priority = itertools.count(1)

    def get(self, key: object, path: Path) -> QIcon | None:
        """The cached icon, or None after scheduling it (latest requests are served first)."""
        cached = self._icons.get(key)
        if cached is not None:
            self._icons.move_to_end(key)
            return cached
        if key not in self._pending:
            self._pending.add(key)
            self._lane.run(make_thumbnail, path, self.size, priority=next(self._priority),
                           on_done=lambda result, k=key: self._store(k, result),
                           on_error=lambda message, k=key: self._broken(k, message))
        return None

    def keep_only(self, keys: set) -> None:
        """Forget the icons of everything not in ``keys`` (photos taken off the queue)."""
        for key in [key for key in self._icons if key not in keys]:
            del self._icons[key]

    def shutdown(self) -> None:
        self._lane.shutdown()

    def wait(self) -> None:
        self._lane.wait()

    def _store(self, key: object, result) -> None:
        image, dims = result
        self._pending.discard(key)
        self._remember(key, _square_icon(image, self.size))
        self.ready.emit(key, dims)

    def _broken(self, key: object, message: str) -> None:
        self._pending.discard(key)
        self._remember(key, icon("broken", "#d64545"))
        self.failed.emit(key, message)
        self.ready.emit(key, None)

    def _remember(self, key: object, value: QIcon) -> None:
        self._icons[key] = value
        while len(self._icons) > CACHE_LIMIT:
            self._icons.popitem(last=False)
