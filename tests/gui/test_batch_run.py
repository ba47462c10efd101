"""Running the queue with a small real model: colour outputs on disk, export, cancel."""

from __future__ import annotations

import hashlib
import time

import numpy as np
from PIL import Image

from restorer.gui.session import DONE, QUEUED, RUNNING
from restorer.pipeline.color import rgb_to_lab, to_float01


def mean_chroma(path) -> float:
    lab = rgb_to_lab(to_float01(np.asarray(Image.open(path).convert("RGB"))))
    return float(np.hypot(lab[..., 1], lab[..., 2]).mean())


def queue_photos(window, qtbot, paths):
    window.add_paths(paths)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(paths), timeout=5000)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_running_the_queue_auto_saves_colour_photos(ready_window, qtbot, tmp_path, write_photo):
    window = ready_window
    photos = [write_photo(tmp_path / "in" / f"scan{i}.png", seed=i) for i in range(3)]
    originals = {p: digest(p) for p in photos}
    out = tmp_path / "out"
    window.output.set_folder(out)
    window.output.auto_save.setChecked(True)
    queue_photos(window, qtbot, photos)

    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) == 3 and not window.session.running, timeout=30000)

    for photo in photos:
        result = out / f"{photo.stem}_colorized.png"
        assert result.is_file()
        assert mean_chroma(photo) < 0.5  # the inputs really are grey...
        assert mean_chroma(result) > 0.5  # ...and the outputs are not
        assert Image.open(result).size == Image.open(photo).size
        assert digest(photo) == originals[photo]  # originals untouched
    assert "Batch finished: 3 photos colorized" in window.message_bar.text()
    assert window.compare.has_result  # the view followed the batch: the latest result is on screen
    last = window.session.queue.items()[-1]
    assert window.display.item_id == last.id and window.queue_panel.current_id() == last.id
    assert window.model_status.text().startswith("Model: vivid on cpu")


def test_export_all_writes_new_files_and_never_overwrites(ready_window, qtbot, tmp_path, write_photo):
    window = ready_window
    photos = [write_photo(tmp_path / "in" / f"p{i}.jpg", seed=i) for i in range(2)]
    queue_photos(window, qtbot, photos)
    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) == 2, timeout=30000)
    assert not list((tmp_path / "in").glob("*_colorized*"))  # nothing saved without export

    export = tmp_path / "export"
    for _ in range(2):  # exporting twice must not overwrite the first files
        with qtbot.waitSignal(window.exporter.finished, timeout=20000) as finished:
            assert window.export_all(export) == 2
        assert finished.args == [2, 0]
    names = sorted(p.name for p in export.iterdir())
    assert names == ["p0_colorized (2).jpg", "p0_colorized.jpg", "p1_colorized (2).jpg", "p1_colorized.jpg"]
    assert all(mean_chroma(export / name) > 0.5 for name in names)
    assert window.session.queue.items()[0].output is not None


def test_stop_batch_stops_within_a_second_and_run_resumes(ready_window, qtbot, tmp_path, write_photo):
    window = ready_window
    photos = [write_photo(tmp_path / "many" / f"s{i:02d}.png", height=120, width=160, seed=i % 5)
              for i in range(12)]
    queue_photos(window, qtbot, photos)
    window.run_queue()
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) >= 1, timeout=30000)

    started = time.monotonic()
    window.actions.cancel_all.trigger()
    assert not window.session.running and window.session.job is None  # the batch stops at once
    assert window.session.queue.count(RUNNING) == 0
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=1000)  # and the worker within a second
    assert time.monotonic() - started < 1.0
    assert window.session.queue.count(QUEUED) >= 1  # the rest stays queued for later
    done = window.session.queue.count(DONE)
    qtbot.wait(300)
    assert window.session.queue.count(DONE) == done  # nothing else started

    window.run_queue()  # running again finishes the rest
    qtbot.waitUntil(lambda: window.session.queue.count(DONE) == 12 and not window.session.running, timeout=30000)


def test_skip_current_goes_on_with_the_next_photo(ready_window, qtbot, tmp_path, write_photo):
    window = ready_window
    photos = [write_photo(tmp_path / "two" / f"t{i}.png", seed=i) for i in range(2)]
    queue_photos(window, qtbot, photos)
    first = window.session.queue.items()[0]
    window.session.make_job = _cancelled_first(window.session.make_job, first.id)
    window.run_queue()
    qtbot.waitUntil(lambda: not window.session.running, timeout=30000)
    assert first.status == "cancelled"
    assert window.session.queue.items()[1].status == DONE


def _cancelled_first(factory, item_id):
    """A job factory whose job for ``item_id`` is cancelled before it starts (a skip)."""

    def make(item):
        job = factory(item)
        if item.id == item_id:
            job.cancel.cancel()
        return job

    return make


def test_export_keeps_metadata_and_refuses_to_overwrite_the_original(tmp_path, write_photo):
    import pytest
    from PIL import Image

    from restorer.core.errors import ImageWriteError
    from restorer.gui.export import ExportRequest, export_one
    from restorer.pipeline.io import OutputOptions

    source = tmp_path / "family.jpg"
    exif = Image.Exif()
    exif[0x013B] = "Grandma"  # Artist
    Image.open(write_photo(tmp_path / "grey.png")).save(source, exif=exif.tobytes(), dpi=(300, 300))
    from restorer.pipeline.colorize import ChromaResult

    ab = np.zeros((30, 40, 2), np.float32)
    ab[..., 1] = 30.0
    result = ChromaResult(ab, (80, 60), "test", "cpu", 40)
    request = ExportRequest(1, source, result)

    written = export_one(request, OutputOptions(tmp_path / "out", ext=".png", if_exists="number"))
    assert written == tmp_path / "out" / "family_colorized.png"
    with Image.open(written) as saved:
        assert saved.getexif().get(0x013B) == "Grandma"
        assert round(saved.info["dpi"][0]) == 300
    assert mean_chroma(written) > 5

    with pytest.raises(ImageWriteError, match="original"):
        export_one(ExportRequest(1, source, result, target=source), OutputOptions())
