"""A grey photo with its damage mask drawn over it in red, and a round brush to add or erase mask.

The mask is the detector's (``detected``) plus what the user painted (``added``) minus what the
user erased (``erased``), so moving the sensitivity re-detects without losing hand edits. All
arrays are at the editing size; the dialog scales the result to the photo's full size.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

OVERLAY_RGBA = (255, 40, 40, 140)  # red, a little over half opaque: the photo stays readable under it


def grey_qimage(grey: np.ndarray) -> QImage:
    grey = np.ascontiguousarray(grey)
    return QImage(grey.data, grey.shape[1], grey.shape[0], grey.strides[0], QImage.Format.Format_Grayscale8).copy()


def overlay_qimage(mask: np.ndarray) -> QImage:
    rgba = np.zeros(mask.shape + (4,), np.uint8)
    rgba[mask] = OVERLAY_RGBA
    return QImage(rgba.data, mask.shape[1], mask.shape[0], rgba.strides[0], QImage.Format.Format_RGBA8888).copy()


class MaskCanvas(QWidget):
    """``edited`` after every brush stroke segment. ``erasing`` picks the left button's action; the
    right button always erases."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setMouseTracking(True)
        self.brush_radius = 6
        self.erasing = False
        self.show_overlay = True
        self._image: QImage | None = None
        self._overlay: QImage | None = None
        self.detected = np.zeros((1, 1), bool)
        self.added = np.zeros((1, 1), np.uint8)
        self.erased = np.zeros((1, 1), np.uint8)
        self._last: QPointF | None = None
        self._stroke_erases = False

    def set_image(self, grey: np.ndarray, detected: np.ndarray) -> None:
        self._image = grey_qimage(grey)
        self.added = np.zeros(grey.shape, np.uint8)
        self.erased = np.zeros(grey.shape, np.uint8)
        self.set_detected(detected)

    def set_detected(self, detected: np.ndarray) -> None:
        self.detected = detected.astype(bool)
        self._refresh_overlay()

    def mask(self) -> np.ndarray:
        return (self.detected | self.added.astype(bool)) & ~self.erased.astype(bool)

    def reset_edits(self) -> None:
        self.added[:] = 0
        self.erased[:] = 0
        self._refresh_overlay()
        self.edited.emit()

    def set_show_overlay(self, show: bool) -> None:
        self.show_overlay = show
        self.update()

    def image_rect(self) -> QRectF:
        """Where the photo is drawn: fitted into the widget, aspect kept, centred."""
        if self._image is None:
            return QRectF()
        scale = min(self.width() / self._image.width(), self.height() / self._image.height())
        width, height = self._image.width() * scale, self._image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def to_image(self, pos: QPointF) -> QPointF:
        rect = self.image_rect()
        scale = self._image.width() / rect.width()
        return QPointF((pos.x() - rect.x()) * scale, (pos.y() - rect.y()) * scale)

    def paint_segment(self, start: QPointF, end: QPointF, erase: bool) -> None:
        """Brush from ``start`` to ``end`` (image px) into the added or erased layer."""
        target, other = (self.erased, self.added) if erase else (self.added, self.erased)
        points = [(int(round(p.x())), int(round(p.y()))) for p in (start, end)]
        stroke = np.zeros_like(target)
        cv2.line(stroke, points[0], points[1], 1, max(1, 2 * self.brush_radius), cv2.LINE_8)
        cv2.circle(stroke, points[1], self.brush_radius, 1, -1)
        target |= stroke
        other &= 1 - stroke
        self._refresh_overlay()
        self.edited.emit()

    def _refresh_overlay(self) -> None:
        self._overlay = overlay_qimage(self.mask())
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(40, 40, 40))
        if self._image is None:
            return
        rect = self.image_rect()
        painter.drawImage(rect, self._image)
        if self.show_overlay and self._overlay is not None:
            painter.drawImage(rect, self._overlay)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if self._image is None:
            return
        self._stroke_erases = self.erasing or event.button() == Qt.MouseButton.RightButton
        self._last = self.to_image(event.position())
        self.paint_segment(self._last, self._last, self._stroke_erases)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._last is None:
            return
        point = self.to_image(event.position())
        self.paint_segment(self._last, point, self._stroke_erases)
        self._last = point

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self._last = None
