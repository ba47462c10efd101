"""Before/after viewer: a draggable split, or side by side with one shared zoom and pan.

Zoom is in screen pixels per photo pixel (1.0 = 100 %). Pictures are drawn from a
:class:`~restorer.gui.pyramid.Pyramid` level that matches the zoom. Keys: Left/Right move the
divider (Shift: in bigger steps), hold Space to see the original, +/- zoom, 0 fits, 1 is 100 %.
The divider position is a fraction of the view's width; :attr:`split_x` gives it in pixels,
and columns left of it show the original.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from restorer.gui.icons import icon
from restorer.gui.pyramid import Pyramid

BACKGROUND = QColor("#26282c")
DIVIDER_GRAB_PX = 8
MAX_ZOOM = 32.0
WHEEL_STEP = 1.25
SPLIT, SIDE = "split", "side"


class CompareView(QWidget):
    zoom_changed = Signal(float)
    split_changed = Signal(float)
    mode_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._before: Pyramid | None = None
        self._after: Pyramid | None = None
        self._full = (0, 0)
        self._zoom = 1.0
        self._fit = True
        self._center = QPointF(0, 0)  # photo coordinates shown at the middle of each viewport
        self._split = 0.5
        self._mode = SPLIT
        self._peek = False
        self._drag: str | None = None
        self._press = QPointF()
        self._press_center = QPointF()
        self.message = ""
        self.after_label = "Colorized"
        self.tool = None  # an active tool (restorer.gui.hint_tool.HintOverlay) gets the mouse first and paints on top

    # content ---------------------------------------------------------------------------------

    def set_images(self, before: np.ndarray | None, after: np.ndarray | None,
                   full_size: tuple[int, int] | None = None, keep_view: bool = False) -> None:
        """Show ``before`` (the original) and ``after`` (colorized), uint8 RGB at preview size."""
        if before is None:
            self.clear()
            return
        full = full_size or (before.shape[1], before.shape[0])
        same_photo = keep_view and full == self._full
        self._full = full
        self._before = Pyramid(before, full[0])
        self._after = Pyramid(after, full[0]) if after is not None else None
        if not same_photo:
            self.fit()
        self.update()

    def set_after(self, after: np.ndarray | None) -> None:
        """Replace the colorized picture (e.g. adjusted) without touching zoom or pan."""
        if self._before is not None:
            self._after = Pyramid(after, self._full[0]) if after is not None else None
            self.update()

    def clear(self) -> None:
        self._before = self._after = None
        self._full = (0, 0)
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    @property
    def has_image(self) -> bool:
        return self._before is not None

    @property
    def has_result(self) -> bool:
        return self._after is not None

    def after_array(self) -> np.ndarray | None:
        return self._after.base if self._after is not None else None

    # modes, split, peek ----------------------------------------------------------------------

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        if mode in (SPLIT, SIDE) and mode != self._mode:
            self._mode = mode
            if self._fit:
                self.fit()
            self.mode_changed.emit(mode)
            self.update()

    @property
    def split_fraction(self) -> float:
        return self._split

    def set_split_fraction(self, fraction: float) -> None:
        fraction = float(np.clip(fraction, 0.0, 1.0))
        if fraction != self._split:
            self._split = fraction
            self.split_changed.emit(fraction)
            self.update()

    @property
    def split_x(self) -> int:
        """The divider's x in widget pixels: columns left of it show the original."""
        return round(self._split * self.width())

    @property
    def peeking(self) -> bool:
        return self._peek

    def set_peek(self, peek: bool) -> None:
        if peek != self._peek:
            self._peek = peek
            self.update()

    # zoom and pan ----------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def full_size(self) -> tuple[int, int]:
        """(width, height) of the photo on screen, at full resolution."""
        return self._full

    @property
    def fitted(self) -> bool:
        return self._fit

    def _viewports(self) -> list[QRect]:
        rect = self.rect()
        if self._mode == SIDE:
            half = rect.width() // 2
            return [QRect(0, 0, half - 1, rect.height()), QRect(half + 1, 0, rect.width() - half - 1, rect.height())]
        return [rect]

    def fit_zoom(self) -> float:
        if not self._full[0]:
            return 1.0
        port = self._viewports()[0]
        margin = 16
        return max(1e-3, min((port.width() - margin) / self._full[0], (port.height() - margin) / self._full[1]))

    def fit(self) -> None:
        self._fit = True
        self._center = QPointF(self._full[0] / 2, self._full[1] / 2)
        self._set_zoom_value(self.fit_zoom())

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * WHEEL_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / WHEEL_STEP)

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the photo point under ``anchor`` (widget coordinates) where it is."""
        zoom = float(np.clip(zoom, min(self.fit_zoom(), 1.0) * 0.25, MAX_ZOOM))
        if anchor is not None:
            port = self._port_at(anchor)
            under = self._to_photo(anchor, port)
            self._center = under - (anchor - QPointF(port.center())) / zoom
        self._fit = False
        self._set_zoom_value(zoom)

    def _set_zoom_value(self, zoom: float) -> None:
        self._zoom = zoom
        self.zoom_changed.emit(zoom)
        self.update()

    def _port_at(self, pos: QPointF) -> QRect:
        ports = self._viewports()
        return ports[-1] if len(ports) > 1 and pos.x() >= ports[1].left() else ports[0]

    def _to_photo(self, pos: QPointF, port: QRect) -> QPointF:
        return self._center + (pos - QPointF(port.center())) / self._zoom

    def photo_fraction(self, pos: QPointF) -> tuple[float, float] | None:
        """(x, y) fractions of the photo's width and height under ``pos``; None off the photo."""
        if not self._full[0]:
            return None
        point = self._to_photo(pos, self._port_at(pos))
        x, y = point.x() / self._full[0], point.y() / self._full[1]
        return (x, y) if 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0 else None

    def widget_points(self, x: float, y: float) -> list[QPointF]:
        """Where the photo point at fractions (x, y) is shown: one place per viewport."""
        return [self.image_rect(port).topLeft() + QPointF(x * self._full[0], y * self._full[1]) * self._zoom
                for port in self._viewports()]

    def image_rect(self, port: QRect) -> QRectF:
        """Where the whole photo lies, in widget coordinates, for one viewport."""
        top_left = QPointF(port.center()) - self._center * self._zoom
        return QRectF(top_left.x(), top_left.y(), self._full[0] * self._zoom, self._full[1] * self._zoom)

    # painting --------------------------------------------------------------------------------

    def composed_image(self) -> QImage:
        """Exactly what the view shows, as an RGB image of the widget's size."""
        image = QImage(self.size(), QImage.Format.Format_RGB32)
        painter = QPainter(image)
        self._paint(painter)
        painter.end()
        return image.convertToFormat(QImage.Format.Format_RGB888)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        self._paint(painter)
        painter.end()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(720, 540)

    def _paint(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), BACKGROUND)
        if self._before is None:
            self._paint_placeholder(painter)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self._zoom < 2.0)
        if self._mode == SIDE:
            self._paint_side(painter)
        else:
            self._paint_split(painter)
        if self.tool is not None:
            self.tool.paint(painter)
        if self.message:
            self._paint_badge(painter, self.message, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter)

    def _paint_split(self, painter: QPainter) -> None:
        port = self._viewports()[0]
        if self._after is None or self._peek:
            self._paint_picture(painter, port, self._before, port)
            self._paint_badge(painter, "Original", Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            return
        x = self.split_x
        self._paint_picture(painter, port, self._before, QRect(0, 0, x, port.height()))
        self._paint_picture(painter, port, self._after, QRect(x, 0, port.width() - x, port.height()))
        self._paint_divider(painter, x)
        self._paint_badge(painter, "Original", Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._paint_badge(painter, self.after_label, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)

    def _paint_side(self, painter: QPainter) -> None:
        left, right = self._viewports()
        after = self._before if (self._after is None or self._peek) else self._after
        self._paint_picture(painter, left, self._before, left)
        self._paint_picture(painter, right, after, right)
        painter.fillRect(QRect(left.right() + 1, 0, 2, self.height()), QColor("#111214"))
        self._paint_badge(painter, "Original", Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, left)
        label = self.after_label if after is self._after else "Original"
        self._paint_badge(painter, label, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, right)

    def _paint_picture(self, painter: QPainter, port: QRect, pyramid: Pyramid, clip: QRect) -> None:
        target = self.image_rect(port)
        visible = target.intersected(QRectF(clip.intersected(port)))
        if visible.isEmpty():
            return
        image, scale = pyramid.level_for(self._zoom)
        ratio = scale / self._zoom  # level pixels per screen pixel
        source = QRectF((visible.x() - target.x()) * ratio, (visible.y() - target.y()) * ratio,
                        visible.width() * ratio, visible.height() * ratio)
        painter.drawImage(visible, image, source)

    def _paint_divider(self, painter: QPainter, x: int) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(255, 255, 255, 230), 2))
        painter.drawLine(x, 0, x, self.height())
        centre = QPointF(x, self.height() / 2)
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.setPen(QPen(QColor(0, 0, 0, 90), 1))
        painter.drawEllipse(centre, 15, 15)
        arrows = icon("split", "#333333").pixmap(20, 20)
        painter.drawPixmap(int(centre.x() - 10), int(centre.y() - 10), arrows)
        painter.restore()

    def _paint_badge(self, painter: QPainter, text: str, align, area: QRect | None = None) -> None:
        area = (area or self.rect()).adjusted(10, 10, -10, -10)
        painter.save()
        font = QFont(painter.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.95))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = metrics.boundingRect(QRect(0, 0, max(10, area.width() - 20), 200),
                                   int(Qt.TextFlag.TextWordWrap), text).adjusted(-9, -4, 9, 4)
        box.moveTopLeft(area.topLeft())
        if align & Qt.AlignmentFlag.AlignRight:
            box.moveRight(area.right())
        if align & Qt.AlignmentFlag.AlignHCenter:
            box.moveLeft(area.center().x() - box.width() // 2)
        if align & Qt.AlignmentFlag.AlignBottom:
            box.moveBottom(area.bottom())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(QColor("white"))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
        painter.restore()

    def _paint_placeholder(self, painter: QPainter) -> None:
        rect = self.rect()
        pix = icon("open", "#6d7179").pixmap(72, 72)
        top = rect.center().y() - 70
        painter.drawPixmap(rect.center().x() - 36, top, pix)
        painter.setPen(QColor("#b9bcc2"))
        text_rect = QRect(rect.left() + 20, top + 86, rect.width() - 40, 80)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
                         self.message or "Drop black-and-white photos or folders here\n"
                                         "or press Ctrl+O to open photos")

    # interaction -----------------------------------------------------------------------------

    def _near_divider(self, pos: QPointF) -> bool:
        return (self._mode == SPLIT and self._after is not None
                and abs(pos.x() - self.split_x) <= DIVIDER_GRAB_PX)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        pos = event.position()
        if self.tool is not None and self.tool.mouse_press(event):
            return
        if event.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            return super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self._near_divider(pos):
            self._drag = "divider"
        elif self._before is not None:
            self._drag = "pan"
            self._press, self._press_center = pos, QPointF(self._center)
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        pos = event.position()
        if self.tool is not None and self.tool.mouse_move(event):
            return
        if self._drag == "divider":
            self.set_split_fraction(pos.x() / max(1, self.width()))
        elif self._drag == "pan":
            self._fit = False
            self._center = self._press_center - (pos - self._press) / self._zoom
            self.update()
        else:
            near = self._near_divider(pos)
            self.setCursor(Qt.CursorShape.SplitHCursor if near else Qt.CursorShape.OpenHandCursor)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self.tool is not None and self.tool.mouse_release(event):
            return
        self._drag = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if self._fit:
            self.set_zoom(1.0, event.position())
        else:
            self.fit()

    def wheelEvent(self, event) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120.0
        if steps and self._before is not None:
            self.set_zoom(self._zoom * WHEEL_STEP ** steps, event.position())
        event.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if self.tool is not None and self.tool.key_press(event):
            return
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        step = 0.1 if shift else 0.02
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.set_peek(True)
        elif key == Qt.Key.Key_Left:
            self.set_split_fraction(self._split - step)
        elif key == Qt.Key.Key_Right:
            self.set_split_fraction(self._split + step)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_1:
            self.actual_size()
        elif key != Qt.Key.Key_Space:
            return super().keyPressEvent(event)
        event.accept()

    def keyReleaseEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.set_peek(False)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        if self._fit and self._before is not None:
            self.fit()
        super().resizeEvent(event)
