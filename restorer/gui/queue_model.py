"""The photo queue as a Qt table model: a view of the session's :class:`PhotoQueue`, nothing more.

The queue announces each change before and after it happens; this model turns those into
``beginInsertRows``/``endInsertRows`` and friends, so the table follows without keeping a copy.
Reordering by drag and drop goes through :meth:`PhotoQueue.move_ids` (the drag carries item ids,
and the drop is a copy action so the view never deletes the dragged rows itself).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, Qt, Signal

from restorer.gui.icons import icon, status_icon
from restorer.gui.session.queue import PROGRESS, RUNNING, SIZE, PhotoQueue, QueueItem

STATUS_TEXT = {"queued": "Queued", RUNNING: "Running", "done": "Done", "failed": "Failed", "cancelled": "Cancelled"}
ROWS_MIME = "application/x-restorer-queue-ids"
NAME, SIZE_COLUMN, STATUS = range(3)
HEADERS = ("Photo", "Size", "Status")
ItemRole = Qt.ItemDataRole.UserRole + 1
ProgressRole = Qt.ItemDataRole.UserRole + 2


def human_size(num_bytes: int) -> str:
    size = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class QueueModel(QAbstractTableModel):
    """Rows of the queue view: photo (with thumbnail), size, status."""

    paths_dropped = Signal(list, int)  # file/folder paths dropped on the list, target row

    def __init__(self, queue: PhotoQueue, parent=None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.thumbnail_for: Callable[[QueueItem], object] | None = None
        self._moving: list = []
        queue.inserting.connect(lambda row, count: self.beginInsertRows(QModelIndex(), row, row + count - 1))
        queue.inserted.connect(lambda *_: self.endInsertRows())
        queue.removing.connect(lambda first, last: self.beginRemoveRows(QModelIndex(), first, last))
        queue.removed.connect(lambda *_: self.endRemoveRows())
        queue.reordering.connect(self._before_reorder)
        queue.reordered.connect(self._after_reorder)
        queue.changed.connect(self._item_changed)

    # reading ---------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.queue)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        item = self.queue.item_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == ItemRole:
            return item
        if role == ProgressRole:
            return item.progress
        column = index.column()
        if column == NAME:
            return self._name_data(item, role)
        if column == SIZE_COLUMN:
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
            return f"{item.dimensions[0]} × {item.dimensions[1]}\n{size}" if item.dimensions else size
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _status_data(self, item: QueueItem, role):
        if role == Qt.ItemDataRole.DisplayRole:
            return item.stage or STATUS_TEXT[RUNNING] if item.status == RUNNING else STATUS_TEXT[item.status]
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(item.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.message or STATUS_TEXT[item.status]
        return None

    # following the queue -----------------------------------------------------------------------

    def thumbnail_changed(self, item_id: int) -> None:
        self._row_changed(item_id, NAME, NAME)

    def _item_changed(self, item_id: int, what: str) -> None:
        column = {PROGRESS: STATUS, SIZE: SIZE_COLUMN}.get(what)
        self._row_changed(item_id, column if column is not None else NAME, column if column is not None else STATUS)

    def _row_changed(self, item_id: int, first: int, last: int) -> None:
        row = self.queue.row_of(item_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def _before_reorder(self) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        self._moving = [(p, self.queue.item_at(p.row()).id, p.column()) for p in persistent]

    def _after_reorder(self) -> None:
        old = [p for p, _, _ in self._moving]
        new = [self.index(self.queue.row_of(item_id), column) for _, item_id, column in self._moving]
        self.changePersistentIndexList(old, new)
        self._moving = []
        self.layoutChanged.emit()

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
        ids = sorted({self.queue.item_at(i.row()).id for i in indexes if i.isValid()}, key=self.queue.row_of)
        mime = QMimeData()
        mime.setData(ROWS_MIME, json.dumps(ids).encode())
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        return data.hasFormat(ROWS_MIME) or data.hasUrls()

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.queue)
        if data.hasFormat(ROWS_MIME):
            self.queue.move_ids(json.loads(bytes(data.data(ROWS_MIME)).decode() or "[]"), row)
            return True
        paths = [url.toLocalFile() for url in data.urls() if url.isLocalFile()] if data.hasUrls() else []
        if paths:
            self.paths_dropped.emit(paths, row)
        return bool(paths)
