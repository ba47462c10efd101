"""Test images made by the tests themselves."""

from __future__ import annotations

import numpy as np


def synthetic_photo(height: int = 96, width: int = 128, seed: int = 0) -> np.ndarray:
    """A colourful uint8 RGB scene: sky gradient, green ground, a red disc, some noise."""
    rng = np.random.default_rng(seed)
    image = np.zeros((height, width, 3), np.float32)
    rows = np.linspace(0, 1, height)[:, None]
    horizon = height // 2
    image[:horizon] = np.stack([0.3 + 0.2 * rows[:horizon], 0.5 + 0.2 * rows[:horizon],
                                np.full_like(rows[:horizon], 0.9)], axis=-1)
    image[horizon:] = (0.2, 0.55, 0.2)
    yy, xx = np.mgrid[:height, :width]
    disc = (yy - height * 0.65) ** 2 + (xx - width * 0.3) ** 2 < (min(height, width) * 0.15) ** 2
    image[disc] = (0.85, 0.15, 0.1)
    image += rng.normal(0, 0.02, image.shape)
    return (np.clip(image, 0, 1) * 255).astype(np.uint8)


class FakeColorizer:
    """A stand-in network: a constant warm chroma; on a GPU device it runs out of memory above
    ``fits`` pixels (and on the CPU above ``cpu_fits``, when set). ``made`` collects its CPU twin."""

    name = "fake"
    default_render_size = 64
    default_render_scales = (1.0,)

    def __init__(self, device: str = "cpu", fits: int = 0, made: dict | None = None,
                 cpu_fits: int | None = None) -> None:
        from types import SimpleNamespace

        self.spec = SimpleNamespace(output_kind="ab", accepts_hints=False)
        self.device = device
        self.fits = fits
        self.cpu_fits = cpu_fits
        self.made = made if made is not None else {}
        self.calls: list[tuple[int, int]] = []

    def on_cpu(self):
        if self.device == "cpu":
            return self
        self.made["cpu"] = FakeColorizer("cpu", made=self.made, cpu_fits=self.cpu_fits)
        return self.made["cpu"]

    def run(self, lum, hints=None):
        self.calls.append(lum.shape[1:])
        limit = self.cpu_fits if self.device == "cpu" else self.fits
        if limit is not None and lum.shape[1] * lum.shape[2] > limit:
            raise RuntimeError(f"{self.device.upper()} out of memory. Tried to allocate 2.00 GiB")
        out = np.zeros(lum.shape + (2,), np.float32)
        out[..., 0], out[..., 1] = 10.0, 30.0
        return out


def save_tiny_detector(folder):
    """A tiny random-weight damage detector (``damage-unet``) written into ``folder`` with its card."""
    import torch

    from restorer.models.damage_unet import DamageUNet
    from restorer.models.weights import ModelCard, save_model

    torch.manual_seed(0)
    save_model(DamageUNet(base=4, depth=2).eval(),
               ModelCard(name="damage-unet", arch="damage-unet", hparams={"base": 4, "depth": 2}), folder)
    return folder
