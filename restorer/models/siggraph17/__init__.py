"""Zhang, Zhu et al., "Real-Time User-Guided Image Colorization with Learned Deep Priors"
(SIGGRAPH 2017): L + ab hints + mask -> ab, U-Net with shortcut additions and a tanh regression head.

Keys and shapes match the authors' released PyTorch weights (``siggraph17-*.pth``) for import.
Restorer ships no weights for it (34 M params); it is the second speed reference.
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.blocks import shape_of
from restorer.models.registry import ArchSpec, has_keys
from restorer.models.zhang_blocks import L_CENT, L_NORM, conv_stack


def _single(module: nn.Module) -> nn.Sequential:
    return nn.Sequential(module)


class SIGGRAPH17(nn.Module):
    def __init__(self, classes: int = 529) -> None:
        super().__init__()
        self.model1 = conv_stack([4, 64, 64])
        self.model2 = conv_stack([64, 128, 128])
        self.model3 = conv_stack([128, 256, 256, 256])
        self.model4 = conv_stack([256, 512, 512, 512])
        self.model5 = conv_stack([512, 512, 512, 512], dilation=2)
        self.model6 = conv_stack([512, 512, 512, 512], dilation=2)
        self.model7 = conv_stack([512, 512, 512, 512])
        self.model8up = _single(nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1))
        self.model3short8 = _single(nn.Conv2d(256, 256, 3, padding=1))
        self.model8 = conv_stack([256, 256, 256], init_relu=True)
        self.model9up = _single(nn.ConvTranspose2d(256, 128, 4, stride=2, padding=1))
        self.model2short9 = _single(nn.Conv2d(128, 128, 3, padding=1))
        self.model9 = conv_stack([128, 128], init_relu=True)
        self.model10up = _single(nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1))
        self.model1short10 = _single(nn.Conv2d(64, 128, 3, padding=1))
        self.model10 = nn.Sequential(nn.ReLU(True), nn.Conv2d(128, 128, 3, padding=1), nn.LeakyReLU(0.2))
        self.model_class = _single(nn.Conv2d(256, classes, 1))
        self.model_out = nn.Sequential(nn.Conv2d(128, 2, 1), nn.Tanh())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] == 1:
            x = torch.cat([x, x.new_zeros(x.shape[0], 3, x.shape[2], x.shape[3])], dim=1)
        l_norm = (x[:, :1] * 100.0 - L_CENT) / L_NORM
        conv1 = self.model1(torch.cat([l_norm, x[:, 1:4]], dim=1))
        conv2 = self.model2(conv1[:, :, ::2, ::2])
        conv3 = self.model3(conv2[:, :, ::2, ::2])
        h = self.model4(conv3[:, :, ::2, ::2])
        h = self.model7(self.model6(self.model5(h)))
        h = self.model8(self.model8up(h) + self.model3short8(conv3))
        h = self.model9(self.model9up(h) + self.model2short9(conv2))
        h = self.model10(self.model10up(h) + self.model1short10(conv1))
        return self.model_out(h)  # ab/110 at full scale


def _detect(sd) -> bool:
    return has_keys(sd, "model1.0.weight", "model10.1.weight", "model_out.0.weight")


def _hparams(sd) -> dict:
    return {"classes": shape_of(sd, "model_class.0.weight")[0]}


SPEC = ArchSpec(
    name="siggraph17",
    title="Zhang et al. SIGGRAPH17",
    family="reference",
    paper="Zhang, Zhu et al.: Real-Time User-Guided Image Colorization with Learned Deep Priors, SIGGRAPH 2017",
    description="34 M-parameter U-Net with user-hint inputs; import the authors' weights.",
    input_kind="L",
    output_kind="ab",
    native_size=256,
    size_multiple=8,
    build=SIGGRAPH17,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={},
    accepts_hints=True,
    head="regression",
    loss="mse",
)
