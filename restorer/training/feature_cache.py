"""A disk cache of a frozen encoder's features for training crops (stage 1 of the flagship recipe).

With the ImageNet encoder frozen, its features for a crop never change: computing them once and
training the decoder on the cache for many epochs costs the encoder's time once instead of every
epoch, which is what makes a pretrained encoder trainable on two CPU cores. The cache is a folder
of ``.npy`` arrays opened as memory maps (flat memory, larger than RAM is fine):

- ``level{4,8,16,32}.npy``: float16 ``(count, C, S/k, S/k)`` encoder features at stride k;
- ``embedding.npy``: float16 ``(count, 1280)``, the pooled embedding;
- ``lum.npy``: uint8 ``(count, S, S)``, L scaled to 0-255; ``ab.npy``: int8 ``(count, 2, S, S)``, Lab ab;
- ``cache.json``: size, count, how many crops are filled (a killed build resumes from there).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from restorer.core.progress import Progress
from restorer.models.efficientnet_lite import HEAD_CHANNELS, PYRAMID_CHANNELS
from restorer.pipeline.metrics import colorfulness
from restorer.training.data import Augment, augmented_crop, lab_tensors, read_rgb8

LEVELS = (4, 8, 16, 32)
MIN_COLOURFULNESS = 15.0  # BigColor drops training photos below this: near-grey targets teach grey


@dataclass
class CacheLayout:
    size: int
    count: int

    def shapes(self) -> dict[str, tuple[tuple[int, ...], str]]:
        s, n = self.size, self.count
        shapes = {f"level{k}": ((n, c, s // k, s // k), "float16") for k, c in zip(LEVELS, PYRAMID_CHANNELS[1:])}
        shapes["embedding"] = ((n, HEAD_CHANNELS), "float16")
        shapes["lum"] = ((n, s, s), "uint8")
        shapes["ab"] = ((n, 2, s, s), "int8")
        return shapes


class FeatureCache:
    """The arrays of one cache folder, memory-mapped; ``filled`` crops are valid."""

    def __init__(self, folder: Path, layout: CacheLayout, mode: str = "r") -> None:
        self.folder = Path(folder)
        self.layout = layout
        self.arrays = {}
        for name, (shape, dtype) in layout.shapes().items():
            path = self.folder / f"{name}.npy"
            if mode == "w+" and path.exists():
                mode_here = "r+"
            else:
                mode_here = mode
            self.arrays[name] = np.lib.format.open_memmap(path, mode=mode_here, dtype=dtype, shape=shape)
        self.filled = _read_meta(self.folder).get("filled", 0)

    @classmethod
    def open(cls, folder: Path) -> "FeatureCache":
        meta = _read_meta(Path(folder))
        if not meta:
            raise FileNotFoundError(f"no feature cache in {folder}")
        return cls(folder, CacheLayout(meta["size"], meta["count"]), "r")

    def batch(self, indices: np.ndarray) -> tuple[list[torch.Tensor], torch.Tensor, torch.Tensor, torch.Tensor]:
        """(levels, embedding, L/100 (B,1,S,S), ab/110 (B,2,S,S)) as float32 tensors."""
        indices = np.sort(indices)  # sorted reads are sequential-ish on disk
        levels = [torch.from_numpy(self.arrays[f"level{k}"][indices].astype(np.float32)) for k in LEVELS]
        embedding = torch.from_numpy(self.arrays["embedding"][indices].astype(np.float32))
        lum = torch.from_numpy(self.arrays["lum"][indices].astype(np.float32) / 255.0)[:, None]
        ab = torch.from_numpy(self.arrays["ab"][indices].astype(np.float32) / 110.0)
        return levels, embedding, lum, ab


def _read_meta(folder: Path) -> dict:
    path = folder / "cache.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _write_meta(folder: Path, layout: CacheLayout, filled: int, draw: int) -> None:
    tmp = folder / "cache.json.part"
    tmp.write_text(json.dumps({"size": layout.size, "count": layout.count, "filled": filled, "draw": draw}))
    tmp.replace(folder / "cache.json")


def draw_crops(photos: list[Path], weights: list[float] | None, size: int, seed: int, start: int,
               augment: bool = True):
    """Endless colourful training crops ``(lum8 (S,S) uint8, ab8 (2,S,S) int8, next draw)`` from draw ``start`` on.

    Crop ``i`` depends only on (seed, i), so a resumed build draws the same crops it would have.
    """
    aug = Augment(crop=size) if augment else Augment(crop=size, zoom=(1.0, 1.0), flip=False, small_rotation=0.0)
    cum = list(np.cumsum(weights)) if weights else None
    index = start
    while True:
        rng = random.Random(hash((seed, index)))
        path = rng.choices(photos, cum_weights=cum)[0] if cum else photos[index % len(photos)]
        index += 1
        image = read_rgb8(path)
        if image is None or min(image.shape[:2]) < 16:
            continue
        crop = augmented_crop(image, aug, rng)
        if colorfulness(crop.astype(np.float32) / 255.0) < MIN_COLOURFULNESS:
            continue
        lum, ab, _ = lab_tensors(crop)
        yield (np.clip(lum[0] * 255.0 + 0.5, 0, 255).astype(np.uint8),
               np.clip(np.round(ab * 110.0), -128, 127).astype(np.int8), index)


def build_cache(network, photos: list[Path], folder: Path, count: int, size: int = 128, seed: int = 0,
                weights: list[float] | None = None, augment: bool = True, chunk: int = 256):
    """Generator: fill ``folder`` with ``count`` crops and their encoder features; yields Progress.

    ``network`` is a Vivid2Net (its ``encode`` is used, in inference mode). Resumes a partial cache.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    layout = CacheLayout(size, count)
    meta = _read_meta(folder)
    if meta and (meta["size"], meta["count"]) != (size, count):
        raise ValueError(f"{folder} holds a cache of {meta['count']} crops of {meta['size']} px, not {count} of {size}")
    cache = FeatureCache(folder, layout, "w+")
    # skipped (grey, unreadable) draws make crop numbers differ from draw numbers: resume by draws
    draws = draw_crops(photos, weights, size, seed, start=meta.get("draw", 0) if meta else 0, augment=augment)
    network.eval()
    filled = cache.filled
    while filled < count:
        n = min(chunk, count - filled)
        crops = [next(draws) for _ in range(n)]
        _store_chunk(network, cache, filled, crops)
        filled += n
        _flush(cache)
        _write_meta(folder, layout, filled, crops[-1][2])
        yield Progress(filled, count, "cache", f"{filled}/{count} crops encoded")
    return cache


def _store_chunk(network, cache: FeatureCache, start: int, crops) -> None:
    lum8 = np.stack([c[0] for c in crops])
    rows = slice(start, start + len(crops))
    cache.arrays["lum"][rows] = lum8
    cache.arrays["ab"][rows] = np.stack([c[1] for c in crops])
    with torch.inference_mode():
        for offset in range(0, len(crops), 32):
            lum = torch.from_numpy(lum8[offset: offset + 32].astype(np.float32) / 255.0)[:, None]
            levels, embedding = network.encode(lum)
            part = slice(start + offset, start + offset + lum.shape[0])
            for k, level in zip(LEVELS, levels):
                cache.arrays[f"level{k}"][part] = level.numpy().astype(np.float16)
            cache.arrays["embedding"][part] = embedding.numpy().astype(np.float16)


def _flush(cache: FeatureCache) -> None:
    for array in cache.arrays.values():
        array.flush()
