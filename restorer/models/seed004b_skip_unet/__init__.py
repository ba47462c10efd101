"""Seed 004b: enhanced U-Net with a dense latent and skip concatenations, gray -> RGB at 64x64.

Same encoder as 004a (first activation LeakyReLU 0.1), 256-d latent with light dropout, decoder
with skip concatenations at 16, 32 and 64 px; trained with an SSIM loss in the paper.
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.blocks import shape_of
from restorer.models.registry import ArchSpec, has_keys
from restorer.models.seed004a_dense_ae import SIZE, encoder, up


class SkipUNet(nn.Module):
    def __init__(self, latent: int = 256, dropout: float = 0.2) -> None:
        super().__init__()
        self.encoder = encoder(nn.LeakyReLU(0.1, inplace=True))
        self.to_latent = nn.Sequential(nn.Flatten(), nn.Linear(256 * 4 * 4, latent), nn.ReLU(inplace=True),
                                       nn.Dropout(dropout))
        self.from_latent = nn.Sequential(nn.Linear(latent, 256 * 8 * 8), nn.ReLU(inplace=True))
        self.ups = nn.ModuleList([up(256 + 128, 128), up(128 + 64, 64), up(64 + 32, 32)])
        self.merge = nn.ModuleList([nn.Sequential(nn.Conv2d(32 + 1, 32, 3, padding=1), nn.ReLU(inplace=True))])
        self.head = nn.Conv2d(32, 3, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x[:, :1]
        skips, h = [x], x
        for stage in self.encoder:
            h = stage(h)
            skips.append(h)
        h = self.from_latent(self.to_latent(h)).view(-1, 256, 8, 8)
        for up_block, skip in zip(self.ups, [skips[3], skips[2], skips[1]]):
            h = up_block(torch.cat([h, skip], dim=1))
        h = self.merge[0](torch.cat([h, skips[0]], dim=1))
        return torch.sigmoid(self.head(h))


def _detect(sd) -> bool:
    return has_keys(sd, "to_latent.1.weight", "ups.2.0.weight", "merge.0.0.weight")


def _hparams(sd) -> dict:
    return {"latent": shape_of(sd, "to_latent.1.weight")[0]}


SPEC = ArchSpec(
    name="seed004b-skip-unet",
    title="Skip-connection U-Net (seed 004b)",
    family="seed",
    paper="Seed 004 (b): enhanced U-Net with skips and SSIM loss (gray -> RGB, 64 px)",
    description="Dense-latent U-Net with skip concatenations; 64x64 only.",
    input_kind="gray",
    output_kind="rgb",
    native_size=SIZE,
    size_multiple=SIZE,
    fixed_size=SIZE,
    build=SkipUNet,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"latent": 256},
    head="regression",
    loss="ssim",
)
