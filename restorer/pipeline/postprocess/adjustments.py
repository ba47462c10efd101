"""All post-processing settings in one object, applied in one Lab pass."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from restorer.core import ranges
from restorer.pipeline.color import from_float01, lab_to_rgb, rgb_to_lab
from restorer.pipeline.postprocess import chroma, tone
from restorer.pipeline.postprocess._common import as_rgb01

EQUALIZE_CHOICES = ("off",) + tone.EQUALIZE_METHODS
# the settings a user sets (CLI flags, GUI sliders), with the ranges shared by both
USER_RANGES = {
    "temperature": ranges.TEMPERATURE, "tint": ranges.TINT, "reference_strength": ranges.REFERENCE_STRENGTH,
    "saturation": ranges.SATURATION, "vibrance": ranges.VIBRANCE, "contrast": ranges.CONTRAST,
    "brightness": ranges.BRIGHTNESS, "gamma": ranges.GAMMA, "equalize_strength": ranges.EQUALIZE_STRENGTH,
    "sharpen_amount": ranges.SHARPEN,
}


@dataclass
class Adjustments:
    """Every post-processing setting; the defaults are all neutral (the photo is unchanged).

    Ranges and neutral values are those of the matching functions in
    :mod:`restorer.pipeline.postprocess`. ``reference`` is the colour-transfer reference photo
    (any RGB array); it is not serialised: :meth:`to_dict` stores ``reference_path`` instead,
    and whoever loads the settings back reads that file into ``reference``.
    """

    # white balance (adjust_temperature)
    temperature: float = 0.0
    tint: float = 0.0
    # colour transfer (color_transfer)
    reference: np.ndarray | None = field(default=None, repr=False, compare=False)
    reference_path: str | None = None
    reference_strength: float = 1.0
    # chroma (adjust_saturation, adjust_vibrance)
    saturation: float = 1.0
    vibrance: float = 0.0
    # tone (adjust_contrast_brightness, adjust_gamma)
    contrast: float = 1.0
    brightness: float = 0.0
    gamma: float = 1.0
    # histogram equalization (equalize_histogram); "off", "global" or "clahe"
    equalize: str = "off"
    equalize_strength: float = 1.0
    clip_limit: float = 2.0
    tile_grid: int = 8
    # unsharp mask (sharpen)
    sharpen_amount: float = 0.0
    sharpen_radius: float = 1.0
    sharpen_threshold: float = 0.0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError if any setting is outside its range."""
        for name, allowed in USER_RANGES.items():
            allowed.check(name, getattr(self, name))
        if self.equalize not in EQUALIZE_CHOICES:
            raise ValueError(f"equalize must be one of {EQUALIZE_CHOICES}, got {self.equalize!r}")
        tone.check_equalize("global", self.equalize_strength, self.clip_limit, self.tile_grid)
        tone.check_sharpen(self.sharpen_amount, self.sharpen_radius, self.sharpen_threshold)

    # Which steps do something -----------------------------------------------------------------

    @property
    def white_balance_active(self) -> bool:
        return self.temperature != 0.0 or self.tint != 0.0

    @property
    def transfer_active(self) -> bool:
        return self.reference is not None and self.reference_strength != 0.0

    @property
    def chroma_active(self) -> bool:
        return self.saturation != 1.0 or self.vibrance != 0.0

    @property
    def tone_active(self) -> bool:
        return self.contrast != 1.0 or self.brightness != 0.0 or self.gamma != 1.0

    @property
    def equalize_active(self) -> bool:
        return self.equalize != "off" and self.equalize_strength != 0.0

    @property
    def sharpen_active(self) -> bool:
        return self.sharpen_amount != 0.0

    @property
    def is_neutral(self) -> bool:
        """True when applying these settings would leave the photo unchanged.

        A ``reference_path`` without a loaded ``reference`` array counts as no transfer.
        """
        return not (
            self.white_balance_active
            or self.transfer_active
            or self.chroma_active
            or self.tone_active
            or self.equalize_active
            or self.sharpen_active
        )

    # Serialisation ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict of every setting except the ``reference`` array."""
        data = {}
        for f in dataclasses.fields(self):
            if f.name != "reference":
                value = getattr(self, f.name)
                data[f.name] = value.item() if isinstance(value, np.generic) else value
        return data

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], reference: np.ndarray | None = None
    ) -> Adjustments:
        """Settings from :meth:`to_dict` output; missing keys take defaults, unknown keys are
        ignored (settings written by a newer version still load). ``reference`` is the
        reference photo the caller loaded from ``data["reference_path"]``, if any.

        Raises ValueError for a value of the wrong type or outside its range.
        """
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name == "reference" or f.name not in data:
                continue
            value = data[f.name]
            try:
                if f.name == "equalize":
                    value = str(value)
                elif f.name == "reference_path":
                    value = None if value is None else str(value)
                elif f.name == "tile_grid":
                    if isinstance(value, bool) or int(value) != value:
                        raise ValueError
                    value = int(value)
                else:
                    if isinstance(value, (bool, str)) or value is None:
                        raise ValueError
                    value = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"bad value for {f.name}: {value!r}") from None
            kwargs[f.name] = value
        return cls(reference=reference, **kwargs)


def apply_adjustments(rgb: np.ndarray, adj: Adjustments) -> np.ndarray:
    """Apply every active setting of ``adj`` to a photo; returns a new float32 RGB array.

    Order (each step skipped when neutral), all in one Lab pass (one conversion to Lab and
    one back, so intermediate steps do not clip colours to the sRGB gamut):

    1. white balance (temperature, tint)
    2. colour transfer from ``adj.reference``
    3. saturation, then vibrance
    4. contrast and brightness, then gamma
    5. histogram equalization
    6. sharpening

    Chroma is settled before tone so that equalization and sharpening act on the final L.
    A neutral ``adj`` returns a plain float32 copy of the input (no Lab round trip).
    """
    out = as_rgb01(rgb)
    adj.validate()
    if adj.is_neutral:
        return out
    lab = rgb_to_lab(out)
    del out
    if adj.white_balance_active:
        chroma.temperature_lab(lab, adj.temperature, adj.tint)
    if adj.transfer_active:
        ref_mean, ref_std = chroma.reference_ab_stats(adj.reference)
        chroma.color_transfer_lab(lab, ref_mean, ref_std, adj.reference_strength)
    if adj.saturation != 1.0:
        chroma.saturation_lab(lab, adj.saturation)
    if adj.vibrance != 0.0:
        chroma.vibrance_lab(lab, adj.vibrance)
    if adj.contrast != 1.0 or adj.brightness != 0.0:
        tone.contrast_brightness_lab(lab, adj.contrast, adj.brightness)
    if adj.gamma != 1.0:
        tone.gamma_lab(lab, adj.gamma)
    if adj.equalize_active:
        tone.equalize_lab(
            lab, adj.equalize, adj.equalize_strength, adj.clip_limit, int(adj.tile_grid)
        )
    if adj.sharpen_active:
        tone.sharpen_lab(lab, adj.sharpen_amount, adj.sharpen_radius, adj.sharpen_threshold)
    return lab_to_rgb(lab)


def adjust_keeping_dtype(rgb: np.ndarray, adj: Adjustments | None) -> np.ndarray:
    """:func:`apply_adjustments` for a finished photo: the result has ``rgb``'s dtype, and
    neutral (or no) settings return ``rgb`` itself without any conversion."""
    if adj is None or adj.is_neutral:
        return rgb
    return from_float01(apply_adjustments(rgb, adj), rgb.dtype)
