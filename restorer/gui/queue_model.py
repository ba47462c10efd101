"""The batch queue: one row per photo with its status, progress, thumbnail and result.

A plain ``QAbstractTableModel`` over a list of :class:`QueueItem`; rows are found by item id
through a dict, so updates stay O(1) with thousands of photos. Reordering by drag and drop
goes through :meth:`QueueModel.move_ids` (the drag carries item ids, and the drop is a copy
action so the view never deletes the dragged rows itself).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, Qt, Signal

from restorer.gui.icons import icon, status_icon

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
STATUS_TEXT = {QUEUED: "Queued", RUNNING: "Running", DONE: "Done", FAILED: "Failed", CANCELLED: "Cancelled"}
ROWS_MIME = "application/x-restorer-queue-ids"
NAME, SIZE, STATUS = range(3)
HEADERS = ("Photo", "Size", "Status")
ItemRole = Qt.ItemDataRole.UserRole + 1
ProgressRole = Qt.ItemDataRole.UserRole + 2


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
    result: object = None  # restorer.gui.rendering.Colorized when done
    adjustments: object = None  # restorer.pipeline.postprocess.Adjustments
    output: Path | None = None  # the last file saved for this photo

    @property
    def name(self) -> str:
        return self.path.name


def human_size(num_bytes: int) -> str:
    size = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class QueueModel(QAbstractTableModel):
    """Photos waiting, running and finished, in processing order."""

    paths_dropped = Signal(list, int)  # file/folder paths dropped on the list, target row
    counts_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[QueueItem] = []
        self._rows: dict[int, int] = {}
        self._by_path: dict[str, int] = {}
        self._ids = itertools.count(1)
        self.thumbnail_for: Callable[[QueueItem], object] | None = None

    # reading ---------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def items(self) -> list[QueueItem]:
        return list(self._items)

    def item_at(self, row: int) -> QueueItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def item(self, item_id: int) -> QueueItem | None:
        row = self._rows.get(item_id)
        return None if row is None else self._items[row]

    def row_of(self, item_id: int) -> int:
        return self._rows.get(item_id, -1)

    def count(self, status: str) -> int:
        return sum(1 for item in self._items if item.status == status)

    def next_queued(self) -> QueueItem | None:
        return next((item for item in self._items if item.status == QUEUED), None)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == ItemRole:
            return item
        if role == ProgressRole:
            return item.progress
        column = index.column()
        if column == NAME:
            return self._name_data(item, role)
        if column == SIZE:
            return self._size_data(item, role)
        return self._status_data(item, role)

    def _name_data(self, item: QueueItem, role):
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(item.path)
        if role == Qt.ItemDataRole.DecorationRole:
            thumb = self.thumbnail_for(item) if self.thumbnail_for else None
            return thumb if thumb is not None else icon("photo", "#9aa0a6")
        return None

    def _size_data(self, item: QueueItem, role):
        if role == Qt.ItemDataRole.DisplayRole:
            size = human_size(item.file_size)
            if item.dimensions:
                return f"{item.dimensions[0]} × {item.dimensions[1]}\n{size}"
            return size
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _status_data(self, item: QueueItem, role):
        if role == Qt.ItemDataRole.DisplayRole:
            if item.status == RUNNING:
                return item.stage or STATUS_TEXT[RUNNING]
            return STATUS_TEXT[item.status]
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(item.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.message or STATUS_TEXT[item.status]
        return None

    # adding and removing ---------------------------------------------------------------------

    def add_paths(self, paths: Iterable[Path], row: int = -1, adjustments_factory=None) -> list[QueueItem]:
        """Append (or insert at ``row``) photos not already queued; returns the new items."""
        new = []
        for path in paths:
            key = str(path)
            if key in self._by_path:
                continue
            item = QueueItem(next(self._ids), Path(path), _file_size(Path(path)))
            item.adjustments = adjustments_factory() if adjustments_factory else None
            self._by_path[key] = item.id
            new.append(item)
        if not new:
            return []
        row = len(self._items) if row < 0 or row > len(self._items) else row
        self.beginInsertRows(QModelIndex(), row, row + len(new) - 1)
        self._items[row:row] = new
        self._reindex()
        self.endInsertRows()
        self.counts_changed.emit()
        return new

    def remove_ids(self, ids: Iterable[int]) -> int:
        """Remove rows by id (contiguous runs at a time, bottom up); returns how many went."""
        rows = sorted((self._rows[i] for i in set(ids) if i in self._rows), reverse=True)
        for start, end in _runs_descending(rows):
            self.beginRemoveRows(QModelIndex(), start, end)
            for item in self._items[start:end + 1]:
                self._by_path.pop(str(item.path), None)
            del self._items[start:end + 1]
            self.endRemoveRows()
        self._reindex()
        if rows:
            self.counts_changed.emit()
        return len(rows)

    def clear_done(self) -> int:
        return self.remove_ids([item.id for item in self._items if item.status == DONE])

    def retry(self, statuses=(FAILED, CANCELLED)) -> int:
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
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_ids = [(self._items[p.row()].id, p.column()) for p in old_persistent]
        self._items = rest[:insert_at] + moving + rest[insert_at:]
        self._reindex()
        new_indexes = [self.index(self._rows[item_id], column) for item_id, column in old_ids]
        self.changePersistentIndexList(old_persistent, new_indexes)
        self.layoutChanged.emit()

    def move_by(self, ids: Iterable[int], delta: int) -> None:
        """Move items one step up (-1) or down (+1) as a block."""
        rows = sorted(self._rows[i] for i in ids if i in self._rows)
        if not rows:
            return
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
        self._row_changed(item_id)
        if changed:
            self.counts_changed.emit()

    def set_progress(self, item_id: int, progress: float, stage: str) -> None:
        item = self.item(item_id)
        if item is None or item.status != RUNNING:
            return
        item.progress = progress
        item.stage = stage
        self._row_changed(item_id, STATUS, STATUS)

    def set_dimensions(self, item_id: int, dimensions: tuple[int, int] | None) -> None:
        item = self.item(item_id)
        if item is not None and dimensions and item.dimensions != dimensions:
            item.dimensions = dimensions
            self._row_changed(item_id, SIZE, SIZE)

    def thumbnail_changed(self, item_id: int) -> None:
        self._row_changed(item_id, NAME, NAME)

    def _row_changed(self, item_id: int, first: int = NAME, last: int = STATUS) -> None:
        row = self._rows.get(item_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def _reindex(self) -> None:
        self._rows = {item.id: row for row, item in enumerate(self._items)}

    # drag and drop ---------------------------------------------------------------------------

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDragActions(self):  # noqa: N802
        return Qt.DropAction.CopyAction  # a copy: the view must not remove the dragged rows itself

    def supportedDropActions(self):  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [ROWS_MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802
        ids = sorted({self._items[i.row()].id for i in indexes if i.isValid()},
                     key=lambda item_id: self._rows[item_id])
        mime = QMimeData()
        mime.setData(ROWS_MIME, json.dumps(ids).encode())
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        return data.hasFormat(ROWS_MIME) or data.hasUrls()

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._items)
        if data.hasFormat(ROWS_MIME):
            ids = json.loads(bytes(data.data(ROWS_MIME)).decode() or "[]")
            self.move_ids(ids, row)
            return True
        if data.hasUrls():
            paths = [url.toLocalFile() for url in data.urls() if url.isLocalFile()]
            self.paths_dropped.emit(paths, row)
            return bool(paths)
        return False


def _runs_descending(rows: list[int]) -> list[tuple[int, int]]:
    """Contiguous (start, end) runs of descending row numbers, bottom run first."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][0] == row + 1:
            runs[-1] = (row, runs[-1][1])
        else:
            runs.append((row, row))
    return runs

