"""Typed access to the app's QSettings (organization "Restorer", application "Restorer").

Lists and dicts are stored as JSON text, so every backend (registry, plist, ini) returns them
the same way. Tests pass their own ``QSettings`` (an ini file in a temporary folder).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from restorer.core import ranges
from restorer.core.ranges import NumberRange

ORGANIZATION = "Restorer"
APPLICATION = "Restorer"
MAX_RECENT = 10


def default_qsettings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


class Settings:
    """Everything the app remembers between sessions."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.store = qsettings if qsettings is not None else default_qsettings()

    # low-level -------------------------------------------------------------------------------

    def _get_json(self, key: str, default: Any) -> Any:
        raw = self.store.value(key)
        if raw is None:
            return default
        try:
            value = json.loads(str(raw))
        except ValueError:
            return default
        return value if isinstance(value, type(default)) else default

    def _set_json(self, key: str, value: Any) -> None:
        self.store.setValue(key, json.dumps(value))

    def _get_str(self, key: str, default: str = "") -> str:
        raw = self.store.value(key)
        return default if raw is None else str(raw)

    def _get_int(self, key: str, default: int) -> int:
        try:
            return int(self.store.value(key, default))
        except (TypeError, ValueError):
            return default

    def _get_in_range(self, key: str, allowed: NumberRange, default: int) -> int:
        """The stored number when ``allowed`` holds it, else ``default`` (a hand-edited or damaged
        settings file never reaches the pipeline)."""
        value = self._get_int(key, default)
        return value if allowed.problem(value) is None else default

    def _get_bool(self, key: str, default: bool) -> bool:
        raw = self.store.value(key, default)
        if isinstance(raw, str):
            return raw.lower() in ("1", "true", "yes")
        return bool(raw)

    def _get_bytes(self, key: str) -> QByteArray | None:
        raw = self.store.value(key)
        return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None

    def sync(self) -> None:
        self.store.sync()

    # window ----------------------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        return self._get_bytes("window/geometry")

    def set_geometry(self, value: QByteArray) -> None:
        self.store.setValue("window/geometry", value)

    def window_state(self) -> QByteArray | None:
        return self._get_bytes("window/state")

    def set_window_state(self, value: QByteArray) -> None:
        self.store.setValue("window/state", value)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._get_bytes(f"window/splitter_{name}")

    def set_splitter_state(self, name: str, state: QByteArray) -> None:
        self.store.setValue(f"window/splitter_{name}", state)

    def header_state(self, name: str) -> QByteArray | None:
        """A table header's column widths (the queue's: the user may widen the names)."""
        return self._get_bytes(f"window/header_{name}")

    def set_header_state(self, name: str, state: QByteArray) -> None:
        self.store.setValue(f"window/header_{name}", state)

    def compare_mode(self) -> str:
        mode = self._get_str("view/compare_mode", "split")
        return mode if mode in ("split", "side") else "split"

    def set_compare_mode(self, mode: str) -> None:
        self.store.setValue("view/compare_mode", mode)

    # files -----------------------------------------------------------------------------------

    def last_open_dir(self) -> str:
        return self._get_str("files/last_open_dir", str(Path.home()))

    def set_last_open_dir(self, folder: str | Path) -> None:
        self.store.setValue("files/last_open_dir", str(folder))

    def recent_files(self) -> list[str]:
        return [str(p) for p in self._get_json("files/recent", [])][:MAX_RECENT]

    def add_recent(self, paths: list[str | Path]) -> None:
        recent = self.recent_files()
        for path in paths:
            text = str(path)
            if text in recent:
                recent.remove(text)
            recent.insert(0, text)
        self._set_json("files/recent", recent[:MAX_RECENT])

    def clear_recent(self) -> None:
        self._set_json("files/recent", [])

    # export ----------------------------------------------------------------------------------

    def export_dir(self) -> str:
        return self._get_str("export/folder", "")

    def set_export_dir(self, folder: str | Path) -> None:
        self.store.setValue("export/folder", str(folder))

    def recent_export_dir(self) -> str:
        """The last output folder chosen, even after going back to saving beside the originals."""
        return self._get_str("export/recent_folder", "")

    def set_recent_export_dir(self, folder: str | Path) -> None:
        self.store.setValue("export/recent_folder", str(folder))

    def export_format(self) -> str:
        return self._get_str("export/format", "same")

    def set_export_format(self, fmt: str) -> None:
        self.store.setValue("export/format", fmt)

    def export_quality(self) -> int:
        return self._get_in_range("export/quality", ranges.QUALITY, 95)

    def set_export_quality(self, quality: int) -> None:
        self.store.setValue("export/quality", int(quality))

    def auto_save(self) -> bool:
        return self._get_bool("export/auto_save", False)

    def set_auto_save(self, enabled: bool) -> None:
        self.store.setValue("export/auto_save", bool(enabled))

    # model -----------------------------------------------------------------------------------

    def model(self) -> str:
        return self._get_str("model/name", "")

    def set_model(self, name: str) -> None:
        self.store.setValue("model/name", name)

    def device(self) -> str:
        return self._get_str("model/device", "auto")

    def set_device(self, key: str) -> None:
        self.store.setValue("model/device", key)

    def model_shown(self) -> dict:
        """What the model picker showed when the app closed (shown again while the catalogue loads)."""
        return self._get_json("model/shown", {})

    def set_model_shown(self, shown: dict) -> None:
        self._set_json("model/shown", shown)

    def render_size(self) -> int:
        """The chosen render size, or 0 for the model's own."""
        return self._get_in_range("model/render_size", ranges.RENDER_SIZE, 0)

    def set_render_size(self, size: int) -> None:
        self.store.setValue("model/render_size", int(size))

    # training wizard -------------------------------------------------------------------------

    def training_folder(self) -> str:
        """The folder of colour photos the training wizard last scanned."""
        return self._get_str("training/folder", "")

    def set_training_folder(self, folder: str) -> None:
        self.store.setValue("training/folder", folder)

    # adjustments -----------------------------------------------------------------------------

    def adjustments(self) -> dict:
        return self._get_json("adjust/settings", {})

    def set_adjustments(self, data: dict) -> None:
        self._set_json("adjust/settings", data)

    # damage repair ---------------------------------------------------------------------------

    def repair(self) -> dict:
        """The repair panel's state: ``enabled``, ``sensitivity``, ``strength`` (missing keys: defaults)."""
        return self._get_json("repair/settings", {})

    def set_repair(self, data: dict) -> None:
        self._set_json("repair/settings", data)
