"""Test images made by the tests themselves."""

from __future__ import annotations

import numpy as np


def synthetic_photo(height: int = 96, width: int = 128, seed: int = 0) -> np.ndarray:
    """A colourful uint8 RGB scene: sky gradient, green ground, a red disc, some noise."""
    rng = np.random.default_rng(seed)
    image = np.zeros((height, width, 3), np.float32)
    rows = np.linspace(0, 1, height)[:, None]
    horizon = height // 2
    image[:horizon] = np.stack([0.3 + 0.2 * rows[:horizon], 0.5 + 0.2 * rows[:horizon],
                                np.full_like(rows[:horizon], 0.9)], axis=-1)
    image[horizon:] = (0.2, 0.55, 0.2)
    yy, xx = np.mgrid[:height, :width]
    disc = (yy - height * 0.65) ** 2 + (xx - width * 0.3) ** 2 < (min(height, width) * 0.15) ** 2
    image[disc] = (0.85, 0.15, 0.1)
    image += rng.normal(0, 0.02, image.shape)
    return (np.clip(image, 0, 1) * 255).astype(np.uint8)
