"""Validation during training: fixed crops, loss, PSNR and colourfulness, preview images."""

from __future__ import annotations

import numpy as np
import torch

from restorer.core.units import AB_SCALE, L_SCALE
from restorer.pipeline import metrics
from restorer.pipeline.color import lab_to_rgb, rgb_to_lab
from restorer.training.data import lab_tensors, read_rgb8

import cv2

PREVIEWS = 4


def centre_crop(image: np.ndarray, size: int) -> np.ndarray:
    side = min(image.shape[:2])
    top = (image.shape[0] - side) // 2
    left = (image.shape[1] - side) // 2
    return cv2.resize(image[top: top + side, left: left + side], (size, size), interpolation=cv2.INTER_AREA)


class ValidationSet:
    """Deterministic centre crops of the validation photos, decoded once."""

    def __init__(self, photos, size: int) -> None:
        crops = [centre_crop(img, size) for img in map(read_rgb8, photos) if img is not None]
        tensors = [lab_tensors(crop) for crop in crops]
        self.lum = torch.from_numpy(np.stack([t[0] for t in tensors])) if tensors else None
        self.ab = torch.from_numpy(np.stack([t[1] for t in tensors])) if tensors else None
        self.rgb = torch.from_numpy(np.stack([t[2] for t in tensors])) if tensors else None

    def __len__(self) -> int:
        return 0 if self.lum is None else len(self.lum)

    def _predict(self, objective, device, batch: int = 16):
        """(loss, predicted RGB (N, S, S, 3) float32) with the true L and predicted chroma."""
        objective.network.eval()
        losses, outputs = [], []
        with torch.no_grad():
            for start in range(0, len(self.lum), batch):
                part = slice(start, start + batch)
                lum, ab, rgb = (t[part].to(device) for t in (self.lum, self.ab, self.rgb))
                loss, pred_ab = objective(lum, ab, rgb, train=False)
                if pred_ab is None:  # RGB network: keep the true L, take its chroma
                    out = objective.network(lum).float().clamp(0, 1)
                    out = torch.nn.functional.interpolate(out, size=lum.shape[2:], mode="bilinear")
                    pred_ab = torch.stack([torch.from_numpy(rgb_to_lab(o)[..., 1:].transpose(2, 0, 1))
                                           for o in out.permute(0, 2, 3, 1).cpu().numpy()]) / AB_SCALE
                losses.append(float(loss) * lum.shape[0])
                outputs.append(self._to_rgb(lum.cpu(), pred_ab.float().cpu()))
        objective.network.train()
        return sum(losses) / len(self.lum), np.concatenate(outputs)

    @staticmethod
    def _to_rgb(lum, ab) -> np.ndarray:
        lab = torch.cat([lum * L_SCALE, ab * AB_SCALE], dim=1).permute(0, 2, 3, 1).numpy()
        return np.stack([lab_to_rgb(np.ascontiguousarray(item)) for item in lab])

    def evaluate(self, objective, device) -> dict:
        if self.lum is None:
            return {"loss": float("nan"), "psnr": float("nan"), "colorfulness_ratio": float("nan")}
        loss, pred = self._predict(objective, device)
        truth = self.rgb.permute(0, 2, 3, 1).numpy()
        psnr = float(np.mean([metrics.psnr(p, t) for p, t in zip(pred, truth)]))
        pred_c = np.mean([metrics.colorfulness(p) for p in pred])
        true_c = np.mean([metrics.colorfulness(t) for t in truth])
        return {"loss": loss, "psnr": psnr, "colorfulness_ratio": float(pred_c / max(true_c, 1e-6))}

    def previews(self, objective, device) -> list:
        """Up to four (grey, prediction, truth) uint8 RGB triplets for the wizard."""
        if self.lum is None:
            return []
        sub = ValidationSet.__new__(ValidationSet)
        sub.lum, sub.ab, sub.rgb = self.lum[:PREVIEWS], self.ab[:PREVIEWS], self.rgb[:PREVIEWS]
        _, pred = sub._predict(objective, device)
        grey = self._to_rgb(sub.lum, torch.zeros_like(sub.ab))
        truth = sub.rgb.permute(0, 2, 3, 1).numpy()
        to8 = lambda x: (np.clip(x, 0, 1) * 255 + 0.5).astype(np.uint8)  # noqa: E731
        return [(to8(g), to8(p), to8(t)) for g, p, t in zip(grey, pred, truth)]
