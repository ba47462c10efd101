"""Scores for the repair step: how well a damage mask is found, how well inpainting fills it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class MaskCounts:
    """Pixel counts summed over photos (micro-averaged scores: big photos weigh by their pixels)."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    def add(self, predicted: np.ndarray, truth: np.ndarray) -> None:
        predicted, truth = predicted.astype(bool), truth.astype(bool)
        self.true_pos += int(np.count_nonzero(predicted & truth))
        self.false_pos += int(np.count_nonzero(predicted & ~truth))
        self.false_neg += int(np.count_nonzero(~predicted & truth))

    def scores(self) -> dict[str, float]:
        """IoU, F1 (Dice), precision and recall of the damage class; 1.0 where nothing was there to find."""
        tp, fp, fn = self.true_pos, self.false_pos, self.false_neg
        return {
            "iou": tp / (tp + fp + fn) if tp + fp + fn else 1.0,
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
        }


def masked_psnr(pred: np.ndarray, truth: np.ndarray, mask: np.ndarray) -> float:
    """PSNR (full scale 1) over the pixels of ``mask`` only; inf when they match exactly."""
    diff = pred.astype(np.float64)[mask] - truth.astype(np.float64)[mask]
    error = float(np.mean(diff**2)) if diff.size else 0.0
    return float("inf") if error == 0 else float(10 * np.log10(1.0 / error))


def masked_ssim(pred: np.ndarray, truth: np.ndarray, mask: np.ndarray) -> float:
    """Mean of the local SSIM map (7 x 7 windows) over the pixels of ``mask``: the structure of
    what was filled in, judged with its surroundings."""
    from skimage.metrics import structural_similarity

    _, local = structural_similarity(pred.astype(np.float64), truth.astype(np.float64), data_range=1.0,
                                     full=True)
    return float(local[mask].mean()) if mask.any() else 1.0
