"""Choosing a trained model's colour read-out (temperature, chroma gain) and working size on
held-out photos.

The read-out trades accuracy for vividness. We keep the most colourful setting that is still at
least as accurate (PSNR) as leaving the photo grey: users get as much colour as the model can
justify, never colour that is wrong on average. It is stored in the model card. Never tune this
on evaluation photos.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from restorer.core.atomic import copy_atomic, write_text_atomic
from restorer.core.errors import RestorerError
from restorer.core.progress import Progress
from restorer.models.weights import CARD_SUFFIX
from restorer.pipeline.colorize import ColorizeSettings
from restorer.training.evaluate import load_eval_photos, score_colorizer, score_photos, shrunk_photo


@dataclass
class Calibration:
    temperature: float
    render_size: int
    chroma_gain: float = 1.0
    blend: float = 1.0
    flip_average: bool | None = None
    render_scales: tuple[float, ...] | None = None
    table: list[dict] = field(default_factory=list)
    hint_blend: float | None = None  # the blend around colour hints (None: not calibrated)
    hint_table: list[dict] = field(default_factory=list)


def _photos_from(paths: list[Path], max_side: int, limit: int):
    files = [p for p in paths if p.is_file()]
    random.Random(0).shuffle(files)  # a fixed, mixed sample: sorted lists cluster one data set first
    folders = [p for p in paths if p.is_dir()]
    photos = load_eval_photos(folders, max_side, limit) if folders else []
    for path in files[:limit]:
        image = shrunk_photo(path, max_side)
        if image is not None:
            photos.append((str(path), image))
    return photos


def calibrate(model_name: str, photos: list[Path], temperatures=(1.0, 1.3, 1.6), render_sizes=(160,),
              gains=(1.0, 1.2, 1.4), max_side: int = 512, limit: int = 150, device: str = "cpu",
              blends=None, min_psnr_gain: float = 0.0, against: tuple[str, ...] = (), margin: float = 0.0,
              flip_average: bool | None = None, render_scales: tuple[float, ...] | None = None,
              prefer: str = "colour", min_colourfulness: float = 0.0, hint_blends: tuple[float, ...] = (),
              hint_count: int = 10):
    """Generator: yields Progress per setting; returns the chosen Calibration.

    ``blends`` (networks with a regression head; default 0, 0.25, ..., 1) mixes the two heads.
    The choice is the most colourful setting at least ``min_psnr_gain`` dB more accurate than
    grey and, when ``against`` names other models, at least as good as the best of them on
    PSNR and on SSIM over the same photos (PSNR by ``margin`` dB more, against sampling noise);
    when no setting is, the most accurate one. With ``prefer="accuracy"`` the choice is instead
    the most accurate (PSNR) setting that meets those bars: a faithful character rather than a
    vivid one; ``min_colourfulness`` is one more bar (a colourfulness ratio at least that high).
    ``flip_average`` switches the flagship's mirrored-average read-out on or off and
    ``render_scales`` sets the multi-scale read-out, for all settings (None: as the card has them).
    With ``hint_blends`` (networks that take colour hints), the chosen read-out is then scored with
    ``hint_count`` true-colour hints per photo at each of those blends, and the most accurate kept.
    """
    from restorer.models.runtime import load_colorizer
    from restorer.pipeline.color import grey_rgb

    if prefer not in ("colour", "accuracy"):
        raise RestorerError(f"Calibration can prefer 'colour' or 'accuracy', not {prefer!r}.")
    colorizer = load_colorizer(model_name, device)
    network = colorizer.network
    if "temperature" not in colorizer.spec.readout_settings:
        raise RestorerError(f"{model_name} has no colour read-out temperature to calibrate.")
    if getattr(network, "regress", None) is None:
        blends = (1.0,)
    if flip_average is not None:
        network.flip_average = flip_average
    images = _photos_from(photos, max_side, limit)
    if not images:
        raise RestorerError("No readable held-out photos to calibrate on.")
    grey_psnr = score_photos(grey_rgb, images)["psnr"]
    yield Progress(0, 1, "calibrate", f"{len(images)} held-out photos, grey PSNR {grey_psnr:.2f} dB")
    floor = yield from _accuracy_floor(images, grey_psnr, against, device, min_psnr_gain, margin, min_colourfulness)
    settings = [(t, s, g, b) for t in temperatures for s in render_sizes for g in gains
                for b in blends or (0.0, 0.25, 0.5, 0.75, 1.0)]
    table = yield from _score_settings(colorizer, images, settings, grey_psnr, device, render_scales)
    best = _choose(table, floor, prefer)
    calibration = Calibration(best["temperature"], best["render_size"], best["chroma_gain"], best["blend"],
                              flip_average, render_scales, table)
    if hint_blends and colorizer.spec.accepts_hints and getattr(network, "regress", None) is not None:
        settings = ColorizeSettings(model_name, device, best["render_size"], render_scales)
        yield from _calibrate_hint_blend(colorizer, images, settings, hint_blends, hint_count, calibration)
    return calibration


def _score_settings(colorizer, images, settings, grey_psnr: float, device: str, render_scales):
    """Generator: one table row per (temperature, render size, gain, blend) in ``settings``."""
    network, table = colorizer.network, []
    for index, (temperature, size, gain, blend) in enumerate(settings):
        network.temperature, network.chroma_gain, network.blend = temperature, gain, blend
        row = score_colorizer(colorizer, images, ColorizeSettings(colorizer.name, device, size, render_scales))
        row["psnr_gain"] = row["psnr"] - grey_psnr
        table.append({"temperature": temperature, "render_size": size, "chroma_gain": gain, "blend": blend,
                      **{k: round(v, 4) for k, v in row.items()}})
        yield Progress(index + 1, len(settings), "calibrate", f"T={temperature} size={size} gain={gain} "
                       f"blend={blend}: {_summary(row)}")
    return table


def _calibrate_hint_blend(colorizer, images, settings: ColorizeSettings, hint_blends, hint_count: int,
                          calibration: Calibration):
    """Generator: fills ``calibration.hint_blend`` with the most accurate (PSNR) of ``hint_blends``
    on ``images`` given ``hint_count`` true-colour hints each, under the read-out ``calibration`` chose."""
    from restorer.training.evaluate import hinted_prediction

    network = colorizer.network
    network.temperature, network.chroma_gain = calibration.temperature, calibration.chroma_gain
    network.blend = calibration.blend
    for index, blend in enumerate(hint_blends):
        network.hint_blend = blend
        row = score_photos(lambda image: hinted_prediction(colorizer, image, settings, hint_count), images)
        calibration.hint_table.append({"hint_blend": blend, "hints": hint_count,
                                       **{k: round(v, 4) for k, v in row.items()}})
        yield Progress(index + 1, len(hint_blends), "calibrate", f"{hint_count} hints, blend {blend}: "
                       f"PSNR {row['psnr']:.2f} dB, SSIM {row['ssim']:.4f}")
    calibration.hint_blend = max(calibration.hint_table, key=lambda r: r["psnr"])["hint_blend"]


def _choose(table: list[dict], floor: dict, prefer: str) -> dict:
    accurate = [r for r in table if all(r[key] >= floor.get(key, 0.0) for key in ("psnr_gain", "ssim",
                                                                                 "colorfulness_ratio"))]
    if accurate and prefer == "colour":
        return max(accurate, key=lambda r: r["colorfulness_ratio"])
    return max(accurate or table, key=lambda r: r["psnr"])


def _accuracy_floor(images, grey_psnr: float, against, device: str, min_psnr_gain: float, margin: float,
                    min_colourfulness: float = 0.0):
    """Generator: the PSNR gain, SSIM (the best of the ``against`` models) and colourfulness a setting
    must reach."""
    from restorer.models.runtime import load_colorizer

    floor = {"psnr_gain": min_psnr_gain, "ssim": 0.0, "colorfulness_ratio": min_colourfulness}
    for name in against:
        row = score_colorizer(load_colorizer(name, device), images)
        row["psnr_gain"] = row["psnr"] - grey_psnr
        floor.update(psnr_gain=max(floor["psnr_gain"], row["psnr_gain"] + margin), ssim=max(floor["ssim"], row["ssim"]))
        yield Progress(0, 1, "calibrate", f"reference {name}: {_summary(row)}")
    return floor


def _summary(row: dict) -> str:
    return (f"PSNR {row['psnr_gain']:+.2f} dB vs grey, SSIM {row['ssim']:.4f}, "
            f"colourfulness x{row['colorfulness_ratio']:.2f}")


def store_calibration(model_name: str, calibration: Calibration, photos_desc: str, save_as: str | None = None,
                      title: str | None = None) -> Path:
    """Write the chosen read-out and render size into the model's card (weights unchanged).

    With ``save_as``, the weights are copied to a new model of that name beside the original,
    which keeps its own read-out: one network, two characters (e.g. faithful and bold colour).
    """
    from restorer.models.zoo import find_model

    entry = find_model(model_name)
    card = entry.card
    card.hparams = {**card.hparams, "temperature": calibration.temperature, "chroma_gain": calibration.chroma_gain}
    if calibration.blend != 1.0 or "blend" in card.hparams:
        card.hparams["blend"] = calibration.blend
    if calibration.flip_average is not None:
        card.hparams["flip_average"] = calibration.flip_average
    if calibration.hint_blend is not None:
        card.hparams["hint_blend"] = calibration.hint_blend
    card.render_size = calibration.render_size
    if calibration.render_scales is not None:
        card.render_scales = list(calibration.render_scales)
    card.training = {**card.training, "calibration": {"photos": photos_desc, "table": calibration.table,
                                                      **({"hint_table": calibration.hint_table}
                                                         if calibration.hint_table else {})}}
    weights = entry.weights
    if save_as and save_as != model_name:
        weights = copy_atomic(entry.weights, entry.weights.with_name(f"{save_as}{entry.weights.suffix}"))
        card.name = save_as
        card.title = title or f"{card.title} ({save_as})"
    elif title:
        card.title = title
    path = weights.with_suffix(CARD_SUFFIX)
    write_text_atomic(path, card.to_json())
    return path
