"""Photo scanning, reproducible splits and augmented crops."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from restorer.training.data import Augment, CropDataset, augmented_crop, run_to_end, scan_photos, split_photos
from tests.helpers import synthetic_photo


def test_scan_skips_grey_corrupt_and_tiny(photo_folder):
    from PIL import Image

    (photo_folder / "broken.jpg").write_bytes(b"not a jpeg")
    Image.fromarray(synthetic_photo(20, 20)).save(photo_folder / "tiny.png")
    scan = run_to_end(scan_photos([photo_folder]))
    assert len(scan.photos) == 8
    counts = scan.skipped_counts()
    assert counts == {"grayscale (no colour to learn from)": 1, "unreadable or corrupt": 1,
                      "smaller than 32 px": 1}


def test_paired_layout_uses_colour_folder(tmp_path):
    from PIL import Image

    for sub in ("color", "gray"):
        (tmp_path / sub).mkdir()
    Image.fromarray(synthetic_photo()).save(tmp_path / "color" / "a.png")
    Image.fromarray(synthetic_photo()[..., 0]).save(tmp_path / "gray" / "a.png")
    scan = run_to_end(scan_photos([tmp_path]))
    assert scan.paired and [p.parent.name for p in scan.photos] == ["color"]


def test_split_is_reproducible_and_stable_when_photos_are_added():
    photos = [Path(f"/x/p{i}.jpg") for i in range(1000)]
    split = split_photos(photos, seed=42)
    assert split_photos(list(reversed(photos)), seed=42) == split
    assert 560 < len(split.train) < 720 and 120 < len(split.val) < 200
    bigger = split_photos(photos + [Path(f"/x/q{i}.jpg") for i in range(100)], seed=42)
    assert set(split.test) <= set(bigger.test)
    assert split_photos(photos, seed=1) != split


def test_augmented_crop_shape_and_variety():
    image = synthetic_photo(160, 200)
    aug = Augment(crop=64)
    crops = [augmented_crop(image, aug, random.Random(i)) for i in range(4)]
    assert all(c.shape == (64, 64, 3) and c.dtype == np.uint8 for c in crops)
    assert not all(np.array_equal(crops[0], c) for c in crops[1:])


def test_dataset_items_are_normalised_lab(photo_folder):
    photos = sorted(photo_folder.rglob("photo_*.jpg"))
    dataset = CropDataset(photos, Augment(crop=32), epoch_size=5)
    lum, ab, rgb = dataset[0]
    assert lum.shape == (1, 32, 32) and ab.shape == (2, 32, 32) and rgb.shape == (3, 32, 32)
    assert 0 <= lum.min() and lum.max() <= 1 and np.abs(ab).max() <= 1.2
    assert len(dataset) == 5
