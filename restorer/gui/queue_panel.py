"""The batch queue on screen: thumbnails, names, sizes, status with per-photo progress, overall progress.

The panel keeps the session's selection and its own in step: a row the user clicks pins that photo
(:meth:`Session.select`), and the photo the session follows during a batch becomes the selected row
(without echoing back as a user's choice).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from restorer.gui.queue_model import NAME, SIZE_COLUMN, STATUS, ItemRole, QueueModel
from restorer.gui.session import RUNNING, Session

ROW_HEIGHT = 56
ICON_SIZE = 48
STATUS_ICON = 16


BAR_HEIGHT = 6
BAR_GAP = 3
NAME_WIDTH = 150  # the least the name column is given while it follows the panel's width
SIZE_WIDTH, STATUS_WIDTH = 88, 104


def status_rects(cell: QRect, text_height: int) -> tuple[QRect, QRect]:
    """(text, bar) areas of a running row's status cell: the stage above a thin bar, never on it
    (a bar with its text inside it reads badly wherever the chunk and the letters overlap)."""
    inner = cell.adjusted(4, 0, -4, 0)
    top = inner.center().y() - (text_height + BAR_GAP + BAR_HEIGHT) // 2
    text = QRect(inner.left(), top, inner.width(), text_height)
    bar = QRect(inner.left(), text.bottom() + 1 + BAR_GAP, inner.width(), BAR_HEIGHT)
    return text, bar


class StatusDelegate(QStyledItemDelegate):
    """Running rows show the current stage above a thin progress bar; others a small icon and text."""

    def initStyleOption(self, option, index: QModelIndex) -> None:  # noqa: N802 - Qt API
        super().initStyleOption(option, index)
        option.decorationSize = QSize(STATUS_ICON, STATUS_ICON)

    def paint(self, painter, option, index: QModelIndex) -> None:
        item = index.data(ItemRole)
        if item is None or item.status != RUNNING:
            return super().paint(painter, option, index)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        text_rect, bar_rect = status_rects(option.rect, option.fontMetrics.height())
        text = option.fontMetrics.elidedText(f"{item.stage or 'Running'} {item.progress:.0%}",
                                             Qt.TextElideMode.ElideRight, text_rect.width())
        painter.save()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()
        bar = QStyleOptionProgressBar()
        bar.rect = bar_rect
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(round(item.progress * 100))
        bar.textVisible = False  # the stage is written above the bar, not inside it
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class QueueView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        # a folder's photos share a prefix less often than a tail ("scan.png"): names elide at the end,
        # the tooltip holds the full path, and the column can be widened
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDragDropOverwriteMode(False)
        vertical = self.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        self.setItemDelegateForColumn(STATUS, StatusDelegate(self))
        self.names_follow_width = True  # until the user drags a column edge, names get the spare width
        self._fitting = False

    def setModel(self, model) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # Status takes what the user leaves over
        header.setMinimumSectionSize(48)
        header.resizeSection(NAME, NAME_WIDTH)
        header.resizeSection(SIZE_COLUMN, SIZE_WIDTH)
        header.resizeSection(STATUS, STATUS_WIDTH)
        header.setHighlightSections(False)
        header.sectionResized.connect(self._on_section_resized)

    def restore_columns(self, state) -> bool:
        """Column widths the user set in an earlier session (then kept, whatever the panel's width)."""
        restored = self.horizontalHeader().restoreState(state)
        self.names_follow_width = self.names_follow_width and not restored
        return restored

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_names()

    def _fit_names(self) -> None:
        if not self.names_follow_width:
            return
        self._fitting = True
        try:
            spare = self.viewport().width() - SIZE_WIDTH - STATUS_WIDTH
            self.horizontalHeader().resizeSection(NAME, max(NAME_WIDTH, spare))
        finally:
            self._fitting = False

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        if index == NAME and not self._fitting and self.isVisible():
            self.names_follow_width = False  # the user's width from now on


class QueuePanel(QWidget):
    """Queue list with its toolbar and the overall progress of the batch."""

    selection_changed = Signal()

    def __init__(self, model: QueueModel, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.session = session
        self._syncing = False
        self.toolbar = QToolBar("Queue")
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.view = QueueView()
        self.view.setModel(model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.empty_hint = QLabel("The queue is empty.\nDrop photos or folders anywhere on the window.")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setObjectName("emptyHint")
        palette = self.empty_hint.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#7b8088"))
        self.empty_hint.setPalette(palette)
        self.overall = QProgressBar()
        self.overall.setRange(0, 1000)
        self.overall.setTextVisible(False)
        self.overall.setFixedHeight(8)
        self.summary = QLabel("No photos queued")
        self.summary.setObjectName("queueSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_hint, 1)
        layout.addWidget(self.overall)
        layout.addWidget(self.summary)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        model.rowsInserted.connect(self._update_empty)
        model.rowsRemoved.connect(self._update_empty)
        if session is not None:
            session.current_changed.connect(self._follow)
            session.overall_changed.connect(self.set_overall)
        self._update_empty()

    def add_actions(self, actions: list[QAction | None]) -> None:
        for action in actions:
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)

    def selected_ids(self) -> list[int]:
        queue = self.model.queue
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [queue.item_at(row).id for row in rows if queue.item_at(row) is not None]

    def current_id(self) -> int | None:
        item = self.model.queue.item_at(self.view.currentIndex().row())
        return item.id if item is not None else None

    def select_id(self, item_id: int) -> None:
        row = self.model.queue.row_of(item_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, NAME))

    def set_overall(self, finished: int, total: int, fraction: float) -> None:
        self.overall.setValue(int(round(fraction * 1000)))
        failed = self.model.queue.count("failed")
        text = f"{finished} of {total} finished" + (f" · {failed} failed" if failed else "") if total else \
            "No photos queued"
        self.summary.setText(text)

    def _update_empty(self, *_: object) -> None:
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.empty_hint.setVisible(empty)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.queue.item_at(current.row()) if current.isValid() else None
        if self.session is not None and not self._syncing:
            self.session.select(item.id if item is not None else None, pinned=True)

    def _follow(self, item_id: int | None) -> None:
        """The session moved to another photo (following the batch): select its row, quietly."""
        if item_id is None or item_id == self.current_id():
            return
        self._syncing = True
        try:
            self.select_id(item_id)
        finally:
            self._syncing = False
