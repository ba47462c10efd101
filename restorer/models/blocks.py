"""Small building blocks shared by several architectures."""

from __future__ import annotations

from torch import nn


def conv_bn_relu(c_in: int, c_out: int, stride: int = 1, kernel: int = 3) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


def count_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def shape_of(state_dict, key: str) -> tuple[int, ...]:
    return tuple(state_dict[key].shape)
