"""Image pyramids for display: each level half the size of the one before, as QImages.

The compare view draws from the smallest level that still has at least as many pixels as the
screen shows, so a zoomed-out 24 MP photo never costs a full-size repaint.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QImage

MIN_LEVEL_SIDE = 64


def to_qimage(rgb: np.ndarray) -> QImage:
    """A QImage viewing ``rgb`` (uint8 ``(H, W, 3)``); keep the array alive as long as the image."""
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888)


class Pyramid:
    """Levels of one picture; ``scale`` of a level = its width / the photo's full width."""

    def __init__(self, rgb: np.ndarray, full_width: int) -> None:
        self._arrays: list[np.ndarray] = []
        self.levels: list[tuple[QImage, float]] = []
        level = np.ascontiguousarray(rgb)
        while True:
            self._arrays.append(level)
            self.levels.append((to_qimage(level), level.shape[1] / full_width))
            height, width = level.shape[:2]
            if min(height, width) // 2 < MIN_LEVEL_SIDE:
                break
            level = cv2.resize(level, (width // 2, height // 2), interpolation=cv2.INTER_AREA)

    @property
    def base(self) -> np.ndarray:
        return self._arrays[0]

    def level_for(self, zoom: float) -> tuple[QImage, float]:
        """The smallest level with ``scale >= zoom`` (the largest one when zoomed in further)."""
        for image, scale in reversed(self.levels):
            if scale >= zoom:
                return image, scale
        return self.levels[0]
