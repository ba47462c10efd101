"""Small display widgets of the training page: a live line chart and the validation previews."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 14, 26, 36


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2 or 5 times a power of ten apart)."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


class LossPlot(QWidget):
    """Line chart of named series of (x, y) points, autoscaled; drawn with QPainter."""

    def __init__(self, parent: QWidget | None = None, x_label: str = "epoch") -> None:
        super().__init__(parent)
        self.x_label = x_label
        self.series: dict[str, tuple[QColor, list[tuple[float, float]]]] = {}
        self.setMinimumSize(260, 150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(420, 220)

    def add_series(self, name: str, color: str) -> None:
        self.series[name] = (QColor(color), [])

    def add_point(self, name: str, x: float, y: float) -> None:
        if math.isfinite(x) and math.isfinite(y):
            self.series[name][1].append((float(x), float(y)))
            self.update()

    def points(self, name: str) -> list[tuple[float, float]]:
        return list(self.series[name][1])

    def clear(self) -> None:
        for _, points in self.series.values():
            points.clear()
        self.update()

    def _bounds(self) -> tuple[float, float, float, float] | None:
        points = [p for _, pts in self.series.values() for p in pts]
        if not points:
            return None
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1 = min(0.0, min(xs)), max(xs)
        y0, y1 = min(ys), max(ys)
        pad = (y1 - y0) * 0.08 or abs(y1) * 0.1 or 1.0
        return x0, max(x1, x0 + 1e-6), y0 - pad, y1 + pad

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        plot = QRectF(MARGIN_LEFT, MARGIN_TOP, self.width() - MARGIN_LEFT - MARGIN_RIGHT,
                      self.height() - MARGIN_TOP - MARGIN_BOTTOM)
        text = palette.text().color()
        bounds = self._bounds()
        if bounds is None or plot.width() < 20 or plot.height() < 20:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "The loss curve appears once training starts.")
            return
        x0, x1, y0, y1 = bounds

        def at(x: float, y: float) -> QPointF:
            return QPointF(plot.left() + (x - x0) / (x1 - x0) * plot.width(),
                           plot.bottom() - (y - y0) / (y1 - y0) * plot.height())

        self._draw_axes(painter, plot, bounds, at, text)
        for name, (color, points) in self.series.items():
            self._draw_line(painter, points, color, at)
        self._draw_legend(painter, plot, text)

    def _draw_axes(self, painter: QPainter, plot: QRectF, bounds, at, text: QColor) -> None:
        x0, x1, y0, y1 = bounds
        grid = QColor(text)
        grid.setAlpha(40)
        for y in nice_ticks(y0, y1):
            point = at(x0, y)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), point.y()), QPointF(plot.right(), point.y()))
            painter.setPen(text)
            painter.drawText(QRectF(0, point.y() - 8, MARGIN_LEFT - 6, 16),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{y:.3g}")
        for x in nice_ticks(x0, x1, 6):
            point = at(x, y0)
            painter.setPen(text)
            painter.drawText(QRectF(point.x() - 20, plot.bottom() + 2, 40, 16), Qt.AlignmentFlag.AlignCenter, f"{x:g}")
        painter.drawText(QRectF(plot.left(), plot.bottom() + 18, plot.width(), 16),
                         Qt.AlignmentFlag.AlignCenter, self.x_label)
        painter.setPen(QPen(grid.darker(), 1))
        painter.drawRect(plot)

    @staticmethod
    def _draw_line(painter: QPainter, points, color: QColor, at) -> None:
        if not points:
            return
        painter.setPen(QPen(color, 2))
        if len(points) == 1:
            painter.setBrush(color)
            painter.drawEllipse(at(*points[0]), 3, 3)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            return
        path = QPainterPath(at(*points[0]))
        for point in points[1:]:
            path.lineTo(at(*point))
        painter.drawPath(path)

    def _draw_legend(self, painter: QPainter, plot: QRectF, text: QColor) -> None:
        x = plot.left()
        metrics = painter.fontMetrics()
        for name, (color, points) in self.series.items():
            painter.fillRect(QRectF(x, 9, 14, 4), color)
            painter.setPen(text)
            painter.drawText(QPointF(x + 18, 15), name)
            x += 18 + metrics.horizontalAdvance(name) + 16


def pixmap_from_rgb(rgb: np.ndarray, side: int) -> QPixmap:
    """A uint8 RGB (H, W, 3) array as a pixmap whose long side is ``side``."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    return QPixmap.fromImage(image).scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation)


class PreviewGrid(QWidget):
    """Rows of (grey input | model's colours | original) thumbnails of validation photos."""

    HEADERS = ("Grey input", "Model's colours", "Original")

    def __init__(self, parent: QWidget | None = None, thumb: int = 96) -> None:
        super().__init__(parent)
        self.thumb = thumb
        self.count = 0
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        for column, header in enumerate(self.HEADERS):
            label = QLabel(header)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._layout.addWidget(label, 0, column)
        self._empty = QLabel("Validation photos appear here after each epoch.")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._empty, 1, 0, 1, 3)
        self._cells: list[QLabel] = []

    def set_previews(self, previews: list) -> None:
        """Show up to four (grey, prediction, truth) uint8 RGB triplets."""
        self._empty.setVisible(not previews)
        for row, triplet in enumerate(previews[:4]):
            for column, image in enumerate(triplet):
                index = row * 3 + column
                if index >= len(self._cells):
                    cell = QLabel()
                    cell.setFixedSize(self.thumb, self.thumb)
                    cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                    self._layout.addWidget(cell, row + 1, column)
                    self._cells.append(cell)
                self._cells[index].setPixmap(pixmap_from_rgb(image, self.thumb))
                self._cells[index].show()
        for cell in self._cells[len(previews[:4]) * 3:]:
            cell.hide()
        self.count = len(previews[:4])
