"""The session's rules, driven without Qt: what runs next, what a cancel does, which photo is shown."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from restorer.gui.session import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Event, Outcome, Session
from restorer.gui.session.scan import ScanResult
from restorer.pipeline.colorize import ChromaResult, ColorizeSettings
from restorer.pipeline.postprocess import Adjustments


class Recorder:
    """Everything the session announced, by event name."""

    def __init__(self, session: Session) -> None:
        self.seen: dict[str, list] = {}
        for name in ("current_changed", "running_changed", "job_ready", "cancel_requested", "notice"):
            getattr(session, name).connect(lambda *args, n=name: self.seen.setdefault(n, []).append(args))

    def __getitem__(self, name: str) -> list:
        return self.seen.get(name, [])


@pytest.fixture
def session():
    session = Session()
    session.colorize = ColorizeSettings("vivid", "cpu", 128)
    return session


def queue_photos(session: Session, count: int) -> list:
    return session.add_scanned(ScanResult([Path(f"/album/p{i}.jpg") for i in range(count)]))


def outcome() -> Outcome:
    return Outcome(ChromaResult(np.zeros((4, 4, 2), np.float32), (8, 8), "vivid", "cpu", 128))


def test_the_session_imports_no_qt():
    code = "import sys, restorer.gui.session; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_added_photos_are_queued_with_the_batch_adjustments_and_the_first_is_shown(session):
    events = Recorder(session)
    session.batch_adjustments = Adjustments(saturation=1.3)
    items = queue_photos(session, 3)
    assert [item.status for item in items] == [QUEUED] * 3
    assert all(item.adjustments == session.batch_adjustments for item in items)
    assert items[0].adjustments is not session.batch_adjustments  # each photo its own copy
    assert session.current == items[0].id and not session.pinned
    assert events["notice"][-1] == ("info", "Added 3 photos to the queue.")
    assert session.add_scanned(ScanResult([items[0].path])) == []  # never queued twice


def test_a_job_keeps_the_settings_it_started_with(session):
    events = Recorder(session)
    item = queue_photos(session, 1)[0]
    item.adjustments = Adjustments(contrast=1.2)
    session.start()
    job = events["job_ready"][0][0]
    session.colorize = ColorizeSettings("other", "cuda", 64)  # the user changes the pickers mid-photo
    item.adjustments.contrast = 0.5
    assert job.settings.model == "vivid" and job.settings.render_size == 128
    assert job.settings.adjustments.contrast == 1.2 and item.status == RUNNING and session.running


def test_the_batch_runs_photos_in_order_and_the_view_follows_it(session):
    events = Recorder(session)
    items = queue_photos(session, 3)
    session.start()
    for expected in items:
        job = events["job_ready"][-1][0]
        assert job.item_id == expected.id
        session.job_progress(job, 0.5, "Colorizing")
        assert expected.progress == 0.5 and expected.stage == "Colorizing"
        session.job_done(job, outcome())
        assert expected.status == DONE and expected.result is not None and session.current == expected.id
    assert not session.running and events["notice"][-1] == ("success", "Batch finished: 3 photos colorized.")


def test_a_photo_the_user_picked_stays_on_screen(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    session.select(items[1].id)  # clicked by the user: pinned
    session.start()
    session.job_done(events["job_ready"][-1][0], outcome())
    assert session.current == items[1].id and session.pinned


def test_stop_batch_requeues_the_photo_and_ignores_its_late_answer(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    session.start()
    job = events["job_ready"][-1][0]
    session.cancel_all()
    assert job.cancel.cancelled and events["cancel_requested"] == [(job,)]
    assert items[0].status == QUEUED and not session.running and session.job is None
    session.start()  # the runner still has the old photo: nothing new starts yet
    assert len(events["job_ready"]) == 1
    session.job_done(job, outcome())  # its answer arrives after all: ignored, and the batch goes on
    assert items[0].status == RUNNING and events["job_ready"][-1][0].item_id == items[0].id
    assert items[0].result is None


def test_skip_cancels_one_photo_and_the_batch_goes_on(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    session.start()
    session.cancel_current()
    session.job_cancelled(events["job_ready"][-1][0])
    assert items[0].status == CANCELLED and items[1].status == RUNNING


def test_a_failure_is_reported_and_the_batch_goes_on(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    session.start()
    session.job_failed(events["job_ready"][-1][0], "the file is damaged")
    assert items[0].status == FAILED and items[0].message == "the file is damaged"
    assert ("error", "p0.jpg: the file is damaged") in events["notice"] and items[1].status == RUNNING
    assert session.retry() == 1 and items[0].status == QUEUED


def test_a_model_that_cannot_load_stops_the_batch(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    session.start()
    session.job_model_failed(events["job_ready"][-1][0], "Cannot load model 'vivid' on cpu: truncated")
    assert not session.running and items[0].status == QUEUED and items[1].status == QUEUED
    assert events["notice"][-1][0] == "error" and len(events["job_ready"]) == 1


def test_without_a_model_nothing_starts_and_the_user_is_told_why(session):
    events = Recorder(session)
    session.colorize = replace(session.colorize, model=None)
    queue_photos(session, 1)
    session.start()
    assert not session.running and not events["job_ready"]
    assert events["notice"][-1][0] == "error" and "train a model" in events["notice"][-1][1]


def test_removing_photos_cancels_the_running_one_and_clears_the_view(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    session.start()
    session.remove([items[0].id])
    assert events["cancel_requested"] and session.current is None and len(session.queue) == 1


def test_overall_progress_counts_finished_and_running_photos(session):
    events = Recorder(session)
    queue_photos(session, 4)
    session.start()
    job = events["job_ready"][-1][0]
    session.job_done(job, outcome())
    session.job_progress(events["job_ready"][-1][0], 0.5, "Colorizing")
    assert session.overall() == (1, 4, pytest.approx(1.5 / 4))


def test_adjustments_for_one_photo_or_for_all(session):
    seen = []
    session.adjustments_changed.connect(seen.append)
    items = queue_photos(session, 2)
    session.set_adjustments(items[0].id, Adjustments(gamma=1.2))
    session.apply_to_all(Adjustments(saturation=0.5))
    assert seen == [items[0].id, None]
    assert all(item.adjustments.saturation == 0.5 for item in items)
    later = session.add_scanned(ScanResult([Path("/album/later.jpg")]))[0]
    assert later.adjustments.saturation == 0.5


def test_an_event_can_be_blocked_while_a_view_syncs():
    event, calls = Event(), []
    event.connect(calls.append)
    with event.blocked():
        event.emit(1)
    event.emit(2)
    assert calls == [2]


# issue 19: re-colorizing with another model, undoing a clear, the stop and save lines ------------

def finish_all(session, events, items) -> None:
    session.start()
    for _ in items:
        job = events["job_ready"][-1][0]
        session.job_done(job, Outcome(ChromaResult(np.zeros((4, 4, 2), np.float32), (8, 8),
                                                   job.settings.model, "cpu", 128)))


def test_a_new_model_recolorizes_only_the_photo_on_screen(session):
    events = Recorder(session)
    items = queue_photos(session, 3)
    finish_all(session, events, items)
    session.select(items[1].id)
    session.colorize = ColorizeSettings("vivid2", "cpu", 128)
    assert session.outdated() == [item.id for item in items]
    notices = len(events["notice"])
    assert session.preview_current()
    job = events["job_ready"][-1][0]
    assert job.item_id == items[1].id and job.settings.model == "vivid2"
    assert items[1].result is not None  # the old result stays on screen until the new one arrives
    session.job_done(job, Outcome(ChromaResult(np.zeros((4, 4, 2), np.float32), (8, 8), "vivid2", "cpu", 128)))
    assert not session.running  # the rest waits: only the previewed photo ran
    assert items[1].made_with.model == "vivid2" and [i.made_with.model for i in (items[0], items[2])] == ["vivid"] * 2
    assert session.outdated() == [items[0].id, items[2].id]
    assert not session.preview_current()  # already made with these settings
    assert len(events["notice"]) == notices  # a preview is quiet: the result label says what changed


def test_recolorize_all_runs_the_outdated_photos_first_then_stops(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    finish_all(session, events, items)
    later = session.add_scanned(ScanResult([Path("/album/later.jpg")]))[0]
    session.colorize = ColorizeSettings("vivid2", "cpu", 128)
    assert session.recolorize(session.outdated()) == 2
    ran = []
    while session.running:
        job = events["job_ready"][-1][0]
        ran.append(job.item_id)
        session.job_done(job, outcome())
    assert ran == [items[0].id, items[1].id] and later.status == QUEUED  # Run colorizes the new one
    assert events["notice"][-1] == ("success", "Re-colorized 2 photos with vivid2.")


def test_a_photo_finished_with_an_old_model_while_on_screen_is_previewed_again(session):
    events = Recorder(session)
    items = queue_photos(session, 2)
    session.start()
    first = events["job_ready"][-1][0]
    session.colorize = ColorizeSettings("vivid2", "cpu", 128)  # picked while photo 1 runs with vivid
    session.job_done(first, outcome())
    again = events["job_ready"][-1][0]
    assert again.item_id == items[0].id and again.settings.model == "vivid2"


def test_clear_finished_can_be_undone_with_results_and_masks(session):
    events = Recorder(session)
    cleared_events = []
    session.cleared.connect(cleared_events.append)
    items = queue_photos(session, 3)
    finish_all(session, events, items[:2])
    session.saved(items[0].id, Path("/out/p0_colorized.jpg"), items[0].result, items[0].adjustments)
    session.set_adjustments(items[1].id, Adjustments(saturation=1.4))
    session.repair.set_mask(items[1].id, np.ones((8, 8), bool))
    cleared = session.clear_done()
    assert cleared is cleared_events[0] and len(session.queue) == 1 and session.can_undo_clear
    assert cleared.unsaved == 1 and "2 finished photos" in cleared.describe() and "1 of them not saved" in cleared.describe()
    assert session.undo_clear() == 2 and not session.can_undo_clear
    assert [item.id for item in session.queue.items()] == [item.id for item in items]
    assert items[1].result is not None and items[1].adjustments.saturation == 1.4
    assert session.repair.mask_of(items[1].id) is not None
    assert session.undo_clear() == 0


def test_a_saved_photo_adjusted_afterwards_counts_as_unsaved(session):
    events = Recorder(session)
    item = queue_photos(session, 1)[0]
    finish_all(session, events, [item])
    assert item.unsaved
    session.saved(item.id, Path("/out/p0_colorized.jpg"), item.result, item.adjustments)
    assert not item.unsaved
    session.set_adjustments(item.id, Adjustments(contrast=1.3))
    assert item.unsaved


def test_stop_says_how_far_the_batch_got(session):
    events = Recorder(session)
    queue_photos(session, 20)
    session.start()
    session.job_done(events["job_ready"][-1][0], outcome())
    session.cancel_all()
    assert events["notice"][-1] == ("info", "Stopped: 1 of 20 photos colorized; 19 still queued (Run goes on "
                                            "from there).")


def test_the_save_message_names_the_folder_of_this_save(session):
    events = Recorder(session)
    album, elsewhere = Path("/album"), Path("/chosen")
    session.export_finished([(album / "a.jpg", elsewhere / "mine.jpg")], 0)
    assert events["notice"][-1] == ("success", "Saved mine.jpg to /chosen.")
    session.export_finished([(album / "a.jpg", album / "a_c.jpg"), (Path("/b/b.jpg"), Path("/b/b_c.jpg"))], 0)
    assert events["notice"][-1] == ("success", "Saved 2 photos beside their originals.")
