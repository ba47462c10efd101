"""Post-processing of a colourised photo: tone, colour, equalization, sharpening.

Plain functions on float32 RGB ``(H, W, 3)`` in [0, 1] (uint8/uint16 input is converted with
:func:`restorer.pipeline.color.to_float01`); each returns a new float32 array and never
modifies its input. Tone steps work on the Lab luminance L only, colour steps on the Lab
chroma a, b only. Every parameter has a neutral value at which the function returns a copy
of its input; each docstring gives the range and the neutral value.

:class:`Adjustments` gathers every setting (JSON round trip via ``to_dict``/``from_dict``) and
:func:`apply_adjustments` applies them in a fixed order: white balance, colour transfer,
saturation/vibrance, contrast/brightness/gamma, equalization, sharpening.
"""

from restorer.pipeline.postprocess.adjustments import Adjustments, adjust_keeping_dtype, apply_adjustments
from restorer.pipeline.postprocess.chroma import (
    adjust_saturation,
    adjust_temperature,
    adjust_vibrance,
    color_transfer,
    reference_ab_stats,
)
from restorer.pipeline.postprocess.tone import (
    adjust_contrast_brightness,
    adjust_gamma,
    equalize_histogram,
    sharpen,
)

__all__ = [
    "Adjustments",
    "adjust_keeping_dtype",
    "adjust_contrast_brightness",
    "adjust_gamma",
    "adjust_saturation",
    "adjust_temperature",
    "adjust_vibrance",
    "apply_adjustments",
    "color_transfer",
    "equalize_histogram",
    "reference_ab_stats",
    "sharpen",
]
