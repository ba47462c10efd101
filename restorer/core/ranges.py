"""The allowed range of every number a user can set, in one table (and the checks of the two
other values users type that need one: training split fractions and the output suffix).

The command line turns each range into an argparse ``type=`` (``restorer.cli.arguments``) and
shows it in ``--help``; the GUI sets its spin boxes from it; the code that uses a number
(``TrainConfig``, ``Adjustments``) checks it again, so a script or a saved settings file is held
to the same limits as a typed value. An out-of-range value raises :class:`SettingError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from restorer.core.errors import SettingError


def _number_text(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:g}"


@dataclass(frozen=True)
class NumberRange:
    """``low`` to ``high`` (both allowed unless ``low_open``), whole numbers only if ``integer``."""

    low: float = -math.inf
    high: float = math.inf
    integer: bool = False
    low_open: bool = False  # the low end itself is not allowed (a gamma or a learning rate of 0)
    unit: str = ""

    def describe(self) -> str:
        """The range in words, e.g. 'a whole number from 1 to 100' or 'above 0, up to 10'."""
        low, high = _number_text(self.low), _number_text(self.high)
        if math.isinf(self.low) and math.isinf(self.high):
            words = "any finite number"
        elif math.isinf(self.high):
            words = f"above {low}" if self.low_open else f"at least {low}"
        elif self.low_open:
            words = f"above {low}, up to {high}"
        else:
            words = f"from {low} to {high}"
        words = f"{words} {self.unit}" if self.unit else words
        return f"a whole number {words}" if self.integer else words

    def problem(self, value) -> str | None:
        """Why ``value`` (a number or its text) is not in this range, or None when it is."""
        number = self._as_number(value)
        if number is None:
            return f"must be {self.describe()}, not {value!r}"
        below = number < self.low or (self.low_open and number == self.low)
        if below or number > self.high:
            return f"must be {self.describe()}, not {_number_text(number)}"
        return None

    def check(self, name: str, value) -> int | float:
        """``value`` as an int or float of this range; :class:`SettingError` naming ``name`` otherwise."""
        reason = self.problem(value)
        if reason is not None:
            raise SettingError(f"{name} {reason}")
        number = self._as_number(value)
        return int(number) if self.integer else number

    def _as_number(self, value) -> float | None:
        """``value`` as a finite float (integral when ``integer``), else None."""
        if isinstance(value, bool):
            return None
        try:
            number = float(value.strip() if isinstance(value, str) else value)
        except (TypeError, ValueError, OverflowError):
            return None
        if not math.isfinite(number) or (self.integer and not number.is_integer()):
            return None
        return number


def split_problem(fractions) -> str | None:
    """Why ``fractions`` are not training/validation/test fractions (three numbers from 0 to 1
    adding up to 1, training above 0), or None when they are."""
    fractions = tuple(fractions)
    if len(fractions) != 3:
        return f"needs 3 fractions (training, validation, test), not {len(fractions)}"
    reasons = [SPLIT_FRACTION.problem(value) for value in fractions]
    if any(reasons):
        return f"fractions {next(reason for reason in reasons if reason)}"
    numbers = [float(value) for value in fractions]
    if numbers[0] <= 0:
        return "needs a training fraction above 0"
    if abs(sum(numbers) - 1.0) > 1e-6:
        return f"fractions must add up to 1, not {sum(numbers):g}"
    return None


def check_split(fractions) -> tuple[float, float, float]:
    """``fractions`` as three floats; :class:`SettingError` saying why they are not a split."""
    fractions = tuple(fractions)
    reason = split_problem(fractions)
    if reason is not None:
        raise SettingError(f"split {reason}")
    return tuple(float(value) for value in fractions)


def name_part_problem(text: str) -> str | None:
    """Why ``text`` cannot be added to a file name (an output suffix), or None: a path separator
    would put the output in another folder (``--suffix /../x``), NUL is never allowed."""
    if any(bad in text for bad in ("/", "\\", "\0")):
        return f"may not contain '/', '\\' or NUL characters (it is added to file names), not {text!r}"
    return None


# Colorizing ---------------------------------------------------------------------------------
RENDER_SIZE = NumberRange(32, 4096, integer=True, unit="px")  # long side the network sees
QUALITY = NumberRange(1, 100, integer=True)  # JPEG / WebP
GPUS_PER_WORKER = NumberRange(0, 64)  # a Ray cluster worker's share of GPUs (0: a CPU worker)

# Colour hints (restorer.pipeline.hints): where, how big, which colour
HINT_POSITION = NumberRange(0, 1)  # fraction of the photo's width or height
HINT_RADIUS = NumberRange(0, 0.25)  # half the hinted square's side, as a fraction of the long side
LAB_CHROMA = NumberRange(-128, 127)  # Lab a or b
LAB_LIGHTNESS = NumberRange(0, 100)

# Post-processing (restorer.pipeline.postprocess.Adjustments); 1 or 0 is neutral
CONTRAST = NumberRange(0, 5)
BRIGHTNESS = NumberRange(-1, 1)
GAMMA = NumberRange(0, 10, low_open=True)
EQUALIZE_STRENGTH = NumberRange(0, 1)
SATURATION = NumberRange(0, 5)
VIBRANCE = NumberRange(-1, 1)
SHARPEN = NumberRange(0, 5)
TEMPERATURE = NumberRange(-1, 1)  # white balance: cool to warm
TINT = NumberRange(-1, 1)  # green to magenta
REFERENCE_STRENGTH = NumberRange(0, 1)
REPAIR_SENSITIVITY = NumberRange(0, 1)  # damage repair: how readily a mark counts as damage
REPAIR_STRENGTH = NumberRange(0, 1)  # share of the inpainted value in a damaged pixel
REPAIR_GROW = NumberRange(0, 64, integer=True, unit="px")  # widening of the damage mask

# Training (restorer.training.config.TrainConfig)
EPOCHS = NumberRange(1, 100_000, integer=True)
EPOCH_SIZE = NumberRange(1, 100_000_000, integer=True)
CROP_SIZE = NumberRange(32, 1024, integer=True, unit="px")  # below 32 px the networks' 1/8 maps vanish
BATCH = NumberRange(1, 1024, integer=True)
LEARNING_RATE = NumberRange(1e-6, 1)
PATIENCE = NumberRange(1, 100_000, integer=True)
MINUTES = NumberRange(0, 1_000_000, low_open=True, unit="min")
WORKERS = NumberRange(0, 64, integer=True)
SEED = NumberRange(0, 2**32 - 1, integer=True)
REBALANCE = NumberRange(0, 1)
SPLIT_FRACTION = NumberRange(0, 1)
SAMPLE_WEIGHT = NumberRange(0, 1000)
CACHE_CROPS = NumberRange(0, 100_000_000, integer=True)  # 0: no feature cache (an ordinary training)
ENCODER_LR_SCALE = NumberRange(0, 10)
COLOURFULNESS_RATIO = NumberRange(0, 10)  # calibrate: colourfulness against the photos'
HINT_SHARE = NumberRange(0, 1)  # train: share of crops that get random colour hints
TRAIN_HINTS = NumberRange(1, 100, integer=True)  # train: most hints one crop gets
DETECTOR_BASE = NumberRange(2, 128, integer=True)  # damage detector: channels of its first level
DETECTOR_DEPTH = NumberRange(2, 6, integer=True)  # ... and its resolution levels
THREADS = NumberRange(1, 256, integer=True)  # torch CPU threads

# Evaluation and calibration
EVAL_SIZE = NumberRange(32, 8192, integer=True, unit="px")
PHOTO_LIMIT = NumberRange(1, 10_000_000, integer=True)
HINT_COUNT = NumberRange(0, 1000, integer=True)  # evaluate --hints: colour hints drawn from the truth
READOUT_TEMPERATURE = NumberRange(0, 10, low_open=True)
CHROMA_GAIN = NumberRange(0, 10, low_open=True)
BLEND = NumberRange(0, 1)
RENDER_SCALE = NumberRange(0.1, 4)
PSNR_MARGIN = NumberRange(-100, 100, unit="dB")
