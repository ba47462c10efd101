"""Seed 001: U-Net encoder-decoder with skip connections, L -> ab.

Four resolution levels with double 3x3 convolutions, max-pool down, transposed-conv up,
skip concatenations; tanh chroma in ab/110 units.
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.blocks import shape_of
from restorer.models.registry import ArchSpec, has_keys


def _double_conv(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    def __init__(self, base: int = 32, depth: int = 4) -> None:
        super().__init__()
        widths = [base * 2**i for i in range(depth)]
        self.down = nn.ModuleList()
        c_in = 1
        for width in widths:
            self.down.append(_double_conv(c_in, width))
            c_in = width
        self.up = nn.ModuleList()
        self.merge = nn.ModuleList()
        for width in reversed(widths[:-1]):
            self.up.append(nn.ConvTranspose2d(c_in, width, 2, stride=2))
            self.merge.append(_double_conv(width * 2, width))
            c_in = width
        self.head = nn.Conv2d(c_in, 2, 1)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x[:, :1] - 0.5) * 2
        skips = []
        for index, block in enumerate(self.down):
            x = block(x if index == 0 else self.pool(x))
            skips.append(x)
        for up, merge, skip in zip(self.up, self.merge, reversed(skips[:-1])):
            x = merge(torch.cat([up(x), skip], dim=1))
        return torch.tanh(self.head(x))


def _detect(sd) -> bool:
    return has_keys(sd, "down.0.0.weight", "merge.0.0.weight", "head.weight") and "global_mlp.0.weight" not in sd


def _hparams(sd) -> dict:
    depth = len({key.split(".")[1] for key in sd if key.startswith("down.")})
    return {"base": shape_of(sd, "down.0.0.weight")[0], "depth": depth}


SPEC = ArchSpec(
    name="seed001-unet",
    title="U-Net (seed 001)",
    family="seed",
    paper="Seed 001: survey of deep colorization; U-Net L -> ab with skip connections",
    description="Full-resolution U-Net predicting Lab chroma from luminance.",
    input_kind="L",
    output_kind="ab",
    native_size=256,
    size_multiple=8,
    build=UNet,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={"base": 32, "depth": 4},
    head="regression",
    loss="mse",
)
