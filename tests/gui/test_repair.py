"""Repair damage in the GUI: the side-panel controls, the mask canvas and brush, the mask editor
(detection on a worker, before/after), and repaired grey going into the colorized result."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt

from restorer.gui.mask_canvas import MaskCanvas
from restorer.gui.repair_panel import RepairPanel
from restorer.gui.session import DONE
from restorer.gui.session.repair import RepairState
from restorer.training.damage import DamageConfig, damage_photo
from tests.gui.conftest import grey_photo
from tests.helpers import save_tiny_detector


@pytest.fixture
def tiny_detector_model(tiny_model):
    """The tiny flagship plus a tiny random damage detector in the 'bundled' folder."""
    return save_tiny_detector(tiny_model)


def scratched_photo(path, seed=0):
    grey = grey_photo(90, 120, seed)[..., 0]
    damaged = damage_photo(grey, seed, DamageConfig(clean_chance=0.0).local_only())
    Image.fromarray(np.round(damaged.image * 255).astype(np.uint8)).save(path)
    return path


def test_panel_writes_the_state_and_follows_it(qtbot):
    state = RepairState()
    panel = RepairPanel(state)
    qtbot.addWidget(panel)
    assert not panel.sensitivity.isEnabled()
    panel.enabled_box.setChecked(True)
    panel.sensitivity.setValue(0.8)
    assert state.enabled and state.options.sensitivity == 0.8 and panel.sensitivity.isEnabled()
    state.set_options(strength=0.4)
    state.set_mask(3, np.ones((4, 4), bool))
    assert panel.strength.value() == pytest.approx(0.4) and "1 photo" in panel.mask_note.text()
    state.set_enabled(False)
    assert not panel.enabled_box.isChecked()


def test_brush_adds_erases_and_right_button_always_erases(qtbot):
    canvas = MaskCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 300)
    canvas.show()
    detected = np.zeros((60, 80), bool)
    detected[10:20, 10:20] = True
    canvas.set_image(np.full((60, 80), 128, np.uint8), detected)
    canvas.brush_radius = 2
    canvas.paint_segment(QPointF(40, 40), QPointF(60, 40), erase=False)
    assert canvas.mask()[40, 50] and canvas.mask()[15, 15]
    canvas.paint_segment(QPointF(15, 15), QPointF(15, 15), erase=True)
    assert not canvas.mask()[15, 15] and canvas.mask()[11, 11]
    centre = canvas.image_rect().center()
    with qtbot.waitSignal(canvas.edited):
        qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=QPoint(int(centre.x()), int(centre.y())))
    assert not canvas.mask()[30, 40]
    canvas.reset_edits()
    assert np.array_equal(canvas.mask(), detected)


def test_the_overlay_is_visible_in_red(qtbot):
    canvas = MaskCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(160, 120)
    canvas.show()
    canvas.set_image(np.full((60, 80), 128, np.uint8), np.ones((60, 80), bool))
    colour = canvas.grab().toImage().pixelColor(80, 60)
    assert colour.red() > colour.green() + 50
    canvas.set_show_overlay(False)
    colour = canvas.grab().toImage().pixelColor(80, 60)
    assert abs(colour.red() - colour.green()) < 5


def test_editor_detects_on_a_worker_paints_and_shows_before_after(tiny_detector_model, qtbot, tmp_path):
    from restorer.gui.repair_dialog import COMPARE_TAB, RepairDialog
    from restorer.pipeline.repair_options import RepairOptions

    photo = scratched_photo(tmp_path / "scan.png")
    dialog = RepairDialog(photo, RepairOptions())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.use_button.isEnabled(), timeout=20000)
    assert dialog.canvas.detected.shape == (90, 120)
    dialog.canvas.set_detected(np.zeros((90, 120), bool))  # a random tiny detector finds nothing useful
    dialog.canvas.paint_segment(QPointF(5, 30), QPointF(100, 30), erase=False)
    mask = dialog.full_mask()
    assert mask.shape == (90, 120) and mask[30, 50] and not mask[60, 50]
    dialog.tabs.setCurrentIndex(COMPARE_TAB)
    qtbot.waitUntil(lambda: dialog.compare.has_result, timeout=20000)
    before, after = np.asarray(Image.open(photo)), dialog.compare.after_array()[..., 0]
    assert np.abs(after[30].astype(int) - before[30]).sum() > 0  # the painted row was repaired...
    assert np.array_equal(after[60], before[60])  # ...and nothing else
    dialog.reject()


def colorized_with_mask(window, qtbot, tmp_path, mask):
    """A scratched photo queued, repaired with ``mask`` (repair switched on in the panel) and colorized."""
    qtbot.waitUntil(lambda: window.picker.loaded, timeout=20000)
    photo = scratched_photo(tmp_path / "scan.png")
    window.add_paths([photo])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    item = window.session.queue.items()[0]
    window.repair_panel.enabled_box.setChecked(True)
    window.session.repair.set_mask(item.id, mask)
    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) == 1 and not window.session.running, timeout=30000)
    return photo, item


def test_a_batch_with_repair_on_repairs_before_colour(tiny_detector_model, window, qtbot, tmp_path):
    mask = np.zeros((90, 120), bool)
    mask[40:50] = True
    photo, item = colorized_with_mask(window, qtbot, tmp_path, mask)
    assert np.array_equal(window.session.queue.item(item.id).result.repair.mask, mask)
    original = np.asarray(Image.open(photo))
    qtbot.waitUntil(lambda: window.compare.has_result, timeout=10000)
    from restorer.pipeline.color import luminance

    change = np.abs(luminance(window.compare.after_array()) - luminance(original)).mean(axis=1)  # per row
    assert change[40:50].mean() > 3 * change[:30].mean()  # colour clipping alone moves L a little


def test_saving_repeats_the_repair_the_photo_was_colorized_with(tiny_detector_model, window, qtbot, tmp_path):
    mask = np.zeros((90, 120), bool)
    mask[:, 50:60] = True
    photo, _ = colorized_with_mask(window, qtbot, tmp_path, mask)
    window.session.repair.set_enabled(False)  # a later change does not alter what was colorized
    with qtbot.waitSignal(window.exporter.finished, timeout=20000):
        assert window.export_all(tmp_path / "out") == 1
    from restorer.pipeline.color import luminance

    saved = np.asarray(Image.open(tmp_path / "out" / "scan_colorized.png").convert("RGB"))
    change = np.abs(luminance(saved) - luminance(np.asarray(Image.open(photo)))).mean(axis=0)  # per column
    assert change[50:60].mean() > 3 * change[:40].mean()


def test_edit_button_needs_a_photo_and_the_editor_result_reaches_the_session(tiny_detector_model, window, qtbot,
                                                                             tmp_path):
    from restorer.gui.repair_dialog import open_repair_editor

    assert open_repair_editor(window) is None
    assert not window.repair_panel.edit_button.isEnabled()
    photo = scratched_photo(tmp_path / "scan.png")
    window.add_paths([photo])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    item = window.session.queue.items()[0]
    window.session.select(item.id)
    assert window.repair_panel.edit_button.isEnabled()
    dialog = open_repair_editor(window)
    qtbot.waitUntil(lambda: dialog.use_button.isEnabled(), timeout=20000)
    dialog.accept()
    assert window.session.repair.mask_of(item.id).shape == (90, 120)
    assert window.session.repair.enabled and window.repair_panel.enabled_box.isChecked()
    window.session.remove([item.id])
    assert window.session.repair.mask_of(item.id) is None


def test_repair_settings_come_back_next_time(make_settings, qtbot):
    from restorer.gui.main_window import MainWindow

    first = MainWindow(make_settings())
    qtbot.addWidget(first)
    first.repair_panel.enabled_box.setChecked(True)
    first.repair_panel.sensitivity.setValue(0.7)
    first.shutdown()
    again = MainWindow(make_settings())
    qtbot.addWidget(again)
    assert again.session.repair.enabled and again.session.repair.options.sensitivity == 0.7
    assert again.repair_panel.sensitivity.value() == pytest.approx(0.7)
    again.shutdown()
