"""Live, non-destructive adjustments on the preview; per-control and full reset; apply to the batch."""

from __future__ import annotations

import numpy as np
import pytest

from restorer.gui.session import DONE
from restorer.pipeline.colorize import ChromaResult
from restorer.pipeline.color import rgb_to_lab, to_float01


def lab(rgb: np.ndarray) -> np.ndarray:
    return rgb_to_lab(to_float01(rgb))


@pytest.fixture
def shown(window, qtbot, tmp_path, write_photo):
    """Two queued photos; the first marked colorized (a constant warm chroma) and on screen."""
    photos = [write_photo(tmp_path / f"p{i}.png", seed=i) for i in range(2)]
    window.add_paths(photos)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)
    item = window.session.queue.items()[0]
    ab = np.zeros((30, 40, 2), np.float32)
    ab[..., 0], ab[..., 1] = 12.0, 28.0
    item.result = ChromaResult(ab, (80, 60), "test", "cpu", 40)
    window.session.queue.set_status(item.id, DONE)
    window.display.show(item.id)
    qtbot.waitUntil(lambda: window.compare.has_result, timeout=5000)
    return item


def wait_for_new_after(window, qtbot, old: np.ndarray) -> np.ndarray:
    qtbot.waitUntil(lambda: not np.array_equal(window.compare.after_array(), old), timeout=5000)
    return window.compare.after_array().copy()


def test_adjustments_change_the_preview_and_reset_restores_it(window, qtbot, shown):
    base = window.compare.after_array().copy()
    base_lab = lab(base)
    panel = window.adjust

    panel.set_value("brightness", 0.3)
    brighter = wait_for_new_after(window, qtbot, base)
    assert lab(brighter)[..., 0].mean() > base_lab[..., 0].mean() + 10

    panel.set_value("saturation", 0.0)
    grey = wait_for_new_after(window, qtbot, brighter)
    assert np.abs(lab(grey)[..., 1:]).max() < 1.5  # no colour left
    assert shown.adjustments.saturation == 0.0 and shown.adjustments.brightness == pytest.approx(0.3)

    panel.reset("saturation")  # one control back: colour returns, brightness stays
    coloured = wait_for_new_after(window, qtbot, grey)
    assert np.abs(lab(coloured)[..., 1:]).mean() > 5
    assert lab(coloured)[..., 0].mean() > base_lab[..., 0].mean() + 10

    panel.reset_all()
    restored = wait_for_new_after(window, qtbot, coloured)
    assert np.array_equal(restored, base)
    assert shown.adjustments.is_neutral
    assert shown.result.ab[0, 0, 1] == 28.0  # the network's result itself was never touched


def test_controls_are_debounced_into_one_update(window, qtbot, shown):
    emitted = []
    window.adjust.changed.connect(emitted.append)
    for value in (0.1, 0.2, 0.3, 0.4):
        window.adjust.set_value("contrast", 1.0 + value)
    qtbot.waitUntil(lambda: len(emitted) == 1, timeout=3000)
    qtbot.wait(250)
    assert len(emitted) == 1 and emitted[0].contrast == pytest.approx(1.4)


def test_equalization_and_temperature(window, qtbot, shown):
    base = window.compare.after_array().copy()
    window.adjust.set_value("temperature", 1.0)
    warm = wait_for_new_after(window, qtbot, base)
    assert lab(warm)[..., 2].mean() > lab(base)[..., 2].mean() + 15  # b (yellow) up
    window.adjust.reset("temperature")
    window.adjust.set_value("equalize", "global")
    equalized = wait_for_new_after(window, qtbot, warm)
    spread = np.ptp(lab(equalized)[..., 0])
    assert spread > np.ptp(lab(base)[..., 0]) + 5  # tones stretched over the full range


def test_apply_to_whole_batch(window, qtbot, shown):
    window.adjust.set_value("saturation", 1.5)
    window.adjust.flush()
    window.adjust.apply_to_batch.emit(window.adjust.adjustments())
    assert all(item.adjustments.saturation == 1.5 for item in window.session.queue.items())
    assert window.settings.adjustments()["saturation"] == 1.5


def test_reference_photo_pulls_the_colours_towards_it(window, qtbot, shown, tmp_path):
    from PIL import Image

    blue = np.zeros((40, 40, 3), np.uint8)
    blue[..., 2] = 220
    blue[::2, ..., 1] = 90
    Image.fromarray(blue).save(tmp_path / "blue sea.png")
    base = window.compare.after_array().copy()

    window.adjust.load_reference_file(tmp_path / "blue sea.png")
    transferred = wait_for_new_after(window, qtbot, base)
    assert lab(transferred)[..., 2].mean() < lab(base)[..., 2].mean() - 20  # b moved towards blue
    assert shown.adjustments.reference_path == str(tmp_path / "blue sea.png")
    assert window.adjust.reference_label.text() == "blue sea.png"

    window.adjust.clear_reference()
    assert np.array_equal(wait_for_new_after(window, qtbot, transferred), base)
