"""The hint editing model (no Qt): edits, selection, drags as one step, undo/redo."""

from __future__ import annotations

from restorer.gui.hint_edits import MAX_UNDO, HintEdits
from restorer.pipeline.inference import ColorHint


def test_edits_change_the_hints_and_tell_the_observers():
    edits = HintEdits()
    calls = []
    edits.subscribe(calls.append)
    index = edits.add(0.2, 0.3, 10.0, -20.0, "#123456", 0.02)
    assert index == 0 and edits.selected == 0 and edits.hints == (ColorHint(0.2, 0.3, 10.0, -20.0, 0.02, "#123456"),)
    edits.recolour(0, 40.0, 5.0, "#aa3300")
    edits.resize(0, 0.05)
    assert (edits.hints[0].a, edits.hints[0].b, edits.hints[0].color, edits.hints[0].radius) == (40, 5, "#aa3300", 0.05)
    edits.delete(0)
    assert edits.hints == () and edits.selected is None
    assert calls == [True, True, True, True]  # every edit is final


def test_positions_and_sizes_stay_in_range():
    edits = HintEdits()
    edits.add(-0.5, 1.5, 0.0, 0.0, "#808080", 9.0)
    hint = edits.hints[0]
    assert (hint.x, hint.y, hint.radius) == (0.0, 1.0, 0.25)


def test_undo_and_redo_walk_the_history():
    edits = HintEdits()
    edits.add(0.1, 0.1, 1.0, 1.0, "#010101")
    edits.add(0.9, 0.9, 2.0, 2.0, "#020202")
    edits.recolour(1, 3.0, 3.0, "#030303")
    states = [edits.hints]
    edits.undo()
    assert edits.hints[1].color == "#020202"
    edits.undo()
    edits.undo()
    assert edits.hints == () and not edits.can_undo
    edits.redo()
    edits.redo()
    edits.redo()
    assert [edits.hints] == states and not edits.can_redo
    edits.undo()
    edits.delete(0)  # a new edit after undo drops the redo history
    assert not edits.can_redo and len(edits.hints) == 1


def test_a_drag_is_one_step_to_undo_and_reports_final_only_at_the_end():
    edits = HintEdits()
    edits.add(0.5, 0.5, 0.0, 0.0, "#808080")
    calls = []
    edits.subscribe(calls.append)
    edits.begin_drag(0)
    for step in range(1, 6):
        edits.drag_to(0, 0.5 + step / 20, 0.5)
    edits.end_drag()
    assert edits.hints[0].x == 0.75 and calls[-1] is True and not any(calls[:-1])
    edits.undo()
    assert edits.hints[0].x == 0.5
    edits.begin_drag(0)
    edits.end_drag()  # a click on a hint without moving it records nothing (so redo is still there)
    assert edits.can_redo and edits.hints[0].x == 0.5


def test_another_photo_starts_a_fresh_history_and_undo_keeps_the_selection_valid():
    edits = HintEdits()
    edits.add(0.5, 0.5, 0.0, 0.0, "#808080")
    edits.undo()
    assert edits.selected is None
    edits.reset((ColorHint(0.1, 0.2, 3.0, 4.0),))
    assert len(edits.hints) == 1 and not edits.can_undo and not edits.can_redo
    for _ in range(MAX_UNDO + 20):
        edits.resize(0, 0.02)
    assert len(edits._undo) == MAX_UNDO


def test_a_newer_render_does_not_drop_waiting_suggestions(hint_model, qtbot):
    """Renders keep only the newest waiting request; suggestions run on their own lane, so an edit
    right after a click still fills the swatches."""
    import threading

    import numpy as np

    from restorer.gui.hint_preview import HintPreviewer
    from restorer.models.runtime import load_colorizer
    from restorer.pipeline.inference import ColorHint

    release = threading.Event()

    def slow_loader(name, device):
        release.wait(10)  # the first render holds the worker while the others queue up
        return load_colorizer(name, device)

    previewer = HintPreviewer(slow_loader)
    previewer.set_model(hint_model, "cpu", 64)
    photo = np.full((48, 64, 3), 128, np.uint8)
    hint = ColorHint(0.5, 0.5, 20.0, -60.0, 0.05, "#3050d0")
    with qtbot.waitSignal(previewer.suggested, timeout=20000) as suggested:
        previewer.request(1, photo, [hint])
        qtbot.wait(60)  # past the debounce: the first render is running
        previewer.suggest(1, 0, photo, 0.2, 0.2, [hint])
        for _ in range(3):
            previewer.request(1, photo, [hint])
            qtbot.wait(60)
        release.set()
    assert suggested.args[:2] == [1, 0] and len(suggested.args[2]) > 0
    previewer.wait()
    previewer.shutdown()
