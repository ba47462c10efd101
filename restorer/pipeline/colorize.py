"""The one colorize path: predict a photo's chroma once, render it at any size, adjust, save.

Every caller goes through here: ``restorer colorize`` (:mod:`restorer.pipeline.batch`), the
desktop app (its runner, previews and exports) and the evaluator. So a photo colorized in the
app and on the command line with the same model and settings is the same file, byte for byte.

    settings = ColorizeSettings(render_size=256, adjustments=Adjustments(saturation=1.2))
    loaded = load_photo(path, settings.repair)                    # decoded (and repaired, if asked)
    result = predict_chroma(colorizer, loaded.pixels, settings)  # the network, once
    preview = render(result, shrink(loaded.pixels, 2048))         # any size, as often as wanted
    written = save_result(result, loaded, settings.adjustments, OutputOptions(folder=out))
    # or all of it at once:
    written = colorize_file(colorizer, path, settings, OutputOptions(folder=out))

A :class:`ChromaResult` is small (the chroma at the network's working size), so the app keeps one
per photo and renders the full-size photo only when it saves. Running out of memory is handled in
one place (:func:`predict_chroma`): the photo is tried again at half the render size, then on the
CPU, and the result's ``notes`` say so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from restorer.core.errors import RestorerError
from restorer.models.runtime import Colorizer, free_accelerator_memory, is_out_of_memory
from restorer.pipeline.color import from_float01, luminance, merge_luminance_chroma
from restorer.pipeline.inference import MIN_RENDER, ColorHint, predict_ab, predict_raw_rgb
from restorer.pipeline.io import LoadedImage, load_image
from restorer.pipeline.io import OutputOptions, output_path, save_image
from restorer.pipeline.postprocess import Adjustments, adjust_keeping_dtype
from restorer.pipeline.repair import repair_loaded

__all__ = ["ChromaResult", "ColorHint", "ColorizeSettings", "OutputOptions", "colorize_array",
           "colorize_file", "finish", "load_photo", "predict_chroma", "render", "save_result"]


@dataclass(frozen=True)
class ColorizeSettings:
    """Everything that decides how a photo is colorized; a job takes a snapshot of it.

    ``model``/``device`` say which network loads (None: the default model); the rest say how it
    runs and what is done to its result.
    """

    model: str | None = None
    device: str = "auto"
    render_size: int | None = None  # long side the network sees; None: the model's own
    render_scales: tuple[float, ...] | None = None  # None: the model's own (usually just 1.0)
    raw_rgb: bool = False  # RGB-output networks: keep their own RGB, not the photo's L + their chroma
    hints: tuple[ColorHint, ...] = ()
    adjustments: Adjustments | None = None
    repair: object = None  # restorer.pipeline.repair.RepairPlan: damage repaired on the grey first (load_photo)


@dataclass
class ChromaResult:
    """A network's answer for one photo, small enough to keep: its chroma at the working size."""

    ab: np.ndarray | None  # (h, w, 2) float32 Lab a, b; None when ``rgb`` holds a raw RGB answer
    full_size: tuple[int, int]  # (width, height) of the photo it was predicted for
    model: str
    device: str
    render_size: int  # the working size actually used (half the asked one after running out of memory)
    notes: list[str] = field(default_factory=list)  # e.g. the memory fallback taken
    rgb: np.ndarray | None = None  # (h, w, 3) float32 in [0, 1]: an RGB network's own colours (raw_rgb)
    repair: object = None  # the RepairPlan its photo was repaired with: load_photo(path, result.repair) again


def load_photo(path: str | os.PathLike, repair=None) -> LoadedImage:
    """Step 1: decode ``path``; with a ``repair`` plan (:class:`~restorer.pipeline.repair.RepairPlan`),
    its scratches, dust, creases and tears are repaired on the grey before anything else sees it.
    The same plan gives the same pixels every time, so a result's photo can be read again to save it."""
    return repair_loaded(load_image(path), repair)


def predict_chroma(colorizer: Colorizer, image: np.ndarray, settings: ColorizeSettings = ColorizeSettings(),
                   lum: np.ndarray | None = None) -> ChromaResult:
    """Run the network on ``image`` (grey ``(H, W)`` or RGB ``(H, W, 3)``, any dtype), the photo as
    :func:`load_photo` gave it (repaired when ``settings.repair`` asks for it).

    ``lum`` is the image's full-size L when the caller already has it. Out of memory, the photo
    is tried again at half the render size, then on the CPU at the asked size. Colour hints in
    ``settings`` go to the network, and what it missed under them is spread along the photo's
    edges (:mod:`restorer.pipeline.hint_spread`).
    """
    lum = luminance(image) if lum is None else lum
    asked = settings.render_size or colorizer.default_render_size
    raw = settings.raw_rgb and colorizer.spec.output_kind == "rgb"
    scales = settings.render_scales or colorizer.default_render_scales

    def attempt(net: Colorizer, size: int) -> np.ndarray:
        return predict_raw_rgb(net, lum, size) if raw else predict_ab(net, lum, size, scales, settings.hints)

    notes: list[str] = []
    output, net, size = _with_memory_fallback(colorizer, asked, attempt, notes)
    full_size = (lum.shape[1], lum.shape[0])
    return ChromaResult(None if raw else output, full_size, colorizer.name, str(net.device), size, notes,
                        output if raw else None, settings.repair)


def _with_memory_fallback(colorizer: Colorizer, size: int, attempt, notes: list[str]):
    """(output, network used, size used): ``attempt`` at ``size``, at half of it, then on the CPU."""
    half = max(MIN_RENDER, size // 2)
    for net, tried in ((colorizer, size), (colorizer, half)):
        try:
            output = attempt(net, tried)
        except Exception as err:  # noqa: BLE001 - only running out of memory is handled here
            if not is_out_of_memory(err):
                raise
            free_accelerator_memory()
            continue
        if tried != size:
            notes.append(f"out of memory on {net.device}: colorized at half the render size ({half} px)")
        return output, net, tried
    if str(colorizer.device).startswith("cpu"):
        raise RestorerError(f"not enough memory for this photo even at half the render size ({half} px); "
                            "try a smaller render size")
    notes.append(f"out of memory on {colorizer.device} even at half the render size: colorized on the CPU "
                 "(slower); choose a smaller render size to stay on the GPU")
    cpu = colorizer.on_cpu()
    return attempt(cpu, size), cpu, size


def render(result: ChromaResult, image: np.ndarray, lum: np.ndarray | None = None) -> np.ndarray:
    """The colorized photo at ``image``'s size and dtype (uint8/uint16 kept, float gives float32).

    ``image`` is the photo the result was predicted for, at full size or shrunk (a preview): its
    own luminance carries the detail, the result the colour. ``lum`` is its L when at hand.
    """
    height, width = image.shape[:2]
    dtype = image.dtype if image.dtype in (np.uint8, np.uint16) else np.float32
    if result.rgb is not None:
        return from_float01(cv2.resize(result.rgb, (width, height), interpolation=cv2.INTER_CUBIC), dtype)
    lum = luminance(image) if lum is None else lum
    ab = result.ab
    if ab.shape[0] > height or ab.shape[1] > width:  # a preview smaller than the working size
        ab = cv2.resize(ab, (width, height), interpolation=cv2.INTER_AREA)
    return merge_luminance_chroma(lum, ab, dtype)


def finish(result: ChromaResult, image: np.ndarray, adjustments: Adjustments | None,
           lum: np.ndarray | None = None) -> np.ndarray:
    """:func:`render` with the adjustments applied: the photo as it is saved (or previewed adjusted)."""
    return adjust_keeping_dtype(render(result, image, lum), adjustments)


def colorize_array(colorizer: Colorizer, image: np.ndarray, settings: ColorizeSettings = ColorizeSettings()
                   ) -> np.ndarray:
    """Colorize and adjust decoded pixels at full size; RGB of ``image``'s dtype (float gives float32).

    Deterministic: the same input, model and settings give the same pixels.
    """
    lum = luminance(image)
    return finish(predict_chroma(colorizer, image, settings, lum), image, settings.adjustments, lum)


def save_result(result: ChromaResult, loaded: LoadedImage, adjustments: Adjustments | None,
                output: OutputOptions, target: str | os.PathLike | None = None,
                lum: np.ndarray | None = None) -> Path:
    """Render ``loaded`` at full size with ``result``'s colour and ``adjustments`` and write it
    atomically with the original's metadata; returns the path written.

    ``target`` names the file (e.g. "Save as"); else :func:`~restorer.pipeline.io.output_path`
    chooses it. An existing file is replaced only when ``output.if_exists`` is "overwrite", and
    the original never is. ``lum`` is the photo's L when at hand.
    """
    rgb = finish(result, loaded.pixels, adjustments, lum)
    path = Path(target) if target is not None else output_path(loaded.path, output)
    return save_image(rgb, path, alpha=loaded.alpha, like=loaded, quality=output.quality,
                      overwrite=output.if_exists == "overwrite")


def colorize_file(colorizer: Colorizer, path: str | os.PathLike, settings: ColorizeSettings = ColorizeSettings(),
                  output: OutputOptions = OutputOptions()) -> Path:
    """Load, colorize, adjust and save one photo; returns the path written (errors are raised)."""
    loaded = load_photo(path, settings.repair)
    lum = luminance(loaded.pixels)
    result = predict_chroma(colorizer, loaded.pixels, settings, lum)
    return save_result(result, loaded, settings.adjustments, output, lum=lum)
