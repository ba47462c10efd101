"""Training photos: folder scanning, a reproducible split, and an augmenting crop dataset.

Memory stays flat however large the folder: only paths are held; each sample is decoded,
augmented and converted to Lab when it is drawn.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from restorer.core.errors import DatasetError
from restorer.core.progress import Progress, run_to_end  # noqa: F401  (re-exported)
from restorer.core.units import AB_SCALE, L_SCALE
from restorer.pipeline.io import PHOTO_SUFFIXES, read_rgb8  # noqa: F401  (read_rgb8 re-exported)
from restorer.pipeline.io.colour import is_grey

MIN_SIDE = 32


@dataclass
class PhotoScan:
    """Result of scanning a folder: usable colour photos and skipped files with reasons."""

    photos: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    paired: bool = False

    def skipped_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, reason in self.skipped:
            counts[reason] = counts.get(reason, 0) + 1
        return counts


def photo_root(folder: Path) -> tuple[Path, bool]:
    """The folder holding colour targets: ``color/`` in a paired (color/ + gray/) layout."""
    folder = Path(folder)
    if (folder / "color").is_dir() and (folder / "gray").is_dir():
        return folder / "color", True
    return folder, False


LISTING_REPORT_EVERY = 1000  # entries walked between progress reports while listing a folder


def _candidates(root: Path):
    """The photo files under ``root``, sorted; yields progress while walking so a scan of a huge
    folder (a home folder typed by mistake) can be cancelled before the listing ends."""
    found = []
    for walked, path in enumerate(root.rglob("*"), start=1):
        if path.suffix.lower() in PHOTO_SUFFIXES and path.is_file():
            found.append(path)
        if walked % LISTING_REPORT_EVERY == 0:
            yield Progress(0, 0, "scan", f"listing: {len(found)} photos among {walked} files")
    return sorted(found)


def classify_photo(path: Path) -> str | None:
    """None for a usable colour photo, else the reason it is skipped."""
    image = read_rgb8(path)
    if image is None:
        return "unreadable or corrupt"
    if min(image.shape[:2]) < MIN_SIDE:
        return f"smaller than {MIN_SIDE} px"
    if is_grey(image):
        return "grayscale (no colour to learn from)"
    return None


def scan_photos(folders, check: bool = True):
    """Generator over the photos of ``folders``: yields Progress, returns a PhotoScan.

    With ``check`` every file is decoded once to skip corrupt, tiny and grayscale ones.
    """
    scan = PhotoScan()
    candidates: list[Path] = []
    for folder in folders if isinstance(folders, (list, tuple)) else [folders]:
        root, paired = photo_root(Path(folder))
        if not root.is_dir():
            raise DatasetError(f"Training folder not found: {folder}")
        scan.paired = scan.paired or paired
        candidates += yield from _candidates(root)
    for index, path in enumerate(candidates):
        reason = classify_photo(path) if check else None
        if reason:
            scan.skipped.append((path, reason))
        else:
            scan.photos.append(path)
        if index % 200 == 0 or index == len(candidates) - 1:
            yield Progress(index + 1, len(candidates), "scan", f"{len(scan.photos)} usable photos")
    if not scan.photos:
        raise DatasetError(f"No usable colour photos in {', '.join(map(str, folders if isinstance(folders, (list, tuple)) else [folders]))}.")
    return scan


@dataclass
class Split:
    train: list[Path]
    val: list[Path]
    test: list[Path]

    def to_json(self, root: Path | None = None) -> str:
        def rel(paths):
            return [str(p) for p in paths]

        return json.dumps({"train": rel(self.train), "val": rel(self.val), "test": rel(self.test)}, indent=1)

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "the split file") -> "Split":
        """The split :meth:`to_json` wrote; DatasetError naming ``source`` for any other text."""
        try:
            data = json.loads(text)
            return cls(*(list(map(Path, data[key])) for key in ("train", "val", "test")))
        except (ValueError, TypeError, KeyError) as err:
            raise DatasetError(f"{source} is not a split file written by `restorer train` "
                               f"({type(err).__name__})") from None


def split_photos(photos: list[Path], fractions=(0.64, 0.16, 0.20), seed: int = 42) -> Split:
    """Deterministic split (seed 004's 64/16/20 with seed 42): the same files always land in the same part.

    Each file's part depends on a hash of its name and the seed, so adding photos to a folder
    does not move the existing ones between train and test.
    """
    if abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError("split fractions must sum to 1")
    parts: tuple[list, list, list] = ([], [], [])
    for path in sorted(photos):
        digest = hashlib.sha1(f"{seed}:{path.name}:{path.parent.name}".encode()).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        index = 0 if u < fractions[0] else 1 if u < fractions[0] + fractions[1] else 2
        parts[index].append(path)
    return Split(*parts)


@dataclass
class Augment:
    """On-the-fly augmentation of a training crop."""

    crop: int = 128
    zoom: tuple[float, float] = (0.6, 1.0)  # crop side as a fraction of the short side
    flip: bool = True
    rotate90: float = 0.0  # probability of a 90-degree turn (seed 003); sideways skies hurt photos
    small_rotation: float = 5.0  # max degrees


def augmented_crop(image: np.ndarray, aug: Augment, rng: random.Random) -> np.ndarray:
    """A random zoomed, flipped, slightly rotated square crop of ``aug.crop`` px (uint8 RGB)."""
    height, width = image.shape[:2]
    side = max(8, int(min(height, width) * rng.uniform(*aug.zoom)))
    top = rng.randint(0, height - side)
    left = rng.randint(0, width - side)
    crop = image[top: top + side, left: left + side]
    if aug.small_rotation and rng.random() < 0.3:
        angle = rng.uniform(-aug.small_rotation, aug.small_rotation)
        matrix = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0 + abs(angle) / 45.0)
        crop = cv2.warpAffine(crop, matrix, (side, side), borderMode=cv2.BORDER_REFLECT)
    crop = cv2.resize(crop, (aug.crop, aug.crop), interpolation=cv2.INTER_AREA)
    if aug.flip and rng.random() < 0.5:
        crop = crop[:, ::-1]
    if aug.rotate90 and rng.random() < aug.rotate90:
        crop = np.rot90(crop, rng.choice([1, 3]))
    return np.ascontiguousarray(crop)


def lab_tensors(rgb8: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """uint8 RGB crop -> (L/100 (1,S,S), ab/110 (2,S,S), rgb (3,S,S)) float32."""
    rgb = rgb8.astype(np.float32) / 255.0
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2Lab)
    chw = lab.transpose(2, 0, 1)
    return chw[:1] / L_SCALE, chw[1:] / AB_SCALE, rgb.transpose(2, 0, 1).copy()


class CropDataset:
    """Map-style dataset of augmented crops; ``len`` is the epoch size (photos drawn with replacement
    when the epoch is larger than the list, so an epoch can be shorter than a pass over 20 k photos)."""

    def __init__(self, photos: list[Path], aug: Augment, epoch_size: int | None = None, seed: int = 0,
                 weights: list[float] | None = None) -> None:
        self.photos = list(photos)
        self.aug = aug
        self.epoch_size = epoch_size or len(self.photos)
        self.seed = seed
        self.cum_weights = list(itertools.accumulate(weights)) if weights else None
        self.epoch = 0

    def __len__(self) -> int:
        return self.epoch_size

    def _rng(self, index: int) -> random.Random:
        return random.Random(hash((self.seed, self.epoch, index)))

    def __getitem__(self, index: int):
        rng = self._rng(index)
        for _ in range(5):  # a file that vanished since the scan is replaced by another draw
            if self.cum_weights:
                path = rng.choices(self.photos, cum_weights=self.cum_weights)[0]
            else:
                path = self.photos[rng.randrange(len(self.photos))] if self.epoch_size != len(self.photos) \
                    else self.photos[index]
            image = read_rgb8(path)
            if image is not None and min(image.shape[:2]) >= 8:
                return lab_tensors(augmented_crop(image, self.aug, rng))
            index = rng.randrange(len(self.photos))
        raise DatasetError(f"Training photos became unreadable (last tried: {path}).")
