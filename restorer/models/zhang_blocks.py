"""Layer stacks shared by Zhang et al.'s ECCV16 and SIGGRAPH17 networks, laid out so that the
state-dict keys match the authors' released ``.pth`` files (``model1.0.weight`` ...)."""

from __future__ import annotations

from torch import nn

from restorer.core.units import AB_SCALE as AB_NORM  # noqa: F401  (the authors call the scales so)
from restorer.core.units import L_SCALE as L_NORM  # noqa: F401

L_CENT = 50.0


def conv_stack(channels: list[int], *, stride_last: int = 1, dilation: int = 1, init_relu: bool = False,
               norm: bool = True) -> nn.Sequential:
    """[ReLU] (Conv, ReLU) x n [BatchNorm]: Zhang's block; ``stride_last`` down-samples at its end.

    Decoder blocks start with a ReLU (``init_relu``), which shifts their conv keys to odd indices.
    """
    layers: list[nn.Module] = [nn.ReLU(True)] if init_relu else []
    pairs = list(zip(channels[:-1], channels[1:]))
    for index, (c_in, c_out) in enumerate(pairs):
        stride = stride_last if index == len(pairs) - 1 else 1
        layers += [nn.Conv2d(c_in, c_out, 3, stride=stride, padding=dilation, dilation=dilation), nn.ReLU(True)]
    if norm:
        layers.append(nn.BatchNorm2d(channels[-1]))
    return nn.Sequential(*layers)
