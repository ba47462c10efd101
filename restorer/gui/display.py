"""What the compare view shows: the session's current photo, its colorized preview, and the
adjustments applied to it live. A view of the session: it reads the session, and writes only the
adjustments the user makes."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from restorer.gui.adjust_panel import AdjustPanel
from restorer.gui.compare_view import CompareView
from restorer.gui.preview import AdjustRenderer, PreviewStore
from restorer.gui.rendering import Preview
from restorer.gui.session import DONE, FAILED, RUNNING, Outcome, Session
from restorer.gui.session.queue import STATUS


class DisplayController(QObject):
    shown = Signal(object)  # item id now on screen (after its pictures arrived) or None

    def __init__(self, session: Session, compare: CompareView, adjust: AdjustPanel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.compare = compare
        self.adjust = adjust
        self.previews = PreviewStore(self)
        self.renderer = AdjustRenderer(self)
        self.item_id: int | None = None  # the photo whose pictures are on screen
        self.previews.ready.connect(self._on_preview)
        self.previews.failed.connect(self._on_preview_failed)
        self.renderer.rendered.connect(self._on_rendered)
        self.renderer.failed.connect(lambda _id, message: session.notice.emit("error", f"Adjustments failed: {message}"))
        adjust.changed.connect(lambda adjustments: session.set_adjustments(self.item_id, adjustments))
        session.current_changed.connect(self.show)
        session.item_finished.connect(self._on_item_finished)
        session.adjustments_changed.connect(self._on_adjustments_changed)
        session.queue.changed.connect(self._on_item_changed)
        session.queue.removed.connect(lambda *_: self.forget_removed())

    def show(self, item_id: int | None) -> None:
        item = self.session.queue.item(item_id)
        previous = self.item_id
        self.item_id = item.id if item else None
        if item is None:
            self.compare.clear()
            self.compare.set_message("")
            self.shown.emit(None)
            return
        self.adjust.set_adjustments(item.adjustments)
        preview = self.previews.request(item.id, item.path, item.result)
        if preview is not None:
            self._display(item.id, preview, keep_view=previous == item.id)
        else:
            self.compare.set_message(f"Loading {item.name}…")

    def refresh(self) -> None:
        """Show the current photo again (its result or adjustments changed)."""
        if self.item_id is not None:
            self.show(self.item_id)

    def forget_removed(self) -> None:
        """Drop the cached pictures of photos no longer queued."""
        self.previews.keep_only({item.id for item in self.session.queue.items()})

    def shutdown(self) -> None:
        self.previews.shutdown()
        self.renderer.shutdown()

    # following the session ---------------------------------------------------------------------

    def _on_item_finished(self, item_id: int, outcome: Outcome) -> None:
        if outcome.preview is not None:
            self.previews.put(item_id, outcome.preview)
        if item_id == self.item_id:
            self.show(item_id)

    def _on_item_changed(self, item_id: int, what: str) -> None:
        if what == STATUS and item_id == self.item_id:
            self._update_message(self.session.queue.item(item_id))

    def _on_adjustments_changed(self, item_id: int | None) -> None:
        if item_id is None:  # the whole batch: show the new settings
            self.refresh()
            return
        item = self.session.queue.item(item_id)
        preview = self.previews.cached(item_id)
        if item is not None and item_id == self.item_id and preview is not None and preview.colorized is not None:
            self.renderer.render(item_id, preview.colorized, item.adjustments)

    # pictures --------------------------------------------------------------------------------

    def _display(self, item_id: int, preview: Preview, keep_view: bool) -> None:
        item = self.session.queue.item(item_id)
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
            job = self.session.job
            model = job.settings.model if job is not None and job.item_id == item.id else None
            self.compare.set_message(f"Colorizing with {model}…" if model else "Colorizing…")
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

    def _on_rendered(self, item_id: int, rgb) -> None:
        if item_id == self.item_id:
            item = self.session.queue.item(item_id)
            self.compare.after_label = result_label(item)
            self.compare.set_after(rgb)


def result_label(item) -> str:
    """The badge over the colorized side: which model made it (photos made with different models sit
    side by side in one queue), and whether adjustments are applied: ``Colorized · vivid2 + adjustments``."""
    if item is None:
        return "Colorized"
    model = item.result.model if item.result is not None else ""
    adjusted = item.adjustments is not None and not item.adjustments.is_neutral
    return "Colorized" + (f" · {model}" if model else "") + (" + adjustments" if adjusted else "")
