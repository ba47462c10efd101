"""Where bundled weights and the user's own models live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "Restorer"


def bundled_weights_dir() -> Path:
    """The `weights/` folder shipped with the app (source tree or frozen bundle)."""
    override = os.environ.get("RESTORER_WEIGHTS_DIR")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "weights"
    return Path(__file__).resolve().parents[2] / "weights"


def user_data_dir() -> Path:
    """Per-user data folder (platformdirs); RESTORER_USER_DIR overrides it (tests, portable use)."""
    override = os.environ.get("RESTORER_USER_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_models_dir() -> Path:
    """Folder holding models the user trained or imported; created on demand."""
    path = user_data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_log_file() -> Path:
    """The log holding full tracebacks and library warnings (platformdirs' log folder, or
    ``$RESTORER_USER_DIR/logs``); its folder is not created here."""
    override = os.environ.get("RESTORER_USER_DIR")
    if override:
        return Path(override) / "logs" / "restorer.log"
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False) / "restorer.log"
