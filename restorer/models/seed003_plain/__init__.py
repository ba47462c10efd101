"""Seed 003: plain encoder-decoder without down-sampling, gray -> RGB (~600 K parameters).

Conv 1->64->128->256->128->64->3, 3x3, ReLU, sigmoid output, every layer at full resolution.
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.blocks import shape_of
from restorer.models.registry import ArchSpec, has_keys


class PlainEncoderDecoder(nn.Module):
    def __init__(self, width: int = 64) -> None:
        super().__init__()
        chans = [1, width, 2 * width, 4 * width, 2 * width, width]
        layers: list[nn.Module] = []
        for c_in, c_out in zip(chans[:-1], chans[1:]):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(width, 3, 3, padding=1))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.layers(x[:, :1]))


def _detect(sd) -> bool:
    return has_keys(sd, "layers.0.weight", "layers.10.weight") and "layers.12.weight" not in sd


def _hparams(sd) -> dict:
    return {"width": shape_of(sd, "layers.0.weight")[0]}


SPEC = ArchSpec(
    name="seed003-plain",
    title="Plain encoder-decoder (seed 003)",
    family="seed",
    paper="Seed 003: plain CNN encoder-decoder colorization, no down-sampling (gray -> RGB)",
    description="Six full-resolution 3x3 conv layers (~600 K params); slow on large inputs.",
    input_kind="gray",
    output_kind="rgb",
    native_size=128,
    size_multiple=1,
    build=PlainEncoderDecoder,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"width": 64},
    head="regression",
    loss="mse",
)
