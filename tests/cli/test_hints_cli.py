"""`restorer colorize --hints`, the photos' hint sidecars, and `restorer evaluate --hints`."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

from restorer.cli.main import main
from restorer.pipeline.color import rgb_to_lab
from restorer.pipeline.hints import sidecar_path

BLUE_HINT = {"hints": [{"x": 0.5, "y": 0.5, "color": "#1040ff", "radius": 0.05}]}


def _grey(path, height: int = 48, width: int = 64):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((height, width, 3), 120, np.uint8)).save(path)
    return path


def _centre_chroma(path) -> np.ndarray:
    lab = rgb_to_lab(np.asarray(Image.open(path), np.float32) / 255.0)
    return lab[lab.shape[0] // 2, lab.shape[1] // 2, 1:]


def test_hints_file_colours_the_photo_where_it_says(hint_model, tmp_path, capsys):
    photo = _grey(tmp_path / "in" / "a.png")
    (tmp_path / "h.json").write_text(json.dumps(BLUE_HINT))
    assert main(["colorize", str(photo), "-o", str(tmp_path / "plain")]) == 0
    assert main(["colorize", str(photo), "--hints", str(tmp_path / "h.json"), "-o", str(tmp_path / "hinted")]) == 0
    assert np.abs(_centre_chroma(tmp_path / "plain" / "a_colorized.png")).max() < 1
    a, b = _centre_chroma(tmp_path / "hinted" / "a_colorized.png")
    assert b < -40  # blue


def test_folders_use_each_photos_sidecar_unless_told_not_to(hint_model, tmp_path, capsys):
    hinted, plain = _grey(tmp_path / "in" / "sub" / "a.png"), _grey(tmp_path / "in" / "b.png")
    sidecar_path(hinted).write_text(json.dumps(BLUE_HINT))
    assert main(["colorize", str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 0
    assert "2 colorized" in capsys.readouterr().out  # the sidecar is not taken for a photo
    assert _centre_chroma(tmp_path / "out" / "sub" / "a_colorized.png")[1] < -40
    assert np.abs(_centre_chroma(tmp_path / "out" / "b_colorized.png")).max() < 1
    assert main(["colorize", str(hinted), "--no-hints", "-o", str(tmp_path / "ignored")]) == 0
    assert np.abs(_centre_chroma(tmp_path / "ignored" / "a_colorized.png")).max() < 1


def test_a_bad_hints_file_stops_before_any_photo_in_one_line(hint_model, tmp_path, capsys):
    photo = _grey(tmp_path / "a.png")
    (tmp_path / "h.json").write_text('{"hints": [{"x": 0.5, "y": 3, "color": "#1040ff"}]}')
    assert main(["colorize", str(photo), "--hints", str(tmp_path / "h.json"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "h.json: hint 1: y must be from 0 to 1" in err
    assert not (tmp_path / "out").exists()


def test_a_model_without_hint_inputs_refuses_the_hints_before_computing(tiny_weights_dir, tmp_path, capsys):
    photo = _grey(tmp_path / "a.png")
    (tmp_path / "h.json").write_text(json.dumps(BLUE_HINT))
    code = main(["colorize", str(photo), "--model", "seed004a-dense-ae", "--hints", str(tmp_path / "h.json"),
                 "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "seed004a-dense-ae takes no colour hints" in err and "vivid" in err
    assert not (tmp_path / "out").exists()


def test_a_broken_sidecar_fails_its_photo_alone(hint_model, tmp_path, capsys):
    bad, good = _grey(tmp_path / "in" / "a.png"), _grey(tmp_path / "in" / "b.png")
    sidecar_path(bad).write_text("{")
    assert main(["colorize", str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "1 colorized" in out and "a.png.hints.json: not valid JSON" in out
    assert (tmp_path / "out" / "b_colorized.png").exists() and not (tmp_path / "out" / "a_colorized.png").exists()


def test_evaluate_draws_the_hint_curve(hint_model, photo_folder, capsys):
    assert main(["evaluate", str(photo_folder), "--models", hint_model, "--size", "64", "--hints", "2,8",
                 "--markdown"]) == 0
    out = capsys.readouterr().out
    rows = {line.split("|")[1].strip(): line for line in out.splitlines() if line.startswith(f"| {hint_model}")}
    assert set(rows) == {f"{hint_model}, 0 hints", f"{hint_model}, 2 hints", f"{hint_model}, 8 hints"}
    gain = float(rows[f"{hint_model}, 8 hints"].split("|")[-3])
    assert gain > 0.3  # a network that follows hints gets closer to the true colours with them
    assert "hints: 2, 8 per photo" in out
