"""The photo queue: one item per photo with its status, progress and result, in processing order.

Items are found by id through a dict, so updates stay O(1) with thousands of photos. Changes are
announced before (``inserting``, ``removing``, ``reordering``) and after (``inserted``,
``removed``, ``reordered``) they happen, which is what a Qt item model needs to follow them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from restorer.gui.session.events import Event
from restorer.pipeline.colorize import ChromaResult, ColorizeSettings
from restorer.pipeline.postprocess import Adjustments

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
STATUS, PROGRESS, SIZE = "status", "progress", "size"  # what ``changed`` says changed


@dataclass(eq=False)
class QueueItem:
    id: int
    path: Path
    file_size: int = 0
    status: str = QUEUED
    progress: float = 0.0
    stage: str = ""
    message: str = ""  # failure reason, or notes of a finished photo
    dimensions: tuple[int, int] | None = None  # (width, height), known once the thumbnail is read
    result: ChromaResult | None = None  # the network's answer, when done
    adjustments: Adjustments | None = None
    output: Path | None = None  # the last file saved for this photo
    made_with: ColorizeSettings | None = None  # the settings of the job that made ``result``
    saved_as: tuple[ChromaResult, Adjustments | None] | None = None  # what the last save wrote

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def unsaved(self) -> bool:
        """A result (or adjustments to it) that no saved file holds yet: work the user would lose."""
        if self.result is None:
            return False
        return self.saved_as is None or self.saved_as[0] is not self.result or self.saved_as[1] != self.adjustments


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class PhotoQueue:
    """Photos waiting, running and finished, in processing order."""

    def __init__(self) -> None:
        self._items: list[QueueItem] = []
        self._rows: dict[int, int] = {}
        self._by_path: dict[str, int] = {}
        self._ids = itertools.count(1)
        self.inserting, self.inserted = Event(), Event()  # (row, count) / (row, items)
        self.removing, self.removed = Event(), Event()  # (first row, last row), both
        self.reordering, self.reordered = Event(), Event()  # ()
        self.changed = Event()  # (item id, STATUS / PROGRESS / SIZE)
        self.counts_changed = Event()  # () a status count changed (or items came or went)

    # reading ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[QueueItem]:
        return list(self._items)

    def item_at(self, row: int) -> QueueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def item(self, item_id: int | None) -> QueueItem | None:
        row = self._rows.get(item_id) if item_id is not None else None
        return None if row is None else self._items[row]

    def row_of(self, item_id: int) -> int:
        return self._rows.get(item_id, -1)

    def count(self, status: str) -> int:
        return sum(1 for item in self._items if item.status == status)

    def next_queued(self) -> QueueItem | None:
        return next((item for item in self._items if item.status == QUEUED), None)

    # adding and removing ---------------------------------------------------------------------

    def add_paths(self, paths: Iterable[Path], row: int = -1,
                  adjustments: Callable[[], Adjustments] | None = None) -> list[QueueItem]:
        """Append (or insert at ``row``) photos not already queued; returns the new items."""
        new = []
        for path in map(Path, paths):
            if str(path) in self._by_path:
                continue
            item = QueueItem(next(self._ids), path, _file_size(path))
            item.adjustments = adjustments() if adjustments else None
            self._by_path[str(path)] = item.id
            new.append(item)
        if not new:
            return []
        row = len(self._items) if row < 0 or row > len(self._items) else row
        self.inserting.emit(row, len(new))
        self._items[row:row] = new
        self._reindex()
        self.inserted.emit(row, new)
        self.counts_changed.emit()
        return new

    def remove_ids(self, ids: Iterable[int]) -> int:
        """Remove items by id (contiguous runs at a time, bottom up); returns how many went."""
        rows = sorted((self._rows[i] for i in set(ids) if i in self._rows), reverse=True)
        for first, last in _runs_descending(rows):
            self.removing.emit(first, last)
            for item in self._items[first:last + 1]:
                self._by_path.pop(str(item.path), None)
            del self._items[first:last + 1]
            self._reindex()
            self.removed.emit(first, last)
        if rows:
            self.counts_changed.emit()
        return len(rows)

    def clear_done(self) -> int:
        return self.remove_ids([item.id for item in self._items if item.status == DONE])

    def restore(self, entries: Iterable[tuple[int, QueueItem]]) -> list[QueueItem]:
        """Put removed items back (with their ids, results and adjustments) at their old rows, in
        ascending row order; a photo queued again meanwhile is not doubled. Returns those put back."""
        back = []
        for row, item in sorted(entries, key=lambda entry: entry[0]):
            if str(item.path) in self._by_path or item.id in self._rows:
                continue
            row = min(max(row, 0), len(self._items))
            self.inserting.emit(row, 1)
            self._items.insert(row, item)
            self._by_path[str(item.path)] = item.id
            self._reindex()
            self.inserted.emit(row, [item])
            back.append(item)
        if back:
            self.counts_changed.emit()
        return back

    def retry(self, statuses: tuple[str, ...] = (FAILED, CANCELLED)) -> int:
        """Queue failed/cancelled photos again; returns how many."""
        ids = [item.id for item in self._items if item.status in statuses]
        for item_id in ids:
            self.set_status(item_id, QUEUED, message="")
        return len(ids)

    # reordering ------------------------------------------------------------------------------

    def move_ids(self, ids: Iterable[int], target_row: int) -> None:
        """Move the given items, keeping their order, so they start at ``target_row``."""
        wanted = set(ids)
        moving = [item for item in self._items if item.id in wanted]
        if not moving:
            return
        target_row = max(0, min(target_row, len(self._items)))
        before = sum(1 for item in self._items[:target_row] if item.id in wanted)
        rest = [item for item in self._items if item.id not in wanted]
        insert_at = target_row - before
        self.reordering.emit()
        self._items = rest[:insert_at] + moving + rest[insert_at:]
        self._reindex()
        self.reordered.emit()

    def move_by(self, ids: Iterable[int], delta: int) -> None:
        """Move items one step up (-1) or down (+1) as a block."""
        rows = sorted(self._rows[i] for i in ids if i in self._rows)
        if rows:
            target = rows[0] - 1 if delta < 0 else rows[-1] + 2
            self.move_ids([self._items[r].id for r in rows], target)

    # updating --------------------------------------------------------------------------------

    def set_status(self, item_id: int, status: str, *, progress: float | None = None,
                   stage: str = "", message: str | None = None) -> None:
        item = self.item(item_id)
        if item is None:
            return
        changed = item.status != status
        item.status = status
        item.stage = stage
        item.progress = progress if progress is not None else (1.0 if status == DONE else 0.0)
        if message is not None:
            item.message = message
        self.changed.emit(item_id, STATUS)
        if changed:
            self.counts_changed.emit()

    def set_progress(self, item_id: int, progress: float, stage: str) -> None:
        item = self.item(item_id)
        if item is not None and item.status == RUNNING:
            item.progress, item.stage = progress, stage
            self.changed.emit(item_id, PROGRESS)

    def set_dimensions(self, item_id: int, dimensions: tuple[int, int] | None) -> None:
        item = self.item(item_id)
        if item is not None and dimensions and item.dimensions != dimensions:
            item.dimensions = dimensions
            self.changed.emit(item_id, SIZE)

    def _reindex(self) -> None:
        self._rows = {item.id: row for row, item in enumerate(self._items)}


def _runs_descending(rows: list[int]) -> list[tuple[int, int]]:
    """Contiguous (first, last) runs of descending row numbers, bottom run first."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][0] == row + 1:
            runs[-1] = (row, runs[-1][1])
        else:
            runs.append((row, row))
    return runs
