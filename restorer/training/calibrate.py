"""Choosing a trained model's colour read-out temperature and working size on held-out photos.

The annealed-mean temperature trades safety for vividness: a high T averages the colour
distribution (safe, greyish), a low T takes its mode (vivid, occasionally wrong). We keep the
setting with the best PSNR among those whose colourfulness reaches ``min_colorfulness`` of the
truth's, and store it in the model card. Never tune this on evaluation photos.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from restorer.core.errors import RestorerError
from restorer.core.progress import Progress
from restorer.models.weights import CARD_SUFFIX, write_text_atomic
from restorer.training.evaluate import load_eval_photos, score_photos


@dataclass
class Calibration:
    temperature: float
    render_size: int
    table: list[dict] = field(default_factory=list)


def _photos_from(paths: list[Path], max_side: int, limit: int):
    files = [p for p in paths if p.is_file()]
    random.Random(0).shuffle(files)  # a fixed, mixed sample: sorted lists cluster one data set first
    folders = [p for p in paths if p.is_dir()]
    photos = load_eval_photos(folders, max_side, limit) if folders else []
    if files:
        import cv2

        from restorer.training.data import read_rgb8

        for path in files[:limit]:
            image = read_rgb8(path)
            if image is not None:
                scale = min(1.0, max_side / max(image.shape[:2]))
                size = (round(image.shape[1] * scale), round(image.shape[0] * scale))
                photos.append((str(path), cv2.resize(image, size, interpolation=cv2.INTER_AREA)))
    return photos


def calibrate(model_name: str, photos: list[Path], temperatures=(0.25, 0.32, 0.38, 0.45, 0.55, 0.7),
              render_sizes=(128, 192, 256), min_colorfulness: float = 0.8, max_side: int = 512,
              limit: int = 150, device: str = "cpu"):
    """Generator: yields Progress per setting; returns the chosen Calibration."""
    import numpy as np

    from restorer.models.runtime import Colorizer
    from restorer.pipeline.inference import ColorizeOptions, colorize_array

    colorizer = Colorizer.load(model_name, device)
    if not hasattr(colorizer.network, "temperature"):
        raise RestorerError(f"{model_name} has no colour read-out temperature to calibrate.")
    images = _photos_from(photos, max_side, limit)
    settings = [(t, s) for t in temperatures for s in render_sizes]
    table = []
    for index, (temperature, size) in enumerate(settings):
        colorizer.network.temperature = temperature
        options = ColorizeOptions(render_size=size)
        row = score_photos(lambda im: colorize_array(colorizer, im, options).astype(np.float32) / 255.0, images)
        table.append({"temperature": temperature, "render_size": size, **{k: round(v, 4) for k, v in row.items()}})
        yield Progress(index + 1, len(settings), "calibrate", f"T={temperature} size={size}: "
                       f"PSNR {row['psnr']:.2f}, colourfulness x{row['colorfulness_ratio']:.2f}")
    vivid = [r for r in table if r["colorfulness_ratio"] >= min_colorfulness]
    best = max(vivid, key=lambda r: r["psnr"]) if vivid else max(table, key=lambda r: r["colorfulness_ratio"])
    return Calibration(best["temperature"], best["render_size"], table)


def store_calibration(model_name: str, calibration: Calibration, photos_desc: str) -> Path:
    """Write the chosen temperature and render size into the model's card (weights unchanged)."""
    from restorer.models.zoo import find_model

    entry = find_model(model_name)
    card = entry.card
    card.hparams = {**card.hparams, "temperature": calibration.temperature}
    card.render_size = calibration.render_size
    card.training = {**card.training, "calibration": {"photos": photos_desc, "table": calibration.table}}
    path = entry.weights.with_suffix(CARD_SUFFIX)
    write_text_atomic(path, card.to_json())
    return path
