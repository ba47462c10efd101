"""What a faithful output needs from its original: orientation, EXIF, DPI and the colour profile."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageCms

ORIENTATION_TAG = 0x0112
ICC_CONVERTED = "ICC profile converted to sRGB"  # the note a converted photo carries
_ICC_INTENT = ImageCms.Intent.RELATIVE_COLORIMETRIC
_ICC_FLAGS = ImageCms.Flags.BLACKPOINTCOMPENSATION
# TIFF tags that describe the source file's own pixel layout: copying them into another file's
# EXIF would describe pixels that are not there.
TIFF_LAYOUT_TAGS = frozenset(
    {254, 255, 256, 257, 258, 259, 262, 263, 266, 273, 277, 278, 279, 280, 281, 284, 292, 293,
     317, 318, 319, 320, 322, 323, 324, 325, 330, 338, 339, 340, 341, 347, 530, 531, 532, 700,
     33723, 34377, 34675, 37724}
)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def orientation(img: Image.Image) -> int:
    """EXIF orientation 1..8 (1 when absent or invalid)."""
    try:
        value = int(img.getexif().get(ORIENTATION_TAG, 1))
    except Exception:  # damaged EXIF must not stop the photo from loading
        return 1
    return value if 1 <= value <= 8 else 1


def apply_orientation(array: np.ndarray | None, orientation: int) -> np.ndarray | None:
    """Make ``(H, W[, C])`` upright exactly as ``PIL.ImageOps.exif_transpose`` would."""
    if array is None or orientation == 1:
        return array
    transforms = {
        2: lambda a: a[:, ::-1],  # mirrored
        3: lambda a: a[::-1, ::-1],  # upside down
        4: lambda a: a[::-1],  # mirrored vertically
        5: lambda a: a.swapaxes(0, 1),  # transpose
        6: lambda a: np.rot90(a, -1),  # needs a clockwise turn
        7: lambda a: a[::-1, ::-1].swapaxes(0, 1),  # transverse
        8: lambda a: np.rot90(a, 1),  # needs a counter-clockwise turn
    }
    return np.ascontiguousarray(transforms[orientation](array))


def exif_bytes(img: Image.Image) -> bytes | None:
    """The EXIF block with Orientation = 1 (pixels are stored upright), or None."""
    try:
        exif = img.getexif()
        if img.format == "TIFF":
            for tag in TIFF_LAYOUT_TAGS & set(exif):
                del exif[tag]
        if len(exif) == 0:
            return None
        exif[ORIENTATION_TAG] = 1
        return exif.tobytes()
    except Exception:  # unreadable EXIF is dropped rather than failing the load
        return None


def dpi(img: Image.Image) -> tuple[float, float] | None:
    """(x, y) dots per inch from the file, or None when absent or meaningless."""
    dpi = img.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    if x <= 0 or y <= 0 or (x, y) == (1.0, 1.0):  # 1 x 1 is many writers' "unknown" placeholder
        return None
    return x, y


def needs_icc_conversion(profile: bytes | None) -> bool:
    """True for an embedded profile that is not sRGB (an sRGB one needs no work)."""
    if not profile:
        return False
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    except Exception:  # unreadable profile: let the conversion attempt report it
        return True
    return "srgb" not in description.casefold()


def icc_to_srgb(img: Image.Image, profile: bytes, notes: list[str]) -> Image.Image:
    """``img`` (L, RGB or CMYK) converted from its profile to sRGB RGB; unchanged on failure."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            img, source, _SRGB, renderingIntent=_ICC_INTENT, outputMode="RGB", flags=_ICC_FLAGS
        )
    except Exception:  # a broken profile, or one not matching the pixels (RGB profile on grey)
        notes.append("ICC profile could not be applied: colours read as sRGB")
        return img
    if img.mode == "CMYK":
        notes.append("CMYK converted to RGB")
    notes.append(ICC_CONVERTED)
    return converted



def _colour_space(profile: bytes) -> str:
    """The ICC header's data colour space ("RGB", "GRAY", "CMYK"...), or "" when unreadable."""
    return profile[16:20].decode("ascii", "replace").strip() if len(profile) >= 20 else ""


def output_profile(rgb: np.ndarray, source: bytes | None, converted: bool) -> tuple[np.ndarray, bytes | None]:
    """The pixels to write and the profile to embed, keeping the original's own profile.

    ``rgb`` is sRGB when ``converted`` (the loader converted the original from ``source``): it is
    converted back so the original's profile describes it again. A grey or CMYK profile cannot
    describe an RGB result, and a conversion that fails is no reason to lose the photo: both get
    the generic sRGB profile (the pixels are sRGB then).
    """
    if not source:
        return rgb, None
    if _colour_space(source) != "RGB":
        return rgb, _SRGB.tobytes()
    if not converted:
        return rgb, source  # the pixels already are in the original's space
    if rgb.dtype != np.uint8:
        return rgb, _SRGB.tobytes()
    try:
        target = ImageCms.ImageCmsProfile(io.BytesIO(source))
        back = ImageCms.profileToProfile(Image.fromarray(rgb, "RGB"), _SRGB, target,
                                         renderingIntent=_ICC_INTENT, outputMode="RGB", flags=_ICC_FLAGS)
    except Exception:  # noqa: BLE001 - see the docstring
        return rgb, _SRGB.tobytes()
    return np.asarray(back), source
