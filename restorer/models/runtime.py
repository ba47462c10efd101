"""A loaded network ready to run: device, precision, padding to the size it needs, no gradients.

:class:`Colorizer` is what the pipeline needs of a network (tests pass stand-ins);
:func:`load_colorizer` gives the real one, a :class:`NetworkColorizer`.
"""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np

from restorer.core.device import resolve_device
from restorer.core.units import AB_SCALE, L_SCALE
from restorer.models.registry import ArchSpec
from restorer.models.zoo import ZooEntry, find_model, load_network


class Colorizer(Protocol):
    """A network the colorize pipeline can run (see :class:`NetworkColorizer` for the contract of ``run``)."""

    spec: ArchSpec

    @property
    def name(self) -> str: ...

    @property
    def device(self): ...

    @property
    def default_render_size(self) -> int: ...

    @property
    def default_render_scales(self) -> tuple[float, ...]: ...

    def run(self, lum: np.ndarray, hints: np.ndarray | None = None) -> np.ndarray: ...

    def on_cpu(self) -> Colorizer:
        """The same network on the CPU (the out-of-memory fallback); itself when already there."""
        ...


def load_colorizer(name: str | None = None, device: str = "auto", half: bool | None = None) -> NetworkColorizer:
    """The installed model ``name`` (None: the default one) ready to run on ``device``."""
    entry = find_model(name)
    return NetworkColorizer(load_network(entry), entry.spec, device, half, entry)


def is_out_of_memory(err: BaseException) -> bool:
    """Out of memory on the GPU (or other accelerator) or the CPU, whichever exception type torch used."""
    if isinstance(err, MemoryError) or type(err).__name__ == "OutOfMemoryError":
        return True
    text = str(err).lower()
    return isinstance(err, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text)


def free_accelerator_memory() -> None:
    """Hand cached GPU memory back, so a retry at a smaller size can use it."""
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


class NetworkColorizer:
    """Runs one network on batches of luminance images.

    ``run`` takes L ``(N, h, w)`` float32 in [0, 100] (plus optional hints ``(N, h, w, 3)``: a, b
    in Lab units and a 0/1 mask) and returns the raw prediction as float32 ``(N, h', w', C)``:
    C=2 ab in Lab units for "ab" networks (h', w' may be a fraction of h, w), C=3 RGB in [0, 1]
    for "rgb" networks.
    """

    def __init__(self, network, spec: ArchSpec, device: str = "auto", half: bool | None = None,
                 entry: ZooEntry | None = None) -> None:
        import torch

        self.spec = spec
        self.entry = entry
        self.device = resolve_device(device)
        use_half = self.device.type == "cuda" and spec.supports_half if half is None else half
        self.dtype = torch.float16 if use_half else torch.float32
        self.network = network.to(self.device, self.dtype).eval()
        self._cpu: NetworkColorizer | None = None
        self._cpu_lock = threading.Lock()

    def on_cpu(self) -> NetworkColorizer:
        """The same network on the CPU in float32, made once (workers of a batch share it)."""
        if self.device.type == "cpu":
            return self
        with self._cpu_lock:
            if self._cpu is None:
                network = load_network(self.entry) if self.entry else _cpu_copy(self.network)
                self._cpu = NetworkColorizer(network, self.spec, "cpu", False, self.entry)
        return self._cpu

    @property
    def name(self) -> str:
        return self.entry.name if self.entry else self.spec.name

    @property
    def default_render_size(self) -> int:
        return self.entry.render_size if self.entry else self.spec.native_size

    @property
    def default_render_scales(self) -> tuple[float, ...]:
        return self.entry.render_scales if self.entry else (1.0,)

    def run(self, lum: np.ndarray, hints: np.ndarray | None = None) -> np.ndarray:
        import torch
        from torch.nn import functional as F

        x = self._network_input(lum, hints)
        height, width = x.shape[2:]
        if self.spec.fixed_size:
            side = self.spec.fixed_size
            x = F.interpolate(x, size=(side, side), mode="area")
        else:
            x = _pad_to_multiple(x, self.spec.size_multiple)
        with torch.inference_mode():
            y = self.network(x.to(self.device, self.dtype)).float().cpu()
        if not self.spec.fixed_size:
            y = _crop_like(y, x.shape[2:], (height, width))
        if self.spec.output_kind == "ab":
            y = y * AB_SCALE
        return y.permute(0, 2, 3, 1).numpy()

    def _network_input(self, lum: np.ndarray, hints: np.ndarray | None):
        """L/100 ``(N, 1, h, w)``, with the hint channels (a/110, b/110, mask) when the network takes them."""
        import torch

        x = torch.from_numpy(np.ascontiguousarray(lum, dtype=np.float32))[:, None] / L_SCALE
        if self.spec.accepts_hints and hints is not None:
            h = torch.from_numpy(np.ascontiguousarray(hints, dtype=np.float32)).permute(0, 3, 1, 2)
            x = torch.cat([x, h[:, :2] / AB_SCALE, h[:, 2:3]], dim=1)
        return x

    @property
    def scores_colours(self) -> bool:
        """True for networks that score ab colour bins (their top colours can be suggested)."""
        return callable(getattr(self.network, "outputs", None)) and hasattr(self.network, "ab_bins")

    def colour_probabilities(self, lum: np.ndarray, hints: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The network's colour distribution: softmax of its bin scores ``(N, h', w', Q)`` at its
        output scale (1/4 of ``lum``'s for the flagships), and the bins ``(Q, 2)`` as Lab a, b."""
        import torch

        x = self._network_input(lum, hints)
        padded = _pad_to_multiple(x, self.spec.size_multiple)
        with torch.inference_mode():
            scores = self.network.outputs(padded.to(self.device, self.dtype))[0].float().cpu()
        probabilities = _crop_like(torch.softmax(scores, dim=1), padded.shape[2:], x.shape[2:])
        bins = self.network.ab_bins.float().cpu().numpy() * AB_SCALE
        return probabilities.permute(0, 2, 3, 1).numpy(), bins


def _cpu_copy(network):
    """A float32 CPU copy of a network that came from no installed model (the original stays put)."""
    import copy

    return copy.deepcopy(network).float().cpu()


def _pad_to_multiple(x, multiple: int):
    from torch.nn import functional as F

    pad_h = (-x.shape[2]) % multiple
    pad_w = (-x.shape[3]) % multiple
    if not (pad_h or pad_w):
        return x
    mode = "reflect" if pad_h < x.shape[2] and pad_w < x.shape[3] else "replicate"
    return F.pad(x, (0, pad_w, 0, pad_h), mode=mode)


def _crop_like(y, padded_hw, original_hw):
    """Crop an output (possibly at a fraction of the input scale) back to the unpadded area."""
    scale_h = y.shape[2] / padded_hw[0]
    scale_w = y.shape[3] / padded_hw[1]
    rows = max(1, round(original_hw[0] * scale_h))
    cols = max(1, round(original_hw[1] * scale_w))
    return y[:, :, :rows, :cols]
