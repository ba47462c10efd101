"""Preview pictures for the compare view, made off the GUI thread.

:class:`PreviewStore` keeps the preview-size original and colorized pictures of the last few
photos looked at (decoding a 24 MP scan takes a while; re-showing it should not).
:class:`AdjustRenderer` applies adjustments to a preview; only the newest request matters, so
older ones still waiting are skipped.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from restorer.gui.rendering import Preview, make_preview
from restorer.gui.workers import Lane
from restorer.pipeline.colorize import ChromaResult
from restorer.pipeline.postprocess import adjust_keeping_dtype

CACHE_ITEMS = 12


def load_preview(path: Path, result: ChromaResult | None) -> Preview:
    """The photo's preview; once colorized, made from the grey it was colorized from (repaired or not)."""
    from restorer.pipeline.colorize import load_photo

    return make_preview(load_photo(path, result.repair if result is not None else None).pixels, result)


class PreviewStore(QObject):
    """``ready(item_id, Preview)`` / ``failed(item_id, message)`` after :meth:`request`."""

    ready = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lane = Lane("preview", 1, self)
        self._cache: OrderedDict[int, Preview] = OrderedDict()
        self._wanted: int | None = None

    def put(self, item_id: int, preview: Preview) -> None:
        self._cache[item_id] = preview
        self._cache.move_to_end(item_id)
        while len(self._cache) > CACHE_ITEMS:
            self._cache.popitem(last=False)

    def cached(self, item_id: int) -> Preview | None:
        return self._cache.get(item_id)

    def keep_only(self, item_ids: set[int]) -> None:
        for item_id in [key for key in self._cache if key not in item_ids]:
            del self._cache[item_id]

    def request(self, item_id: int, path: Path, result: ChromaResult | None = None) -> Preview | None:
        """The cached preview now, or None and ``ready`` later. Needs a colorized one with a ``result``."""
        preview = self._cache.get(item_id)
        if preview is not None and (result is None or preview.colorized is not None):
            self._cache.move_to_end(item_id)
            return preview
        self._wanted = item_id
        self._lane.clear_pending()
        self._lane.run(load_preview, path, result, on_done=lambda p: self._loaded(item_id, p),
                       on_error=lambda message: self._failed(item_id, message))
        return None

    def wait(self) -> None:
        self._lane.wait()

    def shutdown(self) -> None:
        self._lane.shutdown()

    def _loaded(self, item_id: int, preview: Preview) -> None:
        self.put(item_id, preview)
        if item_id == self._wanted:
            self.ready.emit(item_id, preview)

    def _failed(self, item_id: int, message: str) -> None:
        if item_id == self._wanted:
            self.failed.emit(item_id, message)


class AdjustRenderer(QObject):
    """``rendered(item_id, rgb)``: a preview's colorized picture with adjustments applied."""

    rendered = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lane = Lane("adjust", 1, self)
        self._generation = 0

    def render(self, item_id: int, colorized, adjustments) -> None:
        self._generation += 1
        generation = self._generation
        self._lane.clear_pending()
        if adjustments is None or adjustments.is_neutral:
            self.rendered.emit(item_id, colorized)
            return
        self._lane.run(adjust_keeping_dtype, colorized, adjustments,
                       on_done=lambda rgb: self._done(generation, item_id, rgb),
                       on_error=lambda message: self._done(generation, item_id, message, failed=True))

    def wait(self) -> None:
        self._lane.wait()

    def shutdown(self) -> None:
        self._lane.shutdown()

    def _done(self, generation: int, item_id: int, value, failed: bool = False) -> None:
        if generation == self._generation:
            (self.failed if failed else self.rendered).emit(item_id, value)
