"""Ties the hint tool to the photo on screen: its sidecar, the live preview, the suggestions.

When a photo is shown its hints are read from ``photo.jpg.hints.json``; every finished edit is
written back there at once (atomically), so export, the next batch and ``restorer colorize``
all use them. A sidecar that cannot be read is never overwritten: the tool stays off for that
photo and says why. Each edit (also mid-drag) asks the previewer for a new picture; the newest
one replaces the colorized preview and the photo's kept chroma (which export renders from).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject

from restorer.core.errors import HintsError
from restorer.gui.hint_edits import HintEdits
from restorer.gui.hint_panel import HintPanel
from restorer.gui.hint_preview import HintPreviewer
from restorer.gui.hint_tool import HintOverlay
from restorer.gui.rendering import Preview
from restorer.pipeline.hints import DEFAULT_RADIUS, hint_of_color, load_sidecar, save_sidecar

class HintController(QObject):
    def __init__(self, compare, panel: HintPanel, display, previewer: HintPreviewer | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.compare, self.panel, self.display = compare, panel, display
        self.session = display.session
        self.edits = HintEdits()
        self.overlay = HintOverlay(compare, self.edits, self.place)
        self.previewer = previewer or HintPreviewer(parent=self)
        self.item_id: int | None = None
        self.blocked: str | None = None  # why this photo's hints cannot be edited
        self._loading = False
        self._suggested_for: tuple | None = None
        self.edits.subscribe(self._on_edit)
        self._connect()

    def _connect(self) -> None:
        panel = self.panel
        panel.tool_toggled.connect(self.set_active)
        panel.colour_chosen.connect(self.recolour_selected)
        panel.size_changed.connect(lambda radius: self._on_selected(lambda i: self.edits.resize(i, radius)))
        panel.delete_requested.connect(lambda: self._on_selected(self.edits.delete))
        panel.clear_requested.connect(self.edits.clear)
        panel.undo_requested.connect(self.edits.undo)
        panel.redo_requested.connect(self.edits.redo)
        self.display.shown.connect(self.open)
        self.previewer.rendered.connect(self._on_rendered)
        self.previewer.suggested.connect(self._on_suggested)
        self.previewer.failed.connect(lambda message: self.session.notice.emit("warning", f"Colour hints: {message}"))

    # the photo ---------------------------------------------------------------------------------

    def open(self, item_id: int | None) -> None:
        """Show the hints of the photo now on screen (its sidecar's)."""
        if item_id == self.item_id and item_id is not None:
            return
        item = self.session.queue.item(item_id) if item_id is not None else None
        self.item_id = item.id if item is not None else None
        hints, self.blocked = (), None
        if item is not None:
            try:
                hints = load_sidecar(item.path)
            except HintsError as err:
                self.blocked = f"{err}; fix or delete that file to place hints on this photo"
                self.session.notice.emit("warning", self.blocked)
        self._loading = True
        self.edits.reset(hints)
        self._loading = False
        self.panel.set_tool_enabled(item is not None and self.blocked is None)

    def set_active(self, active: bool) -> None:
        self.overlay.set_active(active)
        if active:
            self._use_current_model()
            self.previewer.warm()
            preview = self._preview()
            if preview is not None and preview.colorized is None:  # not colorized yet: the tool shows it
                self._request_render()

    def shutdown(self) -> None:
        self.previewer.shutdown()

    # edits -------------------------------------------------------------------------------------

    def place(self, x: float, y: float, radius: float | None) -> None:
        """A new hint at (x, y) pinning the colour the photo has there now; then the suggestions."""
        preview = self._preview()
        if preview is None or self.blocked:
            return
        picture = preview.colorized if preview.colorized is not None else preview.original
        rows, cols = picture.shape[:2]
        pixel = picture[int(y * (rows - 1)), int(x * (cols - 1))]
        hint = hint_of_color(x, y, "#" + "".join(f"{int(v):02x}" for v in pixel[:3]), radius or DEFAULT_RADIUS)
        self.edits.add(hint.x, hint.y, hint.a, hint.b, hint.color, hint.radius)

    def recolour_selected(self, colour: str) -> None:
        def recolour(index: int) -> None:
            hint = self.edits.hints[index]
            recoloured = hint_of_color(hint.x, hint.y, colour, hint.radius)
            self.edits.recolour(index, recoloured.a, recoloured.b, recoloured.color)

        self._on_selected(recolour)

    def _on_selected(self, action: Callable[[int], None]) -> None:
        if self.edits.selected is not None:
            action(self.edits.selected)

    def _on_edit(self, committed: bool) -> None:
        edits = self.edits
        selected = edits.hints[edits.selected] if edits.selected is not None else None
        self.panel.show_state(len(edits.hints), selected, edits.can_undo, edits.can_redo)
        self.compare.update()
        if self._loading or self.item_id is None:
            return
        if committed:
            self._save()
        self._request_render()
        self._ask_suggestions()

    def _save(self) -> None:
        item = self.session.queue.item(self.item_id)
        if item is None:
            return
        try:
            save_sidecar(item.path, self.edits.hints)
        except HintsError as err:
            self.session.notice.emit("error", str(err))

    # the network -------------------------------------------------------------------------------

    def _use_current_model(self) -> None:
        """The model, device and render size the picker shows (the session's colorize settings)."""
        chosen = self.session.colorize
        self.previewer.set_model(chosen.model, chosen.device, chosen.render_size)

    def _preview(self) -> Preview | None:
        return self.display.previews.cached(self.item_id) if self.item_id is not None else None

    def _request_render(self) -> None:
        preview, item = self._preview(), self.session.queue.item(self.item_id)
        if preview is not None and item is not None:
            self._use_current_model()
            self.previewer.request(item.id, preview.original, self.edits.hints, item.adjustments)

    def _ask_suggestions(self) -> None:
        index, preview = self.edits.selected, self._preview()
        if index is None or preview is None:
            self._suggested_for = None
            return
        hint = self.edits.hints[index]
        others = self.edits.hints[:index] + self.edits.hints[index + 1:]
        key = (self.item_id, index, hint.x, hint.y, others)
        if key != self._suggested_for:
            self._suggested_for = key
            self.previewer.suggest(self.item_id, index, preview.original, hint.x, hint.y, others)

    def _on_suggested(self, item_id: int, index: int, suggestions) -> None:
        if item_id == self.item_id and index == self.edits.selected:
            self.panel.show_suggestions(suggestions)

    def _on_rendered(self, item_id: int, out) -> None:
        ab, colorized, shown = out
        preview = self.display.previews.cached(item_id)
        if preview is None:
            return
        self.display.previews.put(item_id, Preview(preview.original, colorized, preview.full_size))
        item = self.session.queue.item(item_id)
        result = getattr(item, "result", None)
        if result is not None and result.ab.shape == ab.shape:
            result.ab = np.ascontiguousarray(ab)  # export renders the hinted chroma
        if item_id != self.item_id:
            return
        if self.compare.has_result:
            self.compare.set_after(shown)
        else:  # the photo was not colorized yet: the tool's picture is its first
            self.compare.set_images(preview.original, shown, preview.full_size, keep_view=True)
