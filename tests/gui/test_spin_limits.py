"""The GUI's number fields allow exactly what the command line allows (restorer.core.ranges), and
numbers read back from the settings file are held to the same ranges."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

from restorer.core import ranges
from restorer.pipeline.postprocess.adjustments import USER_RANGES


def _limits(spin) -> tuple[float, float]:
    return spin.minimum(), spin.maximum()


def test_training_settings_use_the_shared_ranges(qtbot):
    from restorer.gui.training_settings import SettingsPage

    page = SettingsPage()
    qtbot.add_widget(page)
    assert _limits(page.epochs) == (ranges.EPOCHS.low, ranges.EPOCHS.high)
    assert _limits(page.epoch_size) == (0, ranges.EPOCH_SIZE.high)  # 0: "all training photos"
    assert _limits(page.size) == (ranges.CROP_SIZE.low, ranges.CROP_SIZE.high)
    assert _limits(page.batch) == (ranges.BATCH.low, ranges.BATCH.high)
    assert _limits(page.lr) == pytest.approx((ranges.LEARNING_RATE.low, ranges.LEARNING_RATE.high))
    assert _limits(page.minutes) == (1, ranges.MINUTES.high)  # above 0: the smallest whole minute
    assert page.lr.decimals() >= 6  # the lowest rate can be shown


def test_output_quality_and_render_size_use_the_shared_ranges(qtbot):
    from restorer.gui.model_picker import ModelPicker
    from restorer.gui.output_panel import OutputPanel

    panel, picker = OutputPanel(), ModelPicker()
    qtbot.add_widget(panel)
    qtbot.add_widget(picker)
    assert _limits(panel.quality_spin) == (ranges.QUALITY.low, ranges.QUALITY.high)
    assert _limits(picker.render_spin) == (ranges.RENDER_SIZE.low, ranges.RENDER_SIZE.high)


def test_adjustment_sliders_stay_inside_the_shared_ranges():
    from restorer.gui.adjust_panel import COLOUR, TONE

    for spec in TONE + COLOUR:
        allowed = USER_RANGES[spec.key]
        assert allowed.problem(spec.low) is None and allowed.problem(spec.high) is None, spec.key


@pytest.mark.parametrize("kind", [QSpinBox, QDoubleSpinBox])
def test_an_open_low_end_becomes_the_smallest_step_above_it(qtbot, kind):
    from restorer.gui.spin_limits import limit_spin

    spin = kind()
    qtbot.add_widget(spin)
    limit_spin(spin, ranges.GAMMA)  # above 0, up to 10
    assert spin.minimum() > 0 and ranges.GAMMA.problem(spin.minimum()) is None
    assert spin.maximum() == 10


def test_numbers_out_of_range_in_the_settings_file_fall_back_to_defaults(make_settings):
    settings = make_settings()
    settings.store.setValue("export/quality", 500)
    settings.store.setValue("model/render_size", 3)
    assert settings.export_quality() == 95 and settings.render_size() == 0
    settings.set_export_quality(80)
    settings.set_render_size(512)
    assert settings.export_quality() == 80 and settings.render_size() == 512
