"""Shared assertions for the reliability tests: nothing lost, nothing half-written, clear lines."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from restorer.core.progress import run_to_end

MAX_LINE = 200  # characters a failure line may take, not counting the file's own path


def hash_tree(folder: Path) -> dict[str, str]:
    """sha256 of every regular file under ``folder`` (hidden ones too, links not followed)."""
    hashes = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = Path(root, name)
            if path.is_symlink() or not path.is_file():
                continue
            hashes[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def temp_files(*folders: Path) -> list[Path]:
    """Every ``.part`` file (our temp files are hidden ``.<name>.<hex>.part``) under ``folders``."""
    found = []
    for folder in folders:
        for root, _, files in os.walk(folder):
            found += [Path(root, name) for name in files if name.endswith(".part")]
    return found


def visible_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def assert_clear_message(message: str, *paths: Path) -> None:
    """One line, no traceback, and short once the (user-chosen, maybe long) paths are removed."""
    assert message, "a failure must say why"
    assert "\n" not in message and "\r" not in message, message
    assert "Traceback" not in message and 'File "' not in message, message
    short = message
    for path in sorted(paths, key=lambda p: -len(str(p))):
        short = short.replace(str(path), "<path>").replace(Path(path).name, "<name>")
    assert len(short) < MAX_LINE, f"{len(short)} characters: {short}"


drain = run_to_end  # the tests' short name for draining a progress generator


def within(seconds: float, function, *args):
    """``function(*args)`` on a thread; fails the test (instead of hanging it) after ``seconds``."""
    import threading

    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as err:  # noqa: BLE001 - handed back to the test's thread
            outcome["error"] = err

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"hung: still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
