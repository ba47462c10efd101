"""Regression tests for batch bugs found by the reliability work: hangs and crashes."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from restorer.models.runtime import load_colorizer
from restorer.pipeline import batch
from restorer.pipeline.batch import BatchOptions, PixelBudget, colorize_batch
from tests.reliability.checks import drain
from tests.reliability.corpus import write_good_photos


def test_pixel_budget_never_deadlocks_on_rounding():
    """Float megapixels left ~1e-17 'in use' after 0.1 + 0.2 - 0.1 - 0.2, so a photo over the
    limit (a 40 MP scan) then waited forever for the budget to be empty."""
    budget = PixelBudget(30)
    budget.acquire(0.1)
    budget.acquire(0.2)
    budget.release(0.1)
    budget.release(0.2)
    assert budget.in_use == 0
    admitted = threading.Event()

    def big_scan():
        budget.acquire(40)
        admitted.set()

    thread = threading.Thread(target=big_scan, daemon=True)
    thread.start()
    assert admitted.wait(2.0), "a photo over the budget was never admitted"
    budget.release(40)


# ------------------------------------------------------------------- files that are not files


def run_with_deadline(function, seconds: float, on_timeout=None):
    """``function()`` on a thread; its result, or AssertionError if it is still running."""
    outcome = {}

    def body():
        try:
            outcome["value"] = function()
        except BaseException as err:  # noqa: BLE001 - re-raised below
            outcome["error"] = err

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if on_timeout is not None:
            on_timeout()
        thread.join(5)
        raise AssertionError(f"still running after {seconds} s (hung)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def release_fifo(fifo: Path) -> None:
    """Let a reader blocked on ``fifo`` go (it reads end-of-file), so a hung test can end."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_named_jpg_fails_instead_of_hanging(tiny_weights_dir, tmp_path):
    """Opening a FIFO blocks until someone writes to it; the batch's header peek used to."""
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    good = write_good_photos(tmp_path / "in", 2)
    colorizer = load_colorizer(None, "cpu")
    options = BatchOptions(out_dir=tmp_path / "out")
    summary = run_with_deadline(lambda: drain(colorize_batch(colorizer, [good[0], fifo, good[1]], options)),
                                30, on_timeout=lambda: release_fifo(fifo))
    assert [r.status for r in summary.results] == ["done", "failed", "done"]
    assert "not a regular file" in summary.results[1].message


def test_resume_survives_an_output_folder_it_cannot_look_into(tiny_weights_dir, tmp_path, monkeypatch):
    """With --resume, target.exists() raising (EACCES on the output folder) escaped the batch."""
    photos = write_good_photos(tmp_path / "in", 2)
    out = tmp_path / "out"
    real_exists = Path.exists

    def exists(self, *args, **kwargs):
        if out in self.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_exists(self, *args, **kwargs)

    monkeypatch.setattr(Path, "exists", exists)
    colorizer = load_colorizer(None, "cpu")
    summary = drain(colorize_batch(colorizer, photos, BatchOptions(out_dir=out, resume=True)))
    assert [r.status for r in summary.results] == ["failed", "failed"]
    assert all("permission denied" in r.message for r in summary.results)


def test_internal_errors_become_one_short_line(tiny_weights_dir, tmp_path, monkeypatch):
    photos = write_good_photos(tmp_path / "in", 2)

    def broken(*args, **kwargs):
        raise ValueError("first line\nsecond line " + "x" * 500)

    monkeypatch.setattr(batch, "colorize_loaded", broken)
    colorizer = load_colorizer(None, "cpu")
    summary = drain(colorize_batch(colorizer, photos, BatchOptions(out_dir=tmp_path / "out")))
    for result in summary.results:
        assert result.status == "failed"
        assert "\n" not in result.message and len(result.message) < 250
        assert "internal error" in result.message and "ValueError: first line second line" in result.message
