"""The hint tool in the window: placing, recolouring, moving, undoing and deleting hints changes the
colour near the hint and nowhere else; the sidecar is written and read back; export and the queue
use it. The installed default model is a network that follows hints exactly (tests/hint_network.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from restorer.gui.session import DONE
from restorer.pipeline.color import rgb_to_lab, to_float01
from restorer.pipeline.hints import load_sidecar, save_sidecar, sidecar_path
from restorer.pipeline.inference import ColorHint

BLUE = "#3050d0"  # the photo keeps its lightness: a bright sky clips the blue to b ~ -30
NEAR, FAR = (0.3, 0.4), (0.85, 0.85)


@pytest.fixture
def hint_window(hint_model, window, qtbot):
    qtbot.waitUntil(lambda: window.picker.loaded, timeout=20000)
    assert window.picker.model_name() == hint_model
    return window


def chroma(rgb: np.ndarray, at: tuple[float, float]) -> np.ndarray:
    """Mean Lab (a, b) of a 5 x 5 patch of ``rgb`` at fractions ``at``."""
    rows, cols = rgb.shape[:2]
    row, col = int(at[1] * (rows - 1)), int(at[0] * (cols - 1))
    patch = rgb[max(0, row - 2): row + 3, max(0, col - 2): col + 3]
    return rgb_to_lab(to_float01(np.ascontiguousarray(patch)))[..., 1:].reshape(-1, 2).mean(axis=0)


def shown(window, at) -> np.ndarray:
    return chroma(window.compare.after_array(), at)


def colorize_one(window, qtbot, path):
    window.add_paths([path])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) == 1 and window.compare.has_result, timeout=30000)
    return window.session.queue.items()[0]


def click(window, at, button=Qt.MouseButton.LeftButton):
    point = window.compare.widget_points(*at)[-1].toPoint()
    QTest.mouseClick(window.compare, button, Qt.KeyboardModifier.NoModifier, point)


def settle(window, qtbot, condition):
    qtbot.waitUntil(lambda: not window.hints.previewer.busy and condition(), timeout=20000)


def test_placing_recolouring_moving_undoing_and_deleting_a_hint(hint_window, qtbot, tmp_path, write_photo):
    window = hint_window
    photo = write_photo(tmp_path / "in" / "scan.png", 120, 160)
    item = colorize_one(window, qtbot, photo)
    assert np.abs(shown(window, NEAR)).max() < 2  # no hints: this network leaves the photo grey
    window.hint_panel.toggle.setChecked(True)

    click(window, NEAR)
    assert len(window.hints.edits.hints) == 1 and load_sidecar(photo)[0].x == pytest.approx(NEAR[0], abs=0.02)
    window.hint_panel.colour_chosen.emit(BLUE)
    settle(window, qtbot, lambda: shown(window, NEAR)[1] < -15)
    assert np.abs(shown(window, FAR)).max() < 2  # far from the hint nothing changed
    assert load_sidecar(photo)[0].color == BLUE

    window.hint_panel.undo_requested.emit()  # back to the colour the photo had there: grey
    settle(window, qtbot, lambda: np.abs(shown(window, NEAR)).max() < 3)
    window.hint_panel.redo_requested.emit()
    settle(window, qtbot, lambda: shown(window, NEAR)[1] < -15)

    start = window.compare.widget_points(*NEAR)[-1].toPoint()
    end = window.compare.widget_points(*FAR)[-1].toPoint()
    QTest.mousePress(window.compare, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(window.compare, end)
    QTest.mouseRelease(window.compare, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    settle(window, qtbot, lambda: shown(window, FAR)[1] < -15 and np.abs(shown(window, NEAR)).max() < 3)
    window.hint_panel.undo_requested.emit()  # the whole drag is one step
    settle(window, qtbot, lambda: shown(window, NEAR)[1] < -15)

    window.compare.setFocus()
    QTest.keyClick(window.compare, Qt.Key.Key_Delete)
    settle(window, qtbot, lambda: np.abs(shown(window, NEAR)).max() < 3)
    assert window.hints.edits.hints == () and not sidecar_path(photo).exists()
    assert item.result is not None


def test_suggestions_fill_the_swatches_and_pick_the_colour(hint_window, qtbot, tmp_path, write_photo):
    from restorer.models.runtime import load_colorizer
    from restorer.pipeline.suggest import suggest_colours

    window = hint_window
    photo = write_photo(tmp_path / "in" / "scan.png", 120, 160)
    neighbour = ColorHint(0.4, 0.5, 20.0, -60.0, 0.005, BLUE)
    save_sidecar(photo, [neighbour])
    item = colorize_one(window, qtbot, photo)
    window.hint_panel.toggle.setChecked(True)
    click(window, NEAR)
    swatches = window.hint_panel.swatches
    qtbot.waitUntil(lambda: swatches[-1].isEnabled(), timeout=20000)
    placed = window.hints.edits.hints[-1]
    assert len(window.hints.edits.hints) == 2 and window.hints.edits.selected == 1
    expected = suggest_colours(load_colorizer(window.picker.model_name(), "cpu"),
                               window.display.previews.cached(item.id).original, placed.x, placed.y, (neighbour,),
                               render_size=window.picker.render_size())
    assert [swatch.property("colour") for swatch in swatches] == [s.color for s in expected]
    assert expected[0].b < -20  # the neighbour's blue is what this network finds most likely here
    swatches[0].click()
    assert window.hints.edits.hints[-1].color == expected[0].color


def test_hints_are_reloaded_with_their_photo_and_a_broken_sidecar_is_left_alone(hint_window, qtbot, tmp_path,
                                                                                write_photo):
    window = hint_window
    first, second = (write_photo(tmp_path / "in" / f"p{i}.png", 120, 160, seed=i) for i in range(2))
    saved = (ColorHint(0.3, 0.4, 20.0, -60.0, 0.03, BLUE),)
    save_sidecar(first, saved)
    sidecar_path(second).write_text("{not json")
    window.add_paths([first, second])
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)
    ids = [item.id for item in window.session.queue.items()]
    window.session.select(ids[0])
    qtbot.waitUntil(lambda: window.hints.item_id == ids[0], timeout=10000)
    assert window.hints.edits.hints == load_sidecar(first)
    window.session.select(ids[1])
    qtbot.waitUntil(lambda: window.hints.item_id == ids[1], timeout=10000)
    assert window.hints.edits.hints == () and not window.hint_panel.toggle.isEnabled()
    assert "not valid JSON" in window.message_bar.text()
    assert sidecar_path(second).read_text() == "{not json"  # never overwritten
    window.session.select(ids[0])
    qtbot.waitUntil(lambda: window.hints.item_id == ids[0], timeout=10000)
    assert [h.color for h in window.hints.edits.hints] == [BLUE] and window.hint_panel.toggle.isEnabled()


def test_the_queue_and_export_use_the_hints(hint_window, qtbot, tmp_path, write_photo):
    window = hint_window
    photo = write_photo(tmp_path / "in" / "scan.png", 120, 160)
    sidecar_path(photo).write_text(json.dumps({"hints": [{"x": NEAR[0], "y": NEAR[1], "color": BLUE,
                                                          "radius": 0.03}]}))
    colorize_one(window, qtbot, photo)
    assert shown(window, NEAR)[1] < -15 and np.abs(shown(window, FAR)).max() < 2
    window.hint_panel.toggle.setChecked(True)
    click(window, FAR)
    window.hint_panel.colour_chosen.emit("#ff2000")
    settle(window, qtbot, lambda: shown(window, FAR)[0] > 15)
    with qtbot.waitSignal(window.exporter.finished, timeout=20000):
        assert window.export_all(tmp_path / "export") == 1
    exported = np.asarray(Image.open(tmp_path / "export" / "scan_colorized.png").convert("RGB"))
    assert chroma(exported, NEAR)[1] < -15 and chroma(exported, FAR)[0] > 15
