"""Zhang, Isola, Efros, "Colorful Image Colorization" (ECCV 2016): L -> ab via 313-way (here Q-way)
classification at 1/4 scale and an expectation read-out.

Keys and shapes match the authors' released PyTorch weights, so a user who has
``colorization_release_v2-*.pth`` can import it. Restorer ships no weights for it (32 M params,
~130 MB, and it cannot be trained in useful time on a CPU); it is listed for import and as the
speed reference in benchmarks.
"""

from __future__ import annotations

import torch
from torch import nn

from restorer.models.ab_bins import in_gamut_ab_bins
from restorer.models.blocks import shape_of
from restorer.models.registry import ArchSpec, has_keys
from restorer.models.zhang_blocks import AB_NORM, L_CENT, L_NORM, conv_stack


class ECCV16(nn.Module):
    def __init__(self, classes: int | None = None) -> None:
        super().__init__()
        bins = torch.from_numpy(in_gamut_ab_bins()) / AB_NORM
        classes = classes or bins.shape[0]
        self.model1 = conv_stack([1, 64, 64], stride_last=2)
        self.model2 = conv_stack([64, 128, 128], stride_last=2)
        self.model3 = conv_stack([128, 256, 256, 256], stride_last=2)
        self.model4 = conv_stack([256, 512, 512, 512])
        self.model5 = conv_stack([512, 512, 512, 512], dilation=2)
        self.model6 = conv_stack([512, 512, 512, 512], dilation=2)
        self.model7 = conv_stack([512, 512, 512, 512])
        self.model8 = nn.Sequential(
            nn.ConvTranspose2d(512, 256, 4, stride=2, padding=1), nn.ReLU(True),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(True),
            nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(True),
            nn.Conv2d(256, classes, 1),
        )
        self.model_out = nn.Conv2d(classes, 2, 1, bias=False)
        if classes == bins.shape[0]:  # the read-out is the bin centres: an expectation over colours
            with torch.no_grad():
                self.model_out.weight.copy_(bins.t()[:, :, None, None])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        l_norm = (x[:, :1] * 100.0 - L_CENT) / L_NORM
        h = l_norm
        for block in (self.model1, self.model2, self.model3, self.model4,
                      self.model5, self.model6, self.model7, self.model8):
            h = block(h)
        return self.model_out(torch.softmax(h, dim=1))  # ab/110 at 1/4 scale


def _detect(sd) -> bool:
    return has_keys(sd, "model1.0.weight", "model8.6.weight", "model_out.weight") and "model10.1.weight" not in sd


def _hparams(sd) -> dict:
    return {"classes": shape_of(sd, "model8.6.weight")[0]}


SPEC = ArchSpec(
    name="eccv16",
    title="Zhang et al. ECCV16",
    family="reference",
    paper="Zhang, Isola, Efros: Colorful Image Colorization, ECCV 2016",
    description="VGG-style 32 M-parameter classifier over ab bins; import the authors' weights.",
    input_kind="L",
    output_kind="ab",
    native_size=256,
    size_multiple=8,
    build=ECCV16,
    detect=_detect,
    infer_hparams=_hparams,
    default_hparams={},
    head="regression",
    loss="mse",
)
