"""Seed 004a: baseline autoencoder with a dense latent, gray -> RGB at exactly 64x64.

Conv 32-64-128-256 stride 2 + BN + ReLU -> dense latent + dropout -> dense -> 8x8x256 ->
three transposed convs -> sigmoid RGB. The dense layers fix the input size.
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.blocks import shape_of
from restorer.models.registry import ArchSpec, has_keys

SIZE = 64


def encoder(first_act: nn.Module) -> nn.ModuleList:
    chans = [1, 32, 64, 128, 256]
    stages = []
    for index, (c_in, c_out) in enumerate(zip(chans[:-1], chans[1:])):
        act = first_act if index == 0 else nn.ReLU(inplace=True)
        stages.append(nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride=2, padding=1), nn.BatchNorm2d(c_out), act))
    return nn.ModuleList(stages)


def up(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)
    )


class DenseAutoencoder(nn.Module):
    def __init__(self, latent: int = 128, dropout: float = 0.5) -> None:
        super().__init__()
        self.encoder = encoder(nn.ReLU(inplace=True))
        self.to_latent = nn.Sequential(nn.Flatten(), nn.Linear(256 * 4 * 4, latent), nn.ReLU(inplace=True),
                                       nn.Dropout(dropout))
        self.from_latent = nn.Sequential(nn.Linear(latent, 256 * 8 * 8), nn.ReLU(inplace=True))
        self.decoder = nn.Sequential(up(256, 128), up(128, 64), up(64, 32), nn.Conv2d(32, 3, 3, padding=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x[:, :1]
        for stage in self.encoder:
            x = stage(x)
        z = self.from_latent(self.to_latent(x)).view(-1, 256, 8, 8)
        return torch.sigmoid(self.decoder(z))


def _detect(sd) -> bool:
    return has_keys(sd, "to_latent.1.weight", "decoder.3.weight") and "merge.0.0.weight" not in sd


def _hparams(sd) -> dict:
    return {"latent": shape_of(sd, "to_latent.1.weight")[0]}


SPEC = ArchSpec(
    name="seed004a-dense-ae",
    title="Dense-latent autoencoder (seed 004a)",
    family="seed",
    paper="Seed 004 (a): baseline conv autoencoder with a dense latent, MAE loss (gray -> RGB, 64 px)",
    description="Conv encoder -> 128-d dense bottleneck -> transposed-conv decoder; 64x64 only.",
    input_kind="gray",
    output_kind="rgb",
    native_size=SIZE,
    size_multiple=SIZE,
    fixed_size=SIZE,
    build=DenseAutoencoder,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"latent": 128},
    head="regression",
    loss="mae",
)
