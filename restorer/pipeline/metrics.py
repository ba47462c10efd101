"""Colorization quality metrics on RGB images (float32 ``(H, W, 3)`` in [0, 1]).

Definitions follow the seed papers: PSNR/MSE/MAE on [0, 1] RGB, SSIM over RGB channels,
pixel accuracy = share of channel values within +-5 (of 255) of the truth (seed 000),
colourfulness = Hasler & Suesstrunk (2003) M on 8-bit RGB (and |ΔCF|, its per-photo absolute
difference from the truth's), and mean CIEDE2000.
"""

from __future__ import annotations

import numpy as np

from restorer.pipeline.color import rgb_to_lab


def mse(pred: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean((pred.astype(np.float64) - truth) ** 2))


def mae(pred: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean(np.abs(pred.astype(np.float64) - truth)))


def psnr(pred: np.ndarray, truth: np.ndarray) -> float:
    err = mse(pred, truth)
    return float("inf") if err == 0 else float(10 * np.log10(1.0 / err))


def ssim(pred: np.ndarray, truth: np.ndarray) -> float:
    from skimage.metrics import structural_similarity

    return float(structural_similarity(pred, truth, channel_axis=2, data_range=1.0))


def pixel_accuracy(pred: np.ndarray, truth: np.ndarray, tolerance: float = 5.0) -> float:
    diff = np.abs(np.rint(pred * 255.0) - np.rint(truth * 255.0))
    return float(np.mean(diff <= tolerance))


def colorfulness(rgb: np.ndarray) -> float:
    """Hasler-Suesstrunk colourfulness on the 0-255 scale: 0 for grey, ~30-60 for ordinary photos."""
    r, g, b = (rgb[..., i].astype(np.float64) * 255.0 for i in range(3))
    rg = r - g
    yb = 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def delta_e2000(pred: np.ndarray, truth: np.ndarray) -> float:
    from skimage.color import deltaE_ciede2000

    return float(np.mean(deltaE_ciede2000(rgb_to_lab(truth), rgb_to_lab(pred))))


def all_metrics(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Every metric of one prediction, plus the colourfulness of prediction and truth."""
    colourfulness_pred, colourfulness_truth = colorfulness(pred), colorfulness(truth)
    return {
        "psnr": psnr(pred, truth),
        "ssim": ssim(pred, truth),
        "mse": mse(pred, truth),
        "mae": mae(pred, truth),
        "acc5": pixel_accuracy(pred, truth),
        "colorfulness": colourfulness_pred,
        "colorfulness_truth": colourfulness_truth,
        # two-sided: too much colour is as wrong as too little (averaged per photo, unlike the ratio)
        "delta_cf": abs(colourfulness_pred - colourfulness_truth),
        "delta_e2000": delta_e2000(pred, truth),
    }
