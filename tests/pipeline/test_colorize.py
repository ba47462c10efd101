"""The one colorize path: results rendered at any size, the memory fallback, saving with the naming policy."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from restorer.core.errors import ImageWriteError, RestorerError
from restorer.pipeline.colorize import (
    ColorizeSettings,
    OutputOptions,
    colorize_array,
    colorize_file,
    predict_chroma,
    render,
    save_result,
)
from restorer.pipeline.io import load_image
from restorer.pipeline.pixels import shrink
from restorer.pipeline.postprocess import Adjustments
from tests.helpers import FakeColorizer, synthetic_photo


def test_out_of_memory_retries_at_half_the_render_size_then_on_the_cpu():
    gpu = FakeColorizer("cuda:0", fits=0)
    result = predict_chroma(gpu, synthetic_photo(120, 160), ColorizeSettings(render_size=64))
    assert gpu.calls == [(48, 64), (24, 32)]  # the asked size, then half of it
    assert gpu.made["cpu"].calls == [(48, 64)]  # then the CPU at the asked size
    assert result.device == "cpu" and result.render_size == 64 and result.ab.shape[:2] == (48, 64)
    assert "on the CPU" in result.notes[-1]


def test_half_the_render_size_is_enough_when_it_fits():
    gpu = FakeColorizer("cuda:0", fits=24 * 32)
    result = predict_chroma(gpu, synthetic_photo(120, 160), ColorizeSettings(render_size=64))
    assert result.device == "cuda:0" and result.render_size == 32 and "cpu" not in gpu.made
    assert "half the render size (32 px)" in result.notes[0]


def test_out_of_memory_on_the_cpu_is_a_clear_error_not_an_internal_one():
    cpu = FakeColorizer("cpu", cpu_fits=0)
    with pytest.raises(RestorerError, match="smaller render size"):
        predict_chroma(cpu, synthetic_photo(120, 160), ColorizeSettings(render_size=64))


def test_other_errors_are_not_taken_for_running_out_of_memory():
    broken = FakeColorizer("cuda:0")
    broken.run = lambda lum, hints=None: (_ for _ in ()).throw(RuntimeError("size mismatch"))
    with pytest.raises(RuntimeError, match="size mismatch"):
        predict_chroma(broken, synthetic_photo(60, 80))


def test_a_result_renders_at_any_size_with_that_sizes_own_detail():
    image = synthetic_photo(300, 400)
    result = predict_chroma(FakeColorizer(), image, ColorizeSettings(render_size=64))
    full, small, tiny = render(result, image), render(result, shrink(image, 200)), render(result, shrink(image, 40))
    assert full.shape == image.shape and small.shape == (150, 200, 3) and tiny.shape == (30, 40, 3)
    assert np.array_equal(full, colorize_array(FakeColorizer(), image, ColorizeSettings(render_size=64)))


def test_colorize_array_applies_the_adjustments(tiny_weights_dir):
    from restorer.models.runtime import load_colorizer

    colorizer = load_colorizer("vivid", "cpu")
    image = synthetic_photo(60, 80)
    plain = colorize_array(colorizer, image)
    grey = colorize_array(colorizer, image, ColorizeSettings(adjustments=Adjustments(saturation=0.0)))
    assert not np.array_equal(plain, grey) and np.ptp(grey.astype(int), axis=2).max() <= 1


def test_the_naming_policy_refuses_numbers_or_overwrites(tmp_path):
    photo = tmp_path / "scan.png"
    Image.fromarray(synthetic_photo(40, 60)).save(photo)
    loaded = load_image(photo)
    result = predict_chroma(FakeColorizer(), loaded.pixels)
    first = save_result(result, loaded, None, OutputOptions())
    assert first == tmp_path / "scan_colorized.png"
    with pytest.raises(ImageWriteError, match="already exists"):
        save_result(result, loaded, None, OutputOptions())
    assert save_result(result, loaded, None, OutputOptions(if_exists="number")).name == "scan_colorized (2).png"
    assert save_result(result, loaded, None, OutputOptions(if_exists="overwrite")) == first
    with pytest.raises(ImageWriteError, match="original"):
        save_result(result, loaded, None, OutputOptions(if_exists="overwrite"), target=photo)
    assert colorize_file(FakeColorizer(), photo, output=OutputOptions(folder=tmp_path / "out")).is_file()


def test_the_command_line_batch_takes_the_memory_fallback_and_says_so(tmp_path):
    from restorer.core.progress import run_to_end
    from restorer.pipeline.batch import BatchOptions, colorize_batch

    photo = tmp_path / "big.png"
    Image.fromarray(synthetic_photo(120, 160)).save(photo)
    summary = run_to_end(colorize_batch(FakeColorizer("cuda:0", fits=24 * 32), [photo],
                                        BatchOptions(out_dir=tmp_path / "out")))
    assert summary.results[0].status == "done"
    assert any("half the render size" in note for note in summary.results[0].notes)
