"""`restorer repair` and `restorer colorize --repair`, on photos with generated damage."""

from __future__ import annotations

import numpy as np
from PIL import Image

from restorer.cli.main import main
from restorer.training.damage import DamageConfig, damage_photo
from tests.helpers import synthetic_photo


def damaged_folder(tmp_path, count=3):
    folder = tmp_path / "scans"
    folder.mkdir()
    for index in range(count):
        grey = synthetic_photo(70, 90, seed=index)[..., 1]
        damaged = damage_photo(grey, index, DamageConfig(clean_chance=0.0).local_only())
        Image.fromarray(np.round(damaged.image * 255).astype(np.uint8)).save(folder / f"scan_{index}.png")
    return folder


def test_repair_writes_grey_outputs_and_leaves_originals(tiny_detector, tmp_path, capsys):
    folder = damaged_folder(tmp_path)
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert main(["repair", str(folder), "-o", str(tmp_path / "out"), "--repair-sensitivity", "0.9"]) == 0
    assert "3 repaired, 0 skipped" in capsys.readouterr().out
    outputs = sorted((tmp_path / "out").glob("*_repaired.png"))
    assert len(outputs) == 3
    pixels = np.asarray(Image.open(outputs[0]).convert("RGB")).astype(int)
    assert np.array_equal(pixels[..., 0], pixels[..., 2])  # grey out
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_repair_without_a_detector_is_a_one_line_error(tiny_weights_dir, tmp_path, capsys):
    folder = damaged_folder(tmp_path, 1)
    assert main(["repair", str(folder)]) == 2
    assert "train-detector" in capsys.readouterr().err


def test_repair_rejects_a_sensitivity_out_of_range(tiny_detector, tmp_path, capsys):
    folder = damaged_folder(tmp_path, 1)
    assert main(["repair", str(folder), "--repair-sensitivity", "3"]) == 2
    assert "argument --repair-sensitivity: must be from 0 to 1, not 3" in capsys.readouterr().err
    assert not list(folder.glob("*_repaired*"))


def test_colorize_repair_auto_changes_the_result(tiny_detector, tmp_path, capsys, monkeypatch):
    from restorer.pipeline import repair

    def rows_20_to_30(detector, lum, detect_size):  # a random tiny network marks nothing useful
        prob = np.zeros(lum.shape, np.float32)
        prob[20:30] = 1.0
        return prob

    monkeypatch.setattr(repair, "damage_probability", rows_20_to_30)
    folder = damaged_folder(tmp_path, 2)
    assert main(["colorize", str(folder), "-o", str(tmp_path / "plain")]) == 0
    assert main(["colorize", str(folder), "-o", str(tmp_path / "fixed"), "--repair", "auto",
                 "--repair-grow", "0"]) == 0
    assert "after repairing damage" in capsys.readouterr().err
    plain = np.asarray(Image.open(tmp_path / "plain" / "scan_0_colorized.png")).astype(int)
    fixed = np.asarray(Image.open(tmp_path / "fixed" / "scan_0_colorized.png")).astype(int)
    assert plain.shape == fixed.shape
    assert not np.array_equal(plain[20:30], fixed[20:30])
