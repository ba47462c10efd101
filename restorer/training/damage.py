"""Synthetic damage for old photos: what the damage detector learns from and the inpainting is scored on.

Like "Bringing Old Photos Back to Life" (Wan et al. 2020), nothing pretrained exists for this, so
damage is drawn onto clean grey photos: thin bright/dark scratches (curved strokes of varied width
and contrast, some broken), dust and spots, crease lines (a bright broken-fibre core with a shadow
beside it), torn corners and edges (paper white or backing black), then the global wear of an old
print (film grain, paper texture, JPEG). The mask marks the local damage that has to be inpainted;
grain, paper texture and JPEG touch every pixel and are not in it.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same photo, seed and config give
the same damaged pixels and mask on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

AA_SHIFT = 4  # cv2 drawing at 1/16 px precision: smooth curves at any width
VISIBLE = 0.03  # a pixel the damage touched is masked when it differs this much (of full scale) from the clean one


@dataclass(frozen=True)
class DamageConfig:
    """How much of each kind of damage to draw. Counts are per 256 x 256 px of photo; ranges are
    (low, high) drawn uniformly; chances are probabilities per photo."""

    scratches: tuple[float, float] = (0.0, 5.0)
    dust: tuple[float, float] = (0.0, 20.0)
    creases: tuple[int, int] = (0, 2)  # per photo
    tear_chance: float = 0.3
    grain: tuple[float, float] = (0.0, 0.03)  # noise sigma, full scale 1
    paper: tuple[float, float] = (0.0, 0.05)  # amplitude of the low-frequency paper texture
    jpeg_chance: float = 0.6
    jpeg_quality: tuple[int, int] = (40, 95)
    clean_chance: float = 0.1  # photos left without local damage: teach the detector to say "none"

    def local_only(self) -> "DamageConfig":
        """The same local damage without grain, paper and JPEG (inpainting is scored on this)."""
        return DamageConfig(self.scratches, self.dust, self.creases, self.tear_chance, (0.0, 0.0), (0.0, 0.0),
                            0.0, self.jpeg_quality, self.clean_chance)


@dataclass
class Damaged:
    """A damaged photo (float32 ``(H, W)`` in [0, 1]) and its damage mask (bool ``(H, W)``)."""

    image: np.ndarray
    mask: np.ndarray


class _Layers:
    """Where damage lightens (toward paper white) and darkens (toward black), 0..255 coverage each,
    plus hard tear areas with their own fill value."""

    def __init__(self, shape: tuple[int, int]) -> None:
        self.bright = np.zeros(shape, np.uint8)
        self.dark = np.zeros(shape, np.uint8)
        self.tear = np.zeros(shape, np.uint8)
        self.tear_value = 1.0

    def layer(self, bright: bool) -> np.ndarray:
        return self.bright if bright else self.dark


def damage_photo(grey: np.ndarray, seed: int, config: DamageConfig = DamageConfig()) -> Damaged:
    """Damage ``grey`` (``(H, W)`` uint8, or float in [0, 1]) deterministically by ``seed``."""
    clean = _as_float01(grey)
    rng = np.random.default_rng(seed)
    layers = _Layers(clean.shape)
    if rng.random() >= config.clean_chance:
        _draw_local_damage(layers, rng, config)
    damaged = _compose(clean, layers, rng)
    touched = np.maximum(np.maximum(layers.bright, layers.dark), layers.tear) > 0
    mask = touched & (np.abs(damaged - clean) > VISIBLE)
    damaged = _global_wear(damaged, rng, config)
    return Damaged(damaged, mask)


def _as_float01(grey: np.ndarray) -> np.ndarray:
    if grey.ndim != 2:
        raise ValueError(f"expected a grey (H, W) image, got shape {grey.shape}")
    if grey.dtype == np.uint8:
        return grey.astype(np.float32) / 255.0
    if grey.dtype == np.uint16:
        return grey.astype(np.float32) / 65535.0
    return np.clip(grey.astype(np.float32), 0.0, 1.0)


def _per_area(shape: tuple[int, int], rate: tuple[float, float], rng) -> int:
    area = shape[0] * shape[1] / 256.0**2
    return int(rng.poisson(rng.uniform(*rate) * area))


def _unit(shape: tuple[int, int]) -> float:
    """Damage size scale: 1 on the ~160-256 px training crops, growing with larger photos."""
    return max(1.0, min(shape) / 256.0)


def _draw_local_damage(layers: _Layers, rng, config: DamageConfig) -> None:
    shape = layers.bright.shape
    for _ in range(_per_area(shape, config.scratches, rng)):
        _scratch(layers, rng)
    for _ in range(_per_area(shape, config.dust, rng)):
        _dust(layers, rng)
    for _ in range(int(rng.integers(config.creases[0], config.creases[1] + 1))):
        _crease(layers, rng)
    if rng.random() < config.tear_chance:
        _tear(layers, rng)


def _curve(shape, rng, length: float, bend: float) -> np.ndarray:
    """A random-walk polyline of about ``length`` px whose heading drifts by up to ``bend`` rad per step."""
    steps = int(rng.integers(6, 20))
    point = rng.uniform((0, 0), (shape[1], shape[0]))
    heading = rng.uniform(0, 2 * np.pi)
    points = [point]
    for _ in range(steps):
        heading += rng.normal(0, bend)
        point = point + (length / steps) * np.array([np.cos(heading), np.sin(heading)])
        points.append(point)
    return np.array(points)


def _polyline(layer: np.ndarray, points: np.ndarray, value: int, thickness: int) -> None:
    fixed = np.round(points * (1 << AA_SHIFT)).astype(np.int32)
    cv2.polylines(layer, [fixed], False, int(value), max(1, thickness), cv2.LINE_AA, AA_SHIFT)


def _scratch(layers: _Layers, rng) -> None:
    """A thin curved stroke, bright (emulsion scraped off) or dark, sometimes broken into dashes."""
    shape = layers.bright.shape
    unit = _unit(shape)
    diagonal = float(np.hypot(*shape))
    points = _curve(shape, rng, rng.uniform(0.1, 0.9) * diagonal, rng.uniform(0.02, 0.25))
    thickness = int(round(rng.choice([1, 1, 1, 2, 2, 3]) * unit))
    value = int(255 * rng.uniform(0.35, 1.0))
    layer = layers.layer(rng.random() < 0.65)
    if rng.random() < 0.3:  # broken scratch: keep every other run of segments
        keep = rng.random(len(points) - 1) < 0.6
        for index in np.flatnonzero(keep):
            _polyline(layer, points[index: index + 2], value, thickness)
    else:
        _polyline(layer, points, value, thickness)


def _dust(layers: _Layers, rng) -> None:
    """A speck (small blob of one to three discs) or a short curly fibre/hair."""
    shape = layers.bright.shape
    unit = _unit(shape)
    layer = layers.layer(rng.random() < 0.5)
    value = int(255 * rng.uniform(0.4, 1.0))
    if rng.random() < 0.2:
        _polyline(layer, _curve(shape, rng, rng.uniform(6, 25) * unit, 0.6), value, 1)
        return
    centre = rng.uniform((0, 0), (shape[1], shape[0]))
    for _ in range(int(rng.integers(1, 4))):
        radius = rng.uniform(0.5, 2.0) * unit * (3.0 if rng.random() < 0.05 else 1.0)
        offset = rng.normal(0, radius * 0.7, 2)
        fixed = np.round((centre + offset) * (1 << AA_SHIFT)).astype(np.int32)
        cv2.circle(layer, tuple(int(v) for v in fixed), int(radius * (1 << AA_SHIFT)), value, -1,
                   cv2.LINE_AA, AA_SHIFT)


def _crease(layers: _Layers, rng) -> None:
    """A fold across the photo: a nearly straight bright core of cracked emulsion, a shadow beside it."""
    shape = layers.bright.shape
    unit = _unit(shape)
    points = _curve(shape, rng, float(np.hypot(*shape)) * 1.5, 0.03)
    points -= points.mean(axis=0) - rng.uniform((0, 0), (shape[1], shape[0]))  # centre it on the photo
    core = int(round(rng.uniform(1, 3) * unit))
    step = np.diff(points, axis=0).mean(axis=0)
    normal = np.array([-step[1], step[0]]) / max(1e-6, float(np.hypot(*step)))
    _polyline(layers.dark, points + normal * (core + unit), int(255 * rng.uniform(0.3, 0.6)), core)
    _polyline(layers.bright, points, int(255 * rng.uniform(0.6, 1.0)), core)


def _tear(layers: _Layers, rng) -> None:
    """A torn-off corner or a bite out of an edge, with a jagged border; white paper or black backing."""
    height, width = layers.tear.shape
    size = rng.uniform(0.08, 0.3) * min(height, width)
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    corner = np.array(corners[int(rng.integers(4))], float)
    toward_x = np.array([width / 2 - corner[0], 0.0])
    toward_y = np.array([0.0, height / 2 - corner[1]])
    start = corner + toward_x / np.linalg.norm(toward_x) * size * rng.uniform(0.5, 1.5)
    end = corner + toward_y / np.linalg.norm(toward_y) * size * rng.uniform(0.5, 1.5)
    ts = np.linspace(0, 1, 24)[:, None]
    edge = start + (end - start) * ts
    edge += rng.normal(0, size * 0.04, edge.shape) * np.sin(np.pi * ts)  # jagged, pinned at the ends
    polygon = np.vstack([corner[None], edge])
    fixed = np.round(polygon * (1 << AA_SHIFT)).astype(np.int32)
    cv2.fillPoly(layers.tear, [fixed], 255, cv2.LINE_AA, AA_SHIFT)
    layers.tear_value = rng.uniform(0.85, 1.0) if rng.random() < 0.7 else rng.uniform(0.0, 0.1)


def _compose(clean: np.ndarray, layers: _Layers, rng) -> np.ndarray:
    white = rng.uniform(0.85, 1.0)
    black = rng.uniform(0.0, 0.15)
    bright = layers.bright.astype(np.float32) / 255.0
    dark = layers.dark.astype(np.float32) / 255.0
    tear = layers.tear.astype(np.float32) / 255.0
    out = clean * (1 - bright) + white * bright
    out = out * (1 - dark) + black * dark
    return out * (1 - tear) + layers.tear_value * tear


def _global_wear(image: np.ndarray, rng, config: DamageConfig) -> np.ndarray:
    """Paper texture (low-frequency brightness waves), film grain, then JPEG compression."""
    height, width = image.shape
    paper = rng.uniform(*config.paper)
    if paper > 0:
        coarse = rng.normal(0, 1, (max(2, height // 24), max(2, width // 24))).astype(np.float32)
        field = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
        image = image * (1 + paper * field)
    grain = rng.uniform(*config.grain)
    if grain > 0:
        noise = rng.normal(0, 1, image.shape).astype(np.float32)
        image = image + grain * cv2.GaussianBlur(noise, (0, 0), 0.6) * 1.6  # blur narrows sigma: scale back
    image = np.clip(image, 0.0, 1.0).astype(np.float32)
    if rng.random() < config.jpeg_chance:
        image = _jpeg(image, int(rng.integers(config.jpeg_quality[0], config.jpeg_quality[1] + 1)))
    return image


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    encoded = cv2.imencode(".jpg", np.round(image * 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality])[1]
    return cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255.0
