"""Seed 000: convolutional autoencoder, gray -> RGB at 150 px.

Encoder: five blocks of (Conv, Dropout, Conv, MaxPool), the fifth without pooling; decoder:
transposed convolutions mirroring them; sigmoid RGB. The paper gives no filter counts; we use
widths doubling from ``base`` (16 -> 256).
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.blocks import shape_of
from restorer.models.registry import ArchSpec, has_keys


class ConvAutoencoder(nn.Module):
    def __init__(self, base: int = 16, dropout: float = 0.1) -> None:
        super().__init__()
        widths = [base * 2**i for i in range(5)]
        blocks, c_in = [], 1
        for width in widths:
            blocks.append(
                nn.Sequential(
                    nn.Conv2d(c_in, width, 3, padding=1), nn.ReLU(inplace=True), nn.Dropout(dropout),
                    nn.Conv2d(width, width, 3, padding=1), nn.ReLU(inplace=True),
                )
            )
            c_in = width
        self.encoder = nn.ModuleList(blocks)
        self.pool = nn.MaxPool2d(2)
        ups = []
        for width in reversed(widths[:-1]):
            ups.append(nn.Sequential(nn.ConvTranspose2d(c_in, width, 2, stride=2), nn.ReLU(inplace=True)))
            c_in = width
        self.decoder = nn.ModuleList(ups)
        self.head = nn.Conv2d(c_in, 3, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x[:, :1]
        for index, block in enumerate(self.encoder):
            x = block(x)
            if index < len(self.encoder) - 1:
                x = self.pool(x)
        for up in self.decoder:
            x = up(x)
        return torch.sigmoid(self.head(x))


def _detect(sd) -> bool:
    return has_keys(sd, "encoder.4.3.weight", "decoder.3.0.weight", "head.weight")


def _hparams(sd) -> dict:
    return {"base": shape_of(sd, "encoder.0.0.weight")[0]}


SPEC = ArchSpec(
    name="seed000-cae",
    title="Convolutional autoencoder (seed 000)",
    family="seed",
    paper="Seed 000: CNN autoencoder colorization of landscapes (gray -> RGB, 150 px)",
    description="Five-block conv autoencoder with dropout; predicts RGB from grey.",
    input_kind="gray",
    output_kind="rgb",
    native_size=160,
    size_multiple=16,
    build=ConvAutoencoder,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"base": 16},
    head="regression",
    loss="mse",
)
