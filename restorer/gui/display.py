"""What the compare view shows: the selected photo (or, with nothing selected, the latest result),
its colorized preview, and the adjustments applied to it live."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from restorer.gui.adjust_panel import AdjustPanel
from restorer.gui.compare_view import CompareView
from restorer.gui.preview import AdjustRenderer, PreviewStore
from restorer.gui.queue_model import DONE, FAILED, RUNNING, QueueModel
from restorer.gui.rendering import Preview


class DisplayController(QObject):
    notice = Signal(str, str)
    shown = Signal(object)  # item id now on screen (after its pictures arrived) or None

    def __init__(self, model: QueueModel, compare: CompareView, adjust: AdjustPanel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.compare = compare
        self.adjust = adjust
        self.previews = PreviewStore(self)
        self.renderer = AdjustRenderer(self)
        self.item_id: int | None = None
        self.pinned = False  # True when the user selected the photo (not just following the batch)
        self.previews.ready.connect(self._on_preview)
        self.previews.failed.connect(self._on_preview_failed)
        self.renderer.rendered.connect(self._on_rendered)
        self.renderer.failed.connect(lambda _id, message: self.notice.emit("error", f"Adjustments failed: {message}"))
        adjust.changed.connect(self._on_adjustments)

    # choosing the photo ----------------------------------------------------------------------

    def select(self, item_id: int | None, pinned: bool = True) -> None:
        """A row was picked (None: nothing selected). ``pinned``: by the user, so stop following
        the batch; an automatic selection keeps showing each photo as it finishes."""
        self.pinned = pinned and item_id is not None
        if item_id != self.item_id or item_id is None:
            self.show(item_id)

    def show(self, item_id: int | None) -> None:
        item = self.model.item(item_id) if item_id is not None else None
        previous = self.item_id
        self.item_id = item.id if item else None
        if item is None:
            self.compare.clear()
            self.compare.set_message("")
            self.shown.emit(None)
            return
        self.adjust.set_adjustments(item.adjustments)
        ab = item.result.ab if item.result is not None else None
        preview = self.previews.request(item.id, item.path, ab)
        if preview is not None:
            self._display(item.id, preview, keep_view=previous == item.id)
        else:
            self.compare.set_message(f"Loading {item.name}…")

    def refresh(self) -> None:
        """Show the current photo again (its result or adjustments changed)."""
        if self.item_id is not None:
            self.show(self.item_id)

    def on_item_finished(self, item_id: int, preview: Preview) -> None:
        self.previews.put(item_id, preview)
        if item_id == self.item_id or not self.pinned:
            self.show(item_id)

    def on_status_changed(self) -> None:
        if self.item_id is not None and self.model.item(self.item_id) is None:
            self.show(None)  # the photo on screen was removed from the queue
        elif self.item_id is not None:
            self._update_message(self.model.item(self.item_id))

    def shutdown(self) -> None:
        self.previews.shutdown()
        self.renderer.shutdown()

    # pictures --------------------------------------------------------------------------------

    def _display(self, item_id: int, preview: Preview, keep_view: bool) -> None:
        item = self.model.item(item_id)
        if item is None:
            return
        self.compare.set_images(preview.original, preview.colorized, preview.full_size, keep_view=keep_view)
        self._update_message(item)
        if preview.colorized is not None:
            self.renderer.render(item_id, preview.colorized, item.adjustments)
        self.shown.emit(item_id)

    def _update_message(self, item) -> None:
        if item is None or item.status == DONE:
            self.compare.set_message("")
        elif item.status == RUNNING:
            self.compare.set_message("Colorizing…")
        elif item.status == FAILED:
            self.compare.set_message(f"Failed: {item.message}")
        elif not self.compare.has_result:
            self.compare.set_message("Not colorized yet: press Run to colorize the queue")

    def _on_preview(self, item_id: int, preview: Preview) -> None:
        if item_id == self.item_id:
            self._display(item_id, preview, keep_view=False)

    def _on_preview_failed(self, item_id: int, message: str) -> None:
        if item_id == self.item_id:
            self.compare.clear()
            self.compare.set_message(f"Cannot show this photo: {message}")
            self.shown.emit(item_id)

    def _on_adjustments(self, adjustments) -> None:
        item = self.model.item(self.item_id) if self.item_id is not None else None
        if item is None:
            return
        item.adjustments = adjustments
        preview = self.previews.cached(item.id)
        if preview is not None and preview.colorized is not None:
            self.renderer.render(item.id, preview.colorized, adjustments)

    def _on_rendered(self, item_id: int, rgb) -> None:
        if item_id == self.item_id:
            item = self.model.item(item_id)
            adjusted = item is not None and item.adjustments is not None and not item.adjustments.is_neutral
            self.compare.after_label = "Colorized + adjustments" if adjusted else "Colorized"
            self.compare.set_after(rgb)
