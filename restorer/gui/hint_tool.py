"""The hint tool of the compare view: place, move, recolour and delete colour hints on the photo.

:class:`HintOverlay` takes the compare view's mouse while the tool is on and paints the hints.
:class:`~restorer.gui.hint_panel.HintPanel` is the side-panel part (the model's suggested
colours, any other colour, size, undo/redo); :class:`~restorer.gui.hint_controller.HintController`
ties them to the photo on screen, its sidecar file and the live preview. The edits themselves live
in the Qt-free :class:`~restorer.gui.hint_edits.HintEdits`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from restorer.gui.hint_edits import HintEdits

GRAB_PX = 6  # a click this close to a hint's square picks it up
MIN_SQUARE_PX = 9  # hints are drawn at least this big, whatever the zoom
DRAG_PX = 4  # a press that moves less than this is a click (a hint of the default size)


class HintOverlay:
    """Mouse handling and painting of the hints on a :class:`~restorer.gui.compare_view.CompareView`.

    A click on the photo places a hint (``on_place(x, y, radius)``, radius None: the default
    size); dragging from an empty spot draws a larger square; dragging a hint moves it; Delete
    removes the selected one, Escape deselects.
    """

    def __init__(self, view, edits: HintEdits, on_place: Callable[[float, float, float | None], None]) -> None:
        self.view = view
        self.edits = edits
        self.on_place = on_place
        self.active = False
        self._moving: int | None = None
        self._press: QPointF | None = None
        self._pressed_at: tuple[float, float] | None = None
        self._square: float | None = None  # radius being drawn, as a fraction of the long side

    def set_active(self, active: bool) -> None:
        self.active = active
        self.view.tool = self if active else None
        self.view.setCursor(Qt.CursorShape.CrossCursor if active else Qt.CursorShape.OpenHandCursor)
        self.view.update()

    # geometry ----------------------------------------------------------------------------------

    def _half_side_px(self, radius: float) -> float:
        width, height = self.view.full_size
        return max(MIN_SQUARE_PX / 2, radius * max(width, height) * self.view.zoom)

    def hint_at(self, pos: QPointF) -> int | None:
        """The topmost hint whose square (plus a margin) is under ``pos``."""
        for index in reversed(range(len(self.edits.hints))):
            hint = self.edits.hints[index]
            reach = self._half_side_px(hint.radius) + GRAB_PX
            for point in self.view.widget_points(hint.x, hint.y):
                if abs(point.x() - pos.x()) <= reach and abs(point.y() - pos.y()) <= reach:
                    return index
        return None

    # mouse -------------------------------------------------------------------------------------

    def mouse_press(self, event) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        pos = event.position()
        index = self.hint_at(pos)
        if index is not None:
            self._moving = index
            self.edits.begin_drag(index)
            return True
        spot = self.view.photo_fraction(pos)
        if spot is None:
            return False  # off the photo: the view pans or moves its divider as usual
        self._press, self._pressed_at, self._square = pos, spot, None
        return True

    def mouse_move(self, event) -> bool:
        pos = event.position()
        if self._moving is not None:
            spot = self.view.photo_fraction(pos)
            if spot is not None:
                self.edits.drag_to(self._moving, *spot)
            return True
        if self._press is None:
            self.view.setCursor(Qt.CursorShape.SizeAllCursor if self.hint_at(pos) is not None
                                else Qt.CursorShape.CrossCursor)
            return True
        travel = max(abs(pos.x() - self._press.x()), abs(pos.y() - self._press.y()))
        if travel >= DRAG_PX:
            width, height = self.view.full_size
            self._square = travel / (self.view.zoom * max(width, height))
            self.view.update()
        return True

    def mouse_release(self, event) -> bool:
        if self._moving is not None:
            self._moving = None
            self.edits.end_drag()
            return True
        if self._press is None:
            return False
        spot, square = self._pressed_at, self._square
        self._press = self._pressed_at = self._square = None
        self.on_place(spot[0], spot[1], square)
        self.view.update()
        return True

    def key_press(self, event) -> bool:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.edits.selected is not None:
            self.edits.delete(self.edits.selected)
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.edits.select(None)
            return True
        return False

    # painting ----------------------------------------------------------------------------------

    def paint(self, painter: QPainter) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index, hint in enumerate(self.edits.hints):
            self._paint_square(painter, hint.x, hint.y, hint.radius, hint.color or "#808080",
                               index == self.edits.selected)
        if self._pressed_at is not None and self._square is not None:
            self._paint_square(painter, *self._pressed_at, self._square, None, True)
        painter.restore()

    def _paint_square(self, painter: QPainter, x: float, y: float, radius: float, color: str | None,
                      selected: bool) -> None:
        half = self._half_side_px(radius)
        for point in self.view.widget_points(x, y):
            square = QRectF(point.x() - half, point.y() - half, 2 * half, 2 * half)
            painter.setPen(QPen(QColor(0, 0, 0, 200), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(square)
            painter.setPen(QPen(QColor("#ffd24a") if selected else QColor("white"), 2 if selected else 1.5))
            painter.setBrush(QColor(color) if color else Qt.BrushStyle.NoBrush)
            painter.drawRect(square)
