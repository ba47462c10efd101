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
