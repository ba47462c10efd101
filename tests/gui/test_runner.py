"""The model runner on its own, driven by a session, with stand-in networks: memory fallback, load errors."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from restorer.gui.runner import Runner
from restorer.gui.session import CANCELLED, DONE, FAILED, QUEUED, Session
from restorer.gui.session.scan import ScanResult
from restorer.models.runtime import is_out_of_memory
from restorer.pipeline.colorize import ColorizeSettings
from tests.helpers import FakeColorizer


@pytest.fixture
def app(qtbot):
    made, loads = {}, []

    def loader(name: str, device: str):
        if name == "broken":
            raise OSError("weights file is truncated")
        loads.append((name, device))
        made[device] = FakeColorizer(device, fits=made.get("fits", 0), made=made)
        return made[device]

    session = Session()
    runner = Runner(session, loader)
    notices = []
    session.notice.connect(lambda level, text: notices.append((level, text)))
    yield SimpleNamespace(session=session, runner=runner, made=made, loads=loads, notices=notices)
    runner.shutdown()


def colorize(app, qtbot, photo, model="vivid", device="cpu", render_size=64):
    """Queue ``photo``, run the batch with these settings, and return its queue item when it ends."""
    app.session.colorize = ColorizeSettings(model, device, render_size)
    queue = app.session.queue
    item = next((i for i in queue.items() if i.path == photo), None) or app.session.add_scanned(ScanResult([photo]))[0]
    queue.set_status(item.id, QUEUED)
    app.session.start()
    qtbot.waitUntil(lambda: not app.session.running and not app.runner.busy, timeout=10000)
    return item


def test_out_of_memory_falls_back_and_the_user_is_told(qtbot, app, tmp_path, write_photo):
    item = colorize(app, qtbot, write_photo(tmp_path / "big.png", height=120, width=160), device="cuda:0")
    assert item.status == DONE and item.result.device == "cpu" and item.result.render_size == 64
    assert app.made["cuda:0"].calls == [(48, 64), (24, 32)] and app.made["cpu"].calls == [(48, 64)]
    warnings = [text for level, text in app.notices if level == "warning"]
    assert any("big.png" in text and "on the CPU" in text for text in warnings)
    assert "on the CPU" in item.message  # the photo's tooltip says so too


def test_a_model_that_cannot_load_stops_the_batch_without_blaming_the_photo(qtbot, app, tmp_path, write_photo):
    item = colorize(app, qtbot, write_photo(tmp_path / "p.png"), model="broken")
    assert item.status == QUEUED and not app.session.running
    errors = [text for level, text in app.notices if level == "error"]
    assert len(errors) == 1 and "truncated" in errors[0]


def test_an_unreadable_photo_fails_with_a_one_line_reason(qtbot, app, tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8 nope")
    item = colorize(app, qtbot, bad)
    assert item.status == FAILED and "bad.jpg" in item.message and "\n" not in item.message


def test_a_photo_skipped_before_it_starts_is_cancelled(qtbot, app, tmp_path, write_photo):
    make_job = app.session.make_job

    def skipped(item):
        job = make_job(item)
        job.cancel.cancel()
        return job

    app.session.make_job = skipped
    assert colorize(app, qtbot, write_photo(tmp_path / "p.png")).status == CANCELLED


def test_switching_model_or_device_reloads_the_network(qtbot, app, tmp_path, write_photo):
    photo = write_photo(tmp_path / "p.png")
    loaded = []
    app.session.model_loaded.connect(lambda name, device: loaded.append((name, device)))
    app.made["fits"] = 10**9  # plenty of 'GPU memory'
    for device in ["cpu", "cpu", "cuda:0", "cpu"]:
        assert colorize(app, qtbot, photo, device=device).status == DONE
    assert app.loads == loaded == [("vivid", "cpu"), ("vivid", "cuda:0"), ("vivid", "cpu")]


def test_out_of_memory_detection():
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 20 MiB"))
    assert is_out_of_memory(type("OutOfMemoryError", (RuntimeError,), {})("CUDA error"))
    assert is_out_of_memory(RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory"))
    assert not is_out_of_memory(RuntimeError("size mismatch"))
