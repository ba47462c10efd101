"""Colour hints: the JSON file and its sidecar, the hint map, suggestions, batch use."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from restorer.core.errors import HintsError
from restorer.core.progress import run_to_end
from restorer.models.runtime import load_colorizer
from restorer.pipeline.batch import BatchOptions, colorize_batch
from restorer.pipeline.hints import (hint_of_color, hint_of_lab, hints_document, lab_of_hex, load_hints, load_sidecar,
                                     parse_hints, save_hints, save_sidecar, sidecar_path)
from restorer.pipeline.colorize import ColorizeSettings
from restorer.pipeline.inference import ColorHint, hint_map
from restorer.pipeline.suggest import suggest_colours
from tests.helpers import synthetic_photo

HINTS = (hint_of_color(0.25, 0.5, "#2040FF", 0.05), hint_of_lab(0.9, 0.1, 55.0, -20.5, 0.0),
         ColorHint(0.5, 0.5, -30.0, 40.0))


def test_sidecar_is_the_photo_name_plus_hints_json(tmp_path):
    assert sidecar_path(tmp_path / "a.jpg") == tmp_path / "a.jpg.hints.json"
    assert sidecar_path(tmp_path / "a.jpg") != sidecar_path(tmp_path / "a.png")


def test_hints_round_trip_through_the_sidecar(tmp_path):
    photo = tmp_path / "scan.tif"
    assert save_sidecar(photo, HINTS) == sidecar_path(photo)
    loaded = load_sidecar(photo)
    assert [(h.x, h.y, h.a, h.b, h.radius) for h in loaded] == [(h.x, h.y, h.a, h.b, h.radius) for h in HINTS]
    assert [h.color for h in loaded[:2]] == ["#2040ff", HINTS[1].color]
    assert load_sidecar(photo) == loaded  # the second trip changes nothing
    assert [p.name for p in tmp_path.iterdir()] == ["scan.tif.hints.json"]  # no temp file left


def test_no_hints_removes_the_sidecar_and_a_photo_without_one_has_none(tmp_path):
    photo = tmp_path / "a.jpg"
    save_sidecar(photo, HINTS)
    assert save_sidecar(photo, ()) is None and not sidecar_path(photo).exists()
    assert load_sidecar(photo) == ()


def test_colour_gives_the_chroma_and_lab_wins_over_it():
    red = hint_of_color(0.5, 0.5, "#ff0000")
    assert red.a > 60 and red.b > 40 and red.color == "#ff0000"
    both = parse_hints({"hints": [{"x": 0, "y": 1, "color": "#ff0000", "lab": [50, -20, 30]}]})[0]
    assert (both.a, both.b, both.color) == (-20, 30, "#ff0000")
    lab_only = parse_hints({"hints": [{"x": 0, "y": 1, "lab": [50, -20, 30]}]})[0]
    assert lab_of_hex(lab_only.color)[1] < -10 and lab_only.radius == 0.01


def test_written_file_is_the_documented_format(tmp_path):
    data = json.loads(save_hints(tmp_path / "h.json", HINTS[:1]).read_text())
    assert data["format"] == "restorer-hints" and data["version"] == 1
    assert set(data["hints"][0]) == {"x", "y", "radius", "color", "lab"}
    assert data == hints_document(HINTS[:1])


@pytest.mark.parametrize("content, words", [
    ("{", "not valid JSON"),
    ("[]", "expected an object"),
    ('{"hints": {}}', "expected an object"),
    ('{"format": "other", "hints": []}', "not a Restorer hints file"),
    ('{"version": 9, "hints": []}', "newer"),
    ('{"hints": [3]}', "hint 1: expected an object"),
    ('{"hints": [{"x": 0.5, "y": 0.5}]}', "hint 1: needs a \"color\""),
    ('{"hints": [{"x": 1.5, "y": 0.5, "color": "#000000"}]}', "hint 1: x must be from 0 to 1"),
    ('{"hints": [{"x": 0.5, "y": "NaN", "color": "#000000"}]}', "y must be"),
    ('{"hints": [{"x": 0.5, "y": 0.5, "color": "blue"}]}', "colour must be '#rrggbb'"),
    ('{"hints": [{"x": 0.5, "y": 0.5, "color": "#000000", "radius": 2}]}', "radius must be"),
    ('{"hints": [{"x": 0.5, "y": 0.5, "lab": [50, 200, 0]}]}', "lab a must be"),
    ('{"hints": [{"x": 0.5, "y": 0.5, "lab": [50, 0]}]}', "lab must be [L, a, b]"),
])
def test_bad_files_are_one_line_errors_naming_the_file(tmp_path, content, words):
    path = tmp_path / "bad.hints.json"
    path.write_text(content)
    with pytest.raises(HintsError) as caught:
        load_hints(path)
    message = str(caught.value)
    assert words in message and str(path) in message and "\n" not in message


def test_missing_binary_and_huge_files_are_refused(tmp_path):
    with pytest.raises(HintsError, match="no such hints file"):
        load_hints(tmp_path / "none.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(HintsError, match="cannot be read"):
        load_hints(tmp_path / "bin.json")
    (tmp_path / "big.json").write_text(json.dumps({"hints": [{"x": 0, "y": 0, "color": "#000000"}] * 40000}))
    with pytest.raises(HintsError, match="too large"):
        load_hints(tmp_path / "big.json")


def test_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = save_hints(tmp_path / "h.json", HINTS)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "link", broken)
    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(HintsError, match="Cannot save the hints .*disk is full"):
        save_hints(path, HINTS[:1])
    assert path.read_bytes() == before and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("shape", [(40, 60), (120, 180)])
def test_hint_map_puts_photo_relative_hints_at_the_same_place_at_any_working_size(shape):
    hint = ColorHint(0.25, 0.75, 30.0, -40.0, 0.05)
    out = hint_map([hint], shape)
    rows, cols = np.nonzero(out[..., 2])
    assert abs(rows.mean() / (shape[0] - 1) - 0.75) < 0.03 and abs(cols.mean() / (shape[1] - 1) - 0.25) < 0.03
    assert np.all(out[rows, cols, :2] == (30.0, -40.0)) and out[..., 2].sum() == len(rows)


class PeakedColorizer:
    """A stand-in network: colour probabilities peaked at bin 3 in one cell, at bin 1 elsewhere."""

    name = "stub"
    scores_colours = True
    default_render_size = 64

    def __init__(self, cell: tuple[int, int]) -> None:
        self.cell = cell

    def colour_probabilities(self, lum, hints=None):
        h, w = lum.shape[1] // 4, lum.shape[2] // 4
        probabilities = np.full((1, h, w, 5), 0.1, np.float32)
        probabilities[0, :, :, 1] = 0.6
        probabilities[0, self.cell[0], self.cell[1]] = (0.05, 0.04, 0.08, 0.7, 0.13)
        return probabilities, np.array([[0, 0], [10, 0], [0, 10], [-20, 30], [40, 40]], np.float32)


def test_suggestions_are_the_most_probable_bins_at_the_clicked_point():
    image = np.full((48, 64), 128, np.uint8)  # working size 48 x 64: a 12 x 16 grid of cells
    stub = PeakedColorizer(cell=(9, 4))
    there = suggest_colours(stub, image, x=(4 * 4 + 1) / 63, y=(9 * 4 + 1) / 47, count=3)
    assert [(s.a, s.b) for s in there] == [(-20, 30), (40, 40), (0, 10)]
    assert there[0].probability == pytest.approx(0.7)
    assert all(s.color.startswith("#") and len(s.color) == 7 for s in there)
    elsewhere = suggest_colours(stub, image, x=0.9, y=0.1, count=2)
    assert (elsewhere[0].a, elsewhere[0].b) == (10, 0)


def test_real_suggestions_are_sorted_and_a_model_without_bins_says_so(tiny_weights_dir):
    image = synthetic_photo(60, 80)
    suggestions = suggest_colours(load_colorizer("vivid", "cpu"), image, 0.3, 0.6, count=6)
    probabilities = [s.probability for s in suggestions]
    assert len(suggestions) == 6 and probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1
    with pytest.raises(HintsError, match="does not score colours"):
        suggest_colours(load_colorizer("seed004a-dense-ae", "cpu"), image, 0.3, 0.6)


def test_a_network_that_misses_a_hint_still_shows_its_colour_where_it_was_placed(tiny_weights_dir):
    from restorer.pipeline.color import rgb_to_lab, to_float01
    from restorer.pipeline.colorize import colorize_array

    image = np.full((96, 128), 110, np.uint8)  # untrained tiny vivid: it barely reacts to hints
    image[:, 64:] = 200  # a second region, behind a clear edge
    colorizer = load_colorizer("vivid", "cpu")
    hint = ColorHint(0.25, 0.5, 10.0, -45.0)
    plain, hinted = (rgb_to_lab(to_float01(colorize_array(colorizer, image, ColorizeSettings("vivid", hints=hints))))
                     for hints in ((), (hint,)))
    assert np.abs(plain[48, 32, 1:] - (10.0, -45.0)).max() > 15  # the network alone misses it
    assert np.abs(hinted[48, 32, 1:] - (10.0, -45.0)).max() < 6
    assert np.abs(hinted[:, 80:, 1:] - plain[:, 80:, 1:]).mean() < 4  # the other region stays as it was


def _photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for index in range(count):
        paths.append(folder / f"p{index}.png")
        Image.fromarray(np.full((48, 64, 3), 128, np.uint8)).save(paths[-1])
    return paths


def _chroma_of(path: Path) -> np.ndarray:
    from restorer.pipeline.color import rgb_to_lab

    return rgb_to_lab(np.asarray(Image.open(path), np.float32) / 255.0)[..., 1:]


def test_batch_uses_each_photos_sidecar_and_a_broken_one_fails_that_photo_alone(hint_model, tmp_path):
    paths = _photos(tmp_path / "in", 3)
    save_sidecar(paths[0], [ColorHint(0.2, 0.2, 70.0, 60.0, 0.05)])
    sidecar_path(paths[2]).write_text("{broken")
    colorizer = load_colorizer(hint_model, "cpu")
    summary = run_to_end(colorize_batch(colorizer, paths, BatchOptions(out_dir=tmp_path / "out")))
    assert [r.status for r in summary.results] == ["done", "done", "failed"]
    assert "p2.png.hints.json: not valid JSON" in summary.results[2].message
    hinted, plain = _chroma_of(summary.results[0].output), _chroma_of(summary.results[1].output)
    difference = np.abs(hinted - plain).max(axis=2)  # the same grey photo: coloured where hinted only
    assert difference[8:11, 11:14].min() > 30 and difference[-8:, -12:].max() < 1
    ignored = run_to_end(colorize_batch(colorizer, paths[:1], BatchOptions(
        out_dir=tmp_path / "out2", sidecar_hints=False)))
    assert np.array_equal(_chroma_of(ignored.results[0].output), plain)


def test_given_hints_win_over_the_sidecar(hint_model, tmp_path):
    paths = _photos(tmp_path / "in", 1)
    save_sidecar(paths[0], [ColorHint(0.5, 0.5, 70.0, 60.0, 0.05)])
    given = ColorizeSettings(hints=(ColorHint(0.5, 0.5, -50.0, 10.0, 0.05),))
    result = run_to_end(colorize_batch(load_colorizer(hint_model, "cpu"), paths,
                                       BatchOptions(out_dir=tmp_path / "a", settings=given)))
    a, b = _chroma_of(result.results[0].output)[24, 32]
    assert a < -30 and abs(b - 10) < 10


def test_a_model_without_hint_inputs_notes_the_unused_sidecar(tiny_weights_dir, tmp_path):
    paths = _photos(tmp_path / "in", 1)
    save_sidecar(paths[0], [ColorHint(0.5, 0.5, 70.0, 60.0, 0.2)])
    plain = run_to_end(colorize_batch(load_colorizer("seed004a-dense-ae", "cpu"), paths,
                                      BatchOptions(out_dir=tmp_path / "b")))
    assert plain.results[0].status == "done"
    assert any("colour hint(s) were not used: seed004a-dense-ae takes no colour hints" in n
               for n in plain.results[0].notes)
