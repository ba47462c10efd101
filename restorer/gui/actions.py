"""The main window's actions, menus and toolbar, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from restorer.gui.icons import icon


def make_action(parent, text: str, role: str | None = None, slot=None, shortcut=None,
                tip: str = "", checkable: bool = False) -> QAction:
    action = QAction(text, parent)
    if role:
        action.setIcon(icon(role))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.setCheckable(checkable)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


@dataclass
class WindowActions:
    open: QAction
    open_folder: QAction
    save: QAction
    save_as: QAction
    export_all: QAction
    quit: QAction
    run: QAction
    cancel_current: QAction
    cancel_all: QAction
    retry: QAction
    remove: QAction
    clear_done: QAction
    undo_clear: QAction
    recolorize_selected: QAction
    recolorize_all: QAction
    import_weights: QAction
    move_up: QAction
    move_down: QAction
    fit: QAction
    actual: QAction
    zoom_in: QAction
    zoom_out: QAction
    split: QAction
    side: QAction
    train: QAction
    about: QAction


def _result_actions(w) -> dict[str, QAction]:
    """Actions on finished results: redo them with another model, undo a clear, install weights."""
    return dict(
        undo_clear=make_action(w, "&Undo Clear Finished", "undo", w.session.undo_clear, None,
                               "Put the photos the last Clear Finished removed back, results and all"),
        recolorize_selected=make_action(w, "Re-colori&ze Selected with This Model", "recolorize",
                                        w.recolorize_selected, "Ctrl+Shift+R",
                                        "Colorize the selected photos again with the model chosen on the right"),
        recolorize_all=make_action(w, "Re-colorize &All with This Model", "recolorize", w.recolorize_all, None,
                                   "Colorize again every finished photo made with another model or size"),
        import_weights=make_action(w, "&Import Model Weights…", "import", w.import_weights, None,
                                   "Install a .pth or .safetensors file, e.g. the ECCV16/SIGGRAPH17 authors' weights"),
    )


def build_actions(w) -> WindowActions:
    """Actions bound to the window ``w``'s slots."""
    seq = QKeySequence.StandardKey
    a = WindowActions(
        open=make_action(w, "&Open Photos…", "open", w.open_photos, seq.Open, "Add photos to the queue"),
        open_folder=make_action(w, "Open &Folder…", "open-folder", w.open_folder, "Ctrl+Shift+O",
                                "Add every photo in a folder and its subfolders"),
        save=make_action(w, "&Save", "save", w.save_selected, seq.Save,
                         "Save the selected colorized photos to the output folder"),
        save_as=make_action(w, "Save &As…", "save-as", w.save_as, seq.SaveAs, "Save the current photo as…"),
        export_all=make_action(w, "&Export All to Folder…", "export", w.export_all_dialog, "Ctrl+E",
                               "Save every colorized photo to a folder"),
        quit=make_action(w, "&Quit", "quit", w.close, seq.Quit),
        run=make_action(w, "&Run", "run", w.run_queue, "Ctrl+R", "Colorize the queued photos"),
        cancel_current=make_action(w, "&Skip Current Photo", "cancel-one", w.session.cancel_current,
                                   None, "Cancel the photo being colorized and go on with the next"),
        cancel_all=make_action(w, "&Stop Batch", "cancel", w.session.cancel_all, "Ctrl+.",
                               "Stop after cancelling the current photo; the rest stay queued"),
        retry=make_action(w, "Re&try Failed", "retry", w.retry_failed, None,
                          "Queue failed and cancelled photos again"),
        remove=make_action(w, "Re&move From Queue", "remove", w.remove_selected, seq.Delete,
                           "Remove the selected photos from the queue"),
        clear_done=make_action(w, "&Clear Finished", "clear-done", w.clear_done, None,
                               "Remove colorized photos from the queue (Undo Clear puts them back)"),
        **_result_actions(w),
        move_up=make_action(w, "Move &Up", "up", lambda: w.move_selected(-1), "Alt+Up", "Process earlier"),
        move_down=make_action(w, "Move &Down", "down", lambda: w.move_selected(1), "Alt+Down", "Process later"),
        fit=make_action(w, "&Fit to Window", "fit", w.compare.fit, "Ctrl+0"),
        actual=make_action(w, "&Actual Pixels (100%)", "actual", w.compare.actual_size, "Ctrl+1"),
        zoom_in=make_action(w, "Zoom &In", "zoom-in", w.compare.zoom_in, seq.ZoomIn),
        zoom_out=make_action(w, "Zoom &Out", "zoom-out", w.compare.zoom_out, seq.ZoomOut),
        split=make_action(w, "S&plit Before/After", "split", lambda: w.compare.set_mode("split"), "Ctrl+2",
                          checkable=True),
        side=make_action(w, "Side &by Side", "side", lambda: w.compare.set_mode("side"), "Ctrl+3", checkable=True),
        train=make_action(w, "&Train a Model…", "train", w._open_training_wizard, None,
                          "Train a colorization model on your own photos"),
        about=make_action(w, "&About Restorer", "about", w.show_about),
    )
    group = QActionGroup(w)
    for action in (a.split, a.side):
        group.addAction(action)
    a.split.setChecked(True)
    a.remove.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return a


def build_menus(w: QMainWindow, a: WindowActions) -> QMenu:
    """Menus of the window; returns the (initially empty) recent-files menu."""
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([a.open, a.open_folder])
    recent = file_menu.addMenu(icon("recent"), "Open &Recent")
    file_menu.addSeparator()
    file_menu.addActions([a.save, a.save_as, a.export_all])
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    queue = bar.addMenu("&Queue")
    queue.addActions([a.run, a.cancel_current, a.cancel_all])
    queue.addSeparator()
    queue.addActions([a.recolorize_selected, a.recolorize_all, a.retry])
    queue.addSeparator()
    queue.addActions([a.remove, a.clear_done, a.undo_clear, a.move_up, a.move_down])
    view = bar.addMenu("&View")
    view.addActions([a.split, a.side])
    view.addSeparator()
    view.addActions([a.fit, a.actual, a.zoom_in, a.zoom_out])
    tools = bar.addMenu("&Tools")
    tools.setObjectName("toolsMenu")
    tools.addActions([a.train, a.import_weights])
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(a.about)
    return recent


def build_toolbar(w: QMainWindow, a: WindowActions) -> QToolBar:
    bar = QToolBar("Main")
    bar.setObjectName("mainToolbar")
    bar.setIconSize(QSize(20, 20))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setMovable(False)
    bar.addActions([a.open, a.open_folder])
    bar.addSeparator()
    bar.addActions([a.run, a.cancel_all])
    bar.addSeparator()
    bar.addActions([a.save, a.export_all])
    bar.addSeparator()
    bar.addActions([a.split, a.side, a.fit, a.actual])
    w.addToolBar(bar)
    return bar


def fill_recent_menu(menu: QMenu, paths: list[str], open_paths, clear) -> None:
    menu.clear()
    for index, path in enumerate(paths):
        label = f"&{index + 1}  {Path(path).name}" if index < 9 else Path(path).name
        action = menu.addAction(label)
        action.setToolTip(path)
        action.triggered.connect(lambda _checked=False, p=path: open_paths([p]))
    if paths:
        menu.addSeparator()
        menu.addAction("Clear Recent", clear)
    else:
        placeholder = menu.addAction("No recent photos")
        placeholder.setEnabled(False)
