"""sRGB <-> CIE Lab (D65) conversions on float32 arrays, done in row bands to bound memory."""

from __future__ import annotations

import cv2
import numpy as np

from restorer.core.units import AB_SCALE, L_SCALE  # noqa: F401  (re-exported: colour code looks here)
BAND_ROWS = 512  # rows converted per band: keeps temporaries ~ a few MB per megapixel of width
REMAP_COLS = 16384  # cv2.remap maps must stay under 32767 px wide


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


# sRGB (D65) <-> XYZ matrices and the CIE Lab constants, for the exact float64 path (and the
# training losses' differentiable version of it).
RGB_TO_XYZ = np.array([[0.412453, 0.357580, 0.180423],
                       [0.212671, 0.715160, 0.072169],
                       [0.019334, 0.119193, 0.950227]])
WHITE_D65 = RGB_TO_XYZ.sum(axis=1)
XYZ_TO_RGB = np.linalg.inv(RGB_TO_XYZ)
LAB_EPSILON, LAB_KAPPA = 216 / 24389, 24389 / 27


def rgb_to_lab_exact(rgb: np.ndarray) -> np.ndarray:
    """Like :func:`rgb_to_lab` in float64 arithmetic: OpenCV's float path is tabulated (L steps of
    ~0.2), fine for 8-bit photos but coarser than a 16-bit scan's tones."""
    rgb = np.asarray(rgb, dtype=np.float64)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ RGB_TO_XYZ.T / WHITE_D65
    f = np.where(xyz > LAB_EPSILON, np.cbrt(xyz), (LAB_KAPPA * xyz + 16) / 116)
    lab = np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)
    return lab.astype(np.float32)


def lab_to_rgb_exact(lab: np.ndarray) -> np.ndarray:
    """Inverse of :func:`rgb_to_lab_exact`; out-of-gamut colours are clipped."""
    lab = np.asarray(lab, dtype=np.float64)
    fy = (lab[..., 0] + 16) / 116
    f = np.stack([fy + lab[..., 1] / 500, fy, fy - lab[..., 2] / 200], axis=-1)
    xyz = np.where(f**3 > LAB_EPSILON, f**3, (116 * f - 16) / LAB_KAPPA) * WHITE_D65
    linear = np.clip(xyz @ XYZ_TO_RGB.T, 0.0, 1.0)
    rgb = np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)
    return rgb.astype(np.float32)


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
        convert = rgb_to_lab_exact if image.dtype == np.uint16 else rgb_to_lab
        out[top : top + BAND_ROWS] = convert(band)[..., 0]
    return out


WHOLE_CHROMA_PIXELS = 8_000_000  # up to here the chroma is upsampled in one call (<= 64 MB of float32)


def _upsampled_chroma(ab: np.ndarray, full_shape: tuple[int, int]) -> np.ndarray | None:
    """``ab`` bicubically resized to ``full_shape`` in one call, or None when that would be too big.

    cv2.resize is ~10x faster than the band-wise remap below and uses the same pixel-centre
    convention; the band-wise path exists only to bound memory on huge scans.
    """
    if ab.shape[:2] == full_shape:
        return np.ascontiguousarray(ab, dtype=np.float32)
    if full_shape[0] * full_shape[1] > WHOLE_CHROMA_PIXELS or max(full_shape) >= 32767:
        return None
    source = np.ascontiguousarray(ab, dtype=np.float32)
    return cv2.resize(source, (full_shape[1], full_shape[0]), interpolation=cv2.INTER_CUBIC)


def _chroma_band(ab: np.ndarray, rows: slice, full_shape: tuple[int, int]) -> np.ndarray:
    """Rows ``rows`` of ``ab`` bicubically resized to ``full_shape`` (same pixel-centre convention
    as cv2.resize), computed for that band alone so the full-size chroma never exists at once."""
    height, width = full_shape
    top, bottom, _ = rows.indices(height)
    map_y = (np.arange(top, bottom, dtype=np.float32) + 0.5) * (ab.shape[0] / height) - 0.5
    map_x = (np.arange(width, dtype=np.float32) + 0.5) * (ab.shape[1] / width) - 0.5
    source = np.ascontiguousarray(ab, dtype=np.float32)
    # cv2.remap takes maps narrower than 32767 px: wide panoramas go in column chunks
    chunks = [_remap(source, map_x[left: left + REMAP_COLS], map_y) for left in range(0, width, REMAP_COLS)]
    return chunks[0] if len(chunks) == 1 else np.concatenate(chunks, axis=1)


def _remap(source: np.ndarray, map_x: np.ndarray, map_y: np.ndarray) -> np.ndarray:
    grid_x, grid_y = np.meshgrid(map_x, map_y)
    return cv2.remap(source, grid_x, grid_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def merge_luminance_chroma(lum: np.ndarray, ab: np.ndarray, dtype=np.uint8) -> np.ndarray:
    """Combine full-size L ``(H, W)`` with chroma ``(h, w, 2)`` into an RGB image of ``dtype``.

    ``ab`` may be smaller than ``lum`` (the network's working size): it is upsampled bicubically,
    band by band on scans above :data:`WHOLE_CHROMA_PIXELS`, so a 50 MP scan needs only a few MB
    beyond its L and output arrays. Chroma outside the sRGB gamut is clipped in RGB.
    """
    if ab.ndim != 3 or ab.shape[2] != 2:
        raise ValueError(f"expected chroma of shape (h, w, 2), got {ab.shape}")
    if ab.shape[0] > lum.shape[0] or ab.shape[1] > lum.shape[1]:
        raise ValueError(f"chroma {ab.shape[:2]} is larger than L {lum.shape}")
    lum = np.asarray(lum, dtype=np.float32)
    out = np.empty(lum.shape + (3,), dtype=dtype)
    whole = _upsampled_chroma(ab, lum.shape)
    for top in range(0, lum.shape[0], BAND_ROWS):
        rows = slice(top, min(top + BAND_ROWS, lum.shape[0]))
        chroma = whole[rows] if whole is not None else _chroma_band(ab, rows, lum.shape)
        lab = cv2.merge([lum[rows], np.ascontiguousarray(chroma[..., 0]), np.ascontiguousarray(chroma[..., 1])])
        rgb = lab_to_rgb_exact(lab) if dtype == np.uint16 else cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)
        out[rows] = from_float01(rgb, dtype)
    return out


def from_float01(image: np.ndarray, dtype) -> np.ndarray:
    """Float image -> ``dtype`` (uint8, uint16 or float32), clipped to [0, 1] and rounded.

    The inverse of :func:`to_float01`; 8-bit goes through OpenCV's saturating cast (~20x faster
    than numpy's rint + astype, same rounding).
    """
    image = np.clip(image, 0.0, 1.0).astype(np.float32, copy=False)
    if dtype == np.float32:
        return image
    if dtype == np.uint8:
        return cv2.convertScaleAbs(image, alpha=255.0)
    return np.rint(image * 65535.0).astype(dtype)


def grey_rgb(image: np.ndarray) -> np.ndarray:
    """The image's luminance as a neutral grey RGB float32 image (the 'no colour' baseline)."""
    lum = luminance(image)
    return merge_luminance_chroma(lum, np.zeros(lum.shape + (2,), np.float32), np.float32)
