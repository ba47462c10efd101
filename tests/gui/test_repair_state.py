"""The session's repair state, without Qt: what a job repairs with, and when it changes."""

from __future__ import annotations

import numpy as np
import pytest

from restorer.core.errors import SettingError
from restorer.gui.session import Session
from restorer.gui.session.repair import RepairState
from restorer.gui.session.scan import ScanResult
from restorer.pipeline.colorize import ColorizeSettings


def test_off_means_no_plan_and_on_means_the_options_and_the_photos_own_mask():
    state = RepairState()
    assert state.plan_for(1) is None
    state.set_enabled(True)
    state.set_options(sensitivity=0.8)
    assert state.plan_for(1).options.sensitivity == 0.8 and state.plan_for(1).mask is None
    mask = np.zeros((4, 4), bool)
    state.set_mask(1, mask)
    assert np.array_equal(state.plan_for(1).mask, mask) and state.plan_for(2).mask is None
    state.set_mask(1, None)
    assert state.edited == 0


def test_changes_are_announced_once_and_bad_values_refused():
    state, seen = RepairState(), []
    state.changed.connect(lambda: seen.append(1))
    state.set_enabled(True)
    state.set_enabled(True)
    state.set_options(strength=0.5)
    state.set_options(strength=0.5)
    assert len(seen) == 2
    with pytest.raises(SettingError):
        state.set_options(sensitivity=1.5)
    state.load({"enabled": False, "sensitivity": 9, "strength": 0.25})
    assert not state.enabled and state.options.sensitivity == 0.5 and state.options.strength == 0.25
    assert state.to_dict() == {"enabled": False, "sensitivity": 0.5, "strength": 0.25}


def test_a_job_snapshots_the_repair_plan_and_removing_a_photo_forgets_its_mask(tmp_path):
    session = Session()
    session.colorize = ColorizeSettings("vivid")
    [item] = session.add_scanned(ScanResult(images=[tmp_path / "a.png"]))
    session.repair.set_enabled(True)
    session.repair.set_mask(item.id, np.ones((2, 2), bool))
    job = session.make_job(item)
    session.repair.set_options(sensitivity=0.9)
    assert job.settings.repair.options.sensitivity == 0.5 and job.settings.repair.mask.all()
    session.remove([item.id])
    assert session.repair.mask_of(item.id) is None
