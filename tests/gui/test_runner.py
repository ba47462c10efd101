"""The model-runner thread on its own, with stand-in networks: out-of-memory fallbacks, load errors."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from restorer.gui.runner import Job, ModelRunner, is_out_of_memory


class FakeColorizer:
    """Predicts a constant warm chroma; on 'cuda' runs out of memory above ``fits`` pixels."""

    spec = SimpleNamespace(output_kind="ab", accepts_hints=False)
    default_render_size = 64
    default_render_scales = (1.0,)

    def __init__(self, device: str, fits: int = 0) -> None:
        self.device = device
        self.fits = fits
        self.calls: list[tuple[int, int]] = []

    def run(self, lum, hints=None):
        self.calls.append(lum.shape[1:])
        if self.device.startswith("cuda") and lum.shape[1] * lum.shape[2] > self.fits:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        out = np.zeros(lum.shape + (2,), np.float32)
        out[..., 0], out[..., 1] = 10.0, 30.0
        return out


@pytest.fixture
def runner(qtbot):
    made = {}

    def loader(name: str, device: str):
        if name == "broken":
            raise OSError("weights file is truncated")
        made[device] = FakeColorizer(device, fits=made.get("fits", 0))
        return made[device]

    runner = ModelRunner(loader)
    runner.made = made
    yield runner
    runner.shutdown()


def test_out_of_memory_retries_at_half_size_then_on_cpu(qtbot, runner, tmp_path, write_photo):
    photo = write_photo(tmp_path / "big.png", height=120, width=160)
    notices = []
    runner.worker.notice.connect(lambda level, text: notices.append(text))
    with qtbot.waitSignal(runner.worker.finished, timeout=10000) as finished:
        runner.submit(Job(1, photo, "vivid", "cuda:0", render_size=64))
    colorized, preview = finished.args[1]
    gpu = runner.made["cuda:0"]
    assert gpu.calls == [(48, 64), (24, 32)]  # full render size, then half
    assert runner.made["cpu"].calls == [(48, 64)]  # then the CPU at the full size
    assert colorized.device == "cpu" and colorized.render_size == 64
    assert any("half the render size" in n for n in notices) and any("on the CPU" in n for n in notices)
    assert preview.colorized.shape == (120, 160, 3)
    qtbot.waitUntil(lambda: not runner.busy, timeout=2000)


def test_out_of_memory_at_full_size_only_needs_the_half_size_retry(qtbot, runner, tmp_path, write_photo):
    photo = write_photo(tmp_path / "p.png", height=120, width=160)
    runner.made["fits"] = 24 * 32
    with qtbot.waitSignal(runner.worker.finished, timeout=10000) as finished:
        runner.submit(Job(2, photo, "vivid", "cuda:0", render_size=64))
    colorized, _ = finished.args[1]
    assert colorized.render_size == 32 and colorized.device == "cuda:0"
    assert "cpu" not in runner.made


def test_a_model_that_cannot_load_is_reported_once_not_blamed_on_the_photo(qtbot, runner, tmp_path, write_photo):
    photo = write_photo(tmp_path / "p.png")
    with qtbot.waitSignal(runner.worker.model_failed, timeout=10000) as failed:
        runner.submit(Job(3, photo, "broken", "cpu"))
    assert failed.args[0] == 3 and "truncated" in failed.args[1]


def test_an_unreadable_photo_fails_with_a_one_line_reason(qtbot, runner, tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8 nope")
    with qtbot.waitSignal(runner.worker.failed, timeout=10000) as failed:
        runner.submit(Job(4, bad, "vivid", "cpu"))
    assert "bad.jpg" in failed.args[1] and "\n" not in failed.args[1]


def test_out_of_memory_detection():
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 20 MiB"))
    assert is_out_of_memory(type("OutOfMemoryError", (RuntimeError,), {})("CUDA error"))
    assert not is_out_of_memory(RuntimeError("size mismatch"))


def test_switching_model_or_device_reloads_the_network(qtbot, runner, tmp_path, write_photo):
    photo = write_photo(tmp_path / "p.png")
    loads = []
    runner.worker.model_loaded.connect(lambda name, device: loads.append((name, device)))
    for item_id, device in enumerate(["cpu", "cpu", "cuda:0", "cpu"], start=10):
        runner.made["fits"] = 10**9  # plenty of 'GPU memory'
        with qtbot.waitSignal(runner.worker.finished, timeout=10000):
            runner.submit(Job(item_id, photo, "vivid", device))
        qtbot.waitUntil(lambda: not runner.busy, timeout=2000)
    assert loads == [("vivid", "cpu"), ("vivid", "cuda:0"), ("vivid", "cpu")]
