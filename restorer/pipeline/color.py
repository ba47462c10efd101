"""sRGB <-> CIE Lab (D65) conversions on float32 arrays, done in row bands to bound memory."""

from __future__ import annotations

import cv2
import numpy as np

AB_SCALE = 110.0  # networks see ab / 110, which maps the sRGB gamut into about [-1, 1]
BAND_ROWS = 512  # rows converted per band: keeps temporaries ~ a few MB per megapixel of width


def _check_rgb(rgb: np.ndarray) -> None:
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an (H, W, 3) RGB array, got shape {rgb.shape}")


def to_float01(image: np.ndarray) -> np.ndarray:
    """uint8/uint16/float image -> float32 in [0, 1]."""
    if image.dtype == np.uint8:
        return image.astype(np.float32) / 255.0
    if image.dtype == np.uint16:
        return image.astype(np.float32) / 65535.0
    return np.clip(image.astype(np.float32, copy=False), 0.0, 1.0)


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """float32 RGB ``(H, W, 3)`` in [0, 1] -> Lab ``(H, W, 3)`` float32."""
    _check_rgb(rgb)
    return cv2.cvtColor(np.ascontiguousarray(rgb, dtype=np.float32), cv2.COLOR_RGB2Lab)


def lab_to_rgb(lab: np.ndarray) -> np.ndarray:
    """Lab ``(H, W, 3)`` -> float32 RGB in [0, 1]; out-of-gamut colours are clipped."""
    _check_rgb(lab)
    rgb = cv2.cvtColor(np.ascontiguousarray(lab, dtype=np.float32), cv2.COLOR_Lab2RGB)
    return np.clip(rgb, 0.0, 1.0, out=rgb)


def luminance(image: np.ndarray) -> np.ndarray:
    """Lab L channel ``(H, W)`` float32 in [0, 100] of an RGB or grey image of any dtype.

    Works band by band so a 50 MP scan never needs a full-size float Lab copy.
    """
    height = image.shape[0]
    out = np.empty(image.shape[:2], dtype=np.float32)
    for top in range(0, height, BAND_ROWS):
        band = to_float01(image[top : top + BAND_ROWS])
        if band.ndim == 2:
            band = np.repeat(band[..., None], 3, axis=2)
        out[top : top + BAND_ROWS] = rgb_to_lab(band)[..., 0]
    return out


def _chroma_band(ab: np.ndarray, rows: slice, full_shape: tuple[int, int]) -> np.ndarray:
    """Rows ``rows`` of ``ab`` bicubically resized to ``full_shape`` (same pixel-centre convention
    as cv2.resize), computed for that band alone so the full-size chroma never exists at once."""
    if ab.shape[:2] == full_shape:
        return ab[rows]
    height, width = full_shape
    top, bottom, _ = rows.indices(height)
    scale_y = ab.shape[0] / height
    scale_x = ab.shape[1] / width
    map_x = (np.arange(width, dtype=np.float32) + 0.5) * scale_x - 0.5
    map_y = (np.arange(top, bottom, dtype=np.float32) + 0.5) * scale_y - 0.5
    grid_x, grid_y = np.meshgrid(map_x, map_y)
    return cv2.remap(np.ascontiguousarray(ab, dtype=np.float32), grid_x, grid_y, cv2.INTER_CUBIC,
                     borderMode=cv2.BORDER_REPLICATE)


def merge_luminance_chroma(lum: np.ndarray, ab: np.ndarray, dtype=np.uint8) -> np.ndarray:
    """Combine full-size L ``(H, W)`` with chroma ``(h, w, 2)`` into an RGB image of ``dtype``.

    ``ab`` may be smaller than ``lum`` (the network's working size): it is upsampled bicubically
    band by band, so a 50 MP scan needs only a few MB beyond its L and output arrays. Chroma
    outside the sRGB gamut is clipped in RGB.
    """
    if ab.ndim != 3 or ab.shape[2] != 2:
        raise ValueError(f"expected chroma of shape (h, w, 2), got {ab.shape}")
    if ab.shape[0] > lum.shape[0] or ab.shape[1] > lum.shape[1]:
        raise ValueError(f"chroma {ab.shape[:2]} is larger than L {lum.shape}")
    scale = 65535.0 if dtype == np.uint16 else 255.0
    out = np.empty(lum.shape + (3,), dtype=dtype)
    for top in range(0, lum.shape[0], BAND_ROWS):
        rows = slice(top, min(top + BAND_ROWS, lum.shape[0]))
        band_ab = _chroma_band(ab, rows, lum.shape)
        rgb = lab_to_rgb(np.concatenate([lum[rows, :, None], band_ab], axis=2))
        out[rows] = rgb if dtype == np.float32 else np.rint(rgb * scale).astype(dtype)
    return out


def grey_rgb(image: np.ndarray) -> np.ndarray:
    """The image's luminance as a neutral grey RGB float32 image (the 'no colour' baseline)."""
    lum = luminance(image)
    return merge_luminance_chroma(lum, np.zeros(lum.shape + (2,), np.float32), np.float32)


def chroma_magnitude(image: np.ndarray) -> float:
    """Mean Lab chroma sqrt(a^2 + b^2) of an RGB image: ~0 for grey, >5 for clearly coloured."""
    small = image
    if image.shape[0] * image.shape[1] > 512 * 512:
        factor = (512 * 512 / (image.shape[0] * image.shape[1])) ** 0.5
        size = (max(1, int(image.shape[1] * factor)), max(1, int(image.shape[0] * factor)))
        small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    lab = rgb_to_lab(to_float01(small))
    return float(np.mean(np.hypot(lab[..., 1], lab[..., 2])))
