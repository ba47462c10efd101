"""Dropping files and folders onto the window fills the queue; the queue model's own operations."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from restorer.gui.queue_model import QueueModel
from restorer.gui.session import DONE, FAILED, QUEUED, PhotoQueue


def drop_on(widget, paths: list[Path]) -> None:
    """Drag ``paths`` over ``widget`` and drop them, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPointF(50, 50), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted()


def test_dropping_a_folder_queues_its_photos_and_reports_skipped_files(window, qtbot, tmp_path, write_photo):
    album = tmp_path / "album"
    write_photo(album / "a.png")
    write_photo(album / "nested" / "b.jpg", seed=1)
    write_photo(album / "nested" / "deeper" / "c.tif", seed=2)
    (album / "notes.txt").write_text("not a photo")
    (album / "nested" / "scan.pdf").write_bytes(b"%PDF-1.4")
    loose = write_photo(tmp_path / "loose.png", seed=3)

    drop_on(window, [album, loose])

    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)
    names = sorted(item.name for item in window.session.queue.items())
    assert names == ["a.png", "b.jpg", "c.tif", "loose.png"]
    assert all(item.status == QUEUED for item in window.session.queue.items())
    assert window.message_bar.isVisible()
    report = next(text for _, text in reversed(window.message_bar.history) if text.startswith("Added"))
    assert "Added 4 photos" in report and "skipped 2 files" in report

    drop_on(window, [album])  # the same photos again: nothing is queued twice
    qtbot.waitUntil(lambda: any("already queued" in text for _, text in window.message_bar.history), timeout=5000)
    assert window.model.rowCount() == 4


def test_thumbnails_are_made_off_the_gui_thread_and_give_dimensions(window, qtbot, tmp_path, write_photo):
    write_photo(tmp_path / "wide.png", height=30, width=90)
    window.add_paths([tmp_path / "wide.png"])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    item = window.session.queue.items()[0]
    window.model.data(window.model.index(0, 0), Qt.ItemDataRole.DecorationRole)  # asks for the thumbnail
    qtbot.waitUntil(lambda: item.dimensions == (90, 30), timeout=5000)
    assert "90 × 30" in window.model.data(window.model.index(0, 1))


def test_queue_model_reorders_removes_retries_and_clears(qtbot):
    queue = PhotoQueue()
    model = QueueModel(queue)
    items = queue.add_paths([Path(f"/photos/{n}.jpg") for n in "abcde"])
    ids = [item.id for item in items]

    queue.move_by([ids[3]], -1)  # d up one
    assert [i.name for i in queue.items()] == ["a.jpg", "b.jpg", "d.jpg", "c.jpg", "e.jpg"]
    queue.move_ids([ids[0], ids[1]], 5)  # a, b to the end (drag and drop)
    assert [i.name for i in queue.items()] == ["d.jpg", "c.jpg", "e.jpg", "a.jpg", "b.jpg"]
    assert [model.data(model.index(row, 0)) for row in range(5)] == [i.name for i in queue.items()]

    mime = model.mimeData([model.index(queue.row_of(ids[4]), 0)])  # drag e to the top
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, 0, 0, model.index(-1, -1))
    assert [i.name for i in queue.items()][0] == "e.jpg" and model.data(model.index(0, 0)) == "e.jpg"

    queue.set_status(ids[0], DONE)
    queue.set_status(ids[1], FAILED, message="broken file")
    assert model.data(model.index(queue.row_of(ids[1]), 2), Qt.ItemDataRole.ToolTipRole) == "broken file"
    assert queue.retry() == 1 and queue.item(ids[1]).status == QUEUED
    assert queue.clear_done() == 1 and queue.item(ids[0]) is None
    assert queue.remove_ids([ids[2], ids[3]]) == 2
    assert sorted(i.name for i in queue.items()) == ["b.jpg", "e.jpg"] and model.rowCount() == 2
    assert queue.next_queued().name == "e.jpg"


def test_queue_stays_fast_with_thousands_of_items(qtbot):
    import time

    queue = PhotoQueue()
    model = QueueModel(queue)
    started = time.perf_counter()
    items = queue.add_paths([Path(f"/photos/scan_{n:05d}.jpg") for n in range(5000)])
    for item in items[::50]:
        queue.set_progress(item.id, 0.5, "Colorizing")
        queue.set_status(item.id, DONE)
    queue.move_ids([items[-1].id], 0)
    assert time.perf_counter() - started < 3.0
    assert model.rowCount() == 5000 and queue.items()[0].id == items[-1].id


def test_the_queue_view_only_asks_thumbnails_for_visible_rows(qtbot):
    from restorer.gui.queue_panel import QueuePanel

    queue = PhotoQueue()
    model = QueueModel(queue)
    asked = set()
    model.thumbnail_for = lambda item: asked.add(item.id)
    panel = QueuePanel(model)
    qtbot.addWidget(panel)
    panel.resize(360, 600)
    panel.show()
    qtbot.waitExposed(panel)
    queue.add_paths([Path(f"/photos/scan_{n:05d}.jpg") for n in range(3000)])
    qtbot.waitUntil(lambda: len(asked) > 0, timeout=2000)
    assert len(asked) < 40  # a screenful, not 3000
    panel.view.scrollToBottom()
    qtbot.waitUntil(lambda: queue.items()[-1].id in asked, timeout=2000)
    assert len(asked) < 80
