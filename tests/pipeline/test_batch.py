"""The batch pipeline: order, failures isolated, cancel, resume and the memory budget."""

from __future__ import annotations

import threading
import time

import pytest

from restorer.core.progress import CancelToken
from restorer.models.runtime import load_colorizer
from restorer.pipeline import batch
from restorer.pipeline.batch import BatchOptions, PixelBudget, colorize_batch, colorize_file
from restorer.training.data import run_to_end


@pytest.fixture
def colorizer(tiny_weights_dir):
    return load_colorizer("vivid", "cpu")


def test_results_come_in_input_order_and_failures_do_not_stop_the_batch(colorizer, photo_folder, tmp_path):
    paths = sorted(photo_folder.rglob("*.jpg"))
    bad = photo_folder / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    paths.insert(3, bad)
    summary = run_to_end(colorize_batch(colorizer, paths, BatchOptions(out_dir=tmp_path / "out")))
    assert [r.source for r in summary.results] == paths
    assert [r.status for r in summary.results].count("failed") == 1
    assert summary.results[3].status == "failed" and "\n" not in summary.results[3].message
    assert len(list((tmp_path / "out").iterdir())) == len(paths) - 1


def test_cancel_stops_promptly_and_leaves_only_complete_outputs(colorizer, photo_folder, tmp_path):
    paths = sorted(photo_folder.rglob("*.jpg")) * 10
    cancel = CancelToken()
    out = tmp_path / "out"
    generator = colorize_batch(colorizer, paths, BatchOptions(out_dir=out, overwrite=True), cancel)
    next(generator)
    cancel.cancel()
    started = time.monotonic()
    summary = run_to_end(generator)
    assert time.monotonic() - started < 1.0
    assert summary.cancelled and len(summary.results) < len(paths)
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_colorize_file_resume_skips_existing_output(colorizer, photo_folder, tmp_path):
    photo = next(photo_folder.glob("*.jpg"))
    first = colorize_file(colorizer, photo, BatchOptions(out_dir=tmp_path))
    again = colorize_file(colorizer, photo, BatchOptions(out_dir=tmp_path, resume=True))
    refused = colorize_file(colorizer, photo, BatchOptions(out_dir=tmp_path))
    assert first.status == "done" and again.status == "skipped" and refused.status == "failed"


def test_pixel_budget_admits_one_big_photo_but_never_two_over_the_limit():
    budget = PixelBudget(10)
    budget.acquire(25)  # alone: admitted although over the limit
    admitted = threading.Event()

    def second():
        budget.acquire(2)
        admitted.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not admitted.wait(0.2)
    budget.release(25)
    assert admitted.wait(1.0)
    thread.join()
    assert budget.in_use == 2


def test_workers_run_photos_concurrently(colorizer, photo_folder, tmp_path, monkeypatch):
    active, peak = [0], [0]
    lock = threading.Lock()
    original = batch.colorize_loaded

    def tracking(*args):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        try:
            return original(*args)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(batch, "colorize_loaded", tracking)
    paths = sorted(photo_folder.rglob("*.jpg"))
    run_to_end(colorize_batch(colorizer, paths, BatchOptions(out_dir=tmp_path), workers=2))
    assert peak[0] == 2


def test_out_dir_mirrors_the_sub_folders_of_a_chosen_folder(colorizer, tmp_path):
    from PIL import Image

    from tests.helpers import synthetic_photo

    for year in ("1950", "1951"):
        (tmp_path / "album" / year).mkdir(parents=True)
        Image.fromarray(synthetic_photo(40, 40)).save(tmp_path / "album" / year / "img001.jpg")
    paths = sorted((tmp_path / "album").rglob("*.jpg"))
    options = BatchOptions(out_dir=tmp_path / "out", source_roots=(tmp_path / "album",))
    summary = run_to_end(colorize_batch(colorizer, paths, options))
    assert [r.status for r in summary.results] == ["done", "done"]
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.jpg")) == \
        ["1950/img001_colorized.jpg", "1951/img001_colorized.jpg"]


def test_torch_threads_are_shared_between_workers_and_restored(colorizer, photo_folder, tmp_path):
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(4)
    try:
        seen = [torch.get_num_threads() for _ in colorize_batch(colorizer, sorted(photo_folder.rglob("photo_*.jpg")),
                                                                   BatchOptions(out_dir=tmp_path), workers=2)]
        assert seen and set(seen) == {2}  # 4 threads, 2 workers: 2 each while the batch runs
        assert torch.get_num_threads() == 4
    finally:
        torch.set_num_threads(before)


def test_an_existing_output_fails_its_photo_before_the_network_runs(colorizer, photo_folder, tmp_path, monkeypatch):
    photo = next(photo_folder.glob("*.jpg"))
    options = BatchOptions(out_dir=tmp_path)
    first = colorize_file(colorizer, photo, options)
    assert batch.existing_outputs([photo], options) == [first.output]
    monkeypatch.setattr(batch, "colorize_loaded", lambda *a: pytest.fail("computed a photo it cannot save"))
    again = colorize_file(colorizer, photo, options)
    assert again.status == "failed" and "already exists" in again.message
