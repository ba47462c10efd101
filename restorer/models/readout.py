"""The colour read-out shared by the flagships: ab-bin scores and regressed chroma -> the chroma users see.

A network that subclasses :class:`BinReadOut` implements ``outputs(x)`` returning
``(bin scores (N, Q, h, w), regressed ab/110 (N, 2, h, w) or None)``; everything else (annealed
mean, the blend of the two heads, the chroma stretch, the mirrored average) lives here once.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from restorer.models.ab_bins import in_gamut_ab_bins

AB_SCALE = 110.0
# share of the long side around a hint where the hinted read-out applies in full (74 held-out scenes:
# with one hint, colourfulness 0.77 against 0.57 when the whole photo switched; 10 hints 26.07 / 26.09 dB)
HINT_REACH = 0.25


class BinReadOut(nn.Module):
    """Read-out settings are plain attributes a model card sets (calibrated on held-out photos).

    ``temperature``: annealed mean of the bin distribution (low = bolder); ``blend``: share of
    the classification head against the regression head (1 = classification only);
    ``chroma_gain``: stretch of chroma about the image's mean colour at inference; ``flip_average``:
    average with the prediction for the mirrored photo; ``hint_blend``: the blend around colour
    hints (None: ``blend``).
    """

    def __init__(self, temperature: float, chroma_gain: float, blend: float, flip_average: bool,
                 hint_blend: float | None = None) -> None:
        super().__init__()
        self.register_buffer("ab_bins", torch.from_numpy(in_gamut_ab_bins()) / AB_SCALE)  # (Q, 2) ab/110
        self.temperature = temperature
        self.chroma_gain = chroma_gain
        self.blend = blend
        self.flip_average = flip_average
        self.hint_blend = hint_blend

    @property
    def bin_count(self) -> int:
        return self.ab_bins.shape[0]

    def outputs(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        raise NotImplementedError

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """Per-bin scores ``(N, Q, h, w)``."""
        return self.outputs(x)[0]

    def decode(self, logits: torch.Tensor, temperature: float | None = None) -> torch.Tensor:
        """Annealed mean of the bin distribution -> ab/110 ``(N, 2, h, w)``."""
        t = self.temperature if temperature is None else temperature
        probs = torch.softmax(logits.float() / t, dim=1)
        return torch.einsum("nqhw,qc->nchw", probs, self.ab_bins.float()).to(logits.dtype)

    def read_out(self, logits: torch.Tensor, regressed: torch.Tensor | None,
                 near: torch.Tensor | None = None) -> torch.Tensor:
        """The chroma users see: blend of the two heads, stretched about the image mean colour.

        An expectation over many plausible colours is less saturated than any one of them; the
        stretch (1.0 in training) restores the photos' colourfulness at read-out time. Around colour
        hints (``near``: ``(N, 1, h, w)`` in [0, 1], 1 near a hint; see :meth:`near_hints`) the
        colours were given, not guessed: there the chroma is not stretched (a stretch pushes them
        past what the user picked; 74 held-out photos, 10 true-colour hints: 25.18 dB stretched by
        1.2, 25.65 dB not) and the heads are blended by ``hint_blend`` (the vivid blend that suits a
        guess is not the most accurate once hints carry the colour: vivid2's calibration, 25.75 dB at
        0.75, 26.07 at 0.125). Away from the hints the photo keeps the read-out it had without them.
        """
        classified = self.decode(logits)
        guess = self._stretched(_blended(classified, regressed, self.blend))
        if near is None:
            return guess
        given = _blended(classified, regressed, self.blend if self.hint_blend is None else self.hint_blend)
        return guess + near * (given - guess)

    def _stretched(self, chroma: torch.Tensor) -> torch.Tensor:
        if self.training or self.chroma_gain == 1.0:
            return chroma
        mean = chroma.mean(dim=(2, 3), keepdim=True)
        return mean + self.chroma_gain * (chroma - mean)

    def near_hints(self, x: torch.Tensor, size: tuple[int, int]) -> torch.Tensor | None:
        """``(N, 1, *size)`` in [0, 1]: how near each output pixel is to a colour hint of the input
        ``x`` (L, a, b, mask); 1 within :data:`HINT_REACH` of one, fading to 0 over as much again.
        None when no photo has a hint (or in training, where the read-out is not used)."""
        if self.training or x.shape[1] < 4 or not bool(x[:, 3].gt(0).any()):
            return None
        near = F.adaptive_max_pool2d(x[:, 3:4].gt(0).to(x.dtype), size)
        kernel = 2 * max(1, round(HINT_REACH * max(size))) + 1
        near = F.max_pool2d(near, kernel, stride=1, padding=kernel // 2)
        return F.avg_pool2d(near, kernel, stride=1, padding=kernel // 2, count_include_pad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits, regressed = self.outputs(x)
        near = self.near_hints(x, logits.shape[2:])
        chroma = self.read_out(logits, regressed, near)
        if self.training or not self.flip_average:
            return chroma
        # the mirrored photo is as plausible as the photo: averaging both halves the read-out's
        # variance for twice the network time (the read-out is linear in the blended chroma, so
        # averaging after it equals averaging before)
        mirrored_near = None if near is None else torch.flip(near, dims=[3])
        mirrored = self.read_out(*self.outputs(torch.flip(x, dims=[3])), mirrored_near)
        return 0.5 * (chroma + torch.flip(mirrored, dims=[3]))


def _blended(classified: torch.Tensor, regressed: torch.Tensor | None, blend: float) -> torch.Tensor:
    """``blend`` of the classifier's chroma against the regression head's (1: the classifier's alone)."""
    if regressed is None or blend == 1.0:
        return classified
    return regressed + blend * (classified - regressed)
