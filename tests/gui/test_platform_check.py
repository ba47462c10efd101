"""The launch check: a missing platform plugin or missing system libraries give a message naming
the `apt install` line and a non-zero exit, never Qt's abort (core dump)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from restorer.gui.platform_check import XCB_PACKAGES, debian_package, platforms_problem

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None,
                                reason="the check covers Linux, where it uses ldd")

ROOT = Path(__file__).resolve().parents[2]


def real_xcb_plugin() -> Path:
    from PySide6.QtCore import QLibraryInfo

    plugin = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        pytest.skip("this Qt has no xcb plugin")
    return plugin


@pytest.fixture
def broken_xcb(tmp_path) -> Path:
    """A copy of Qt's xcb plugin whose libxcb-cursor dependency is renamed to a library no system
    has (libxcb-cursor.so.9), so loading it fails as on a machine without libxcb-cursor0."""
    plugin = real_xcb_plugin()
    data = plugin.read_bytes()
    needed = b"libxcb-cursor.so.0\x00"
    if needed not in data:
        pytest.skip("this xcb plugin does not link libxcb-cursor")
    folder = tmp_path / "plugins" / "platforms"
    folder.mkdir(parents=True)
    (folder / plugin.name).write_bytes(data.replace(needed, b"libxcb-cursor.so.9\x00"))
    # The plugin finds Qt's own libraries through RUNPATH $ORIGIN/../../lib.
    (tmp_path / "lib").symlink_to(plugin.parents[2] / "lib", target_is_directory=True)
    return folder


def run_gui(env_changes: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_changes}
    return subprocess.run([sys.executable, "-m", "restorer.gui.app"], env=env, capture_output=True,
                          text=True, timeout=120)


def test_debian_package_names_follow_policy():
    sonames = ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libEGL.so.1", "libxcb-icccm.so.4",
               "libxcb-keysyms.so.1"]
    assert [debian_package(name) for name in sonames] == list(XCB_PACKAGES[:5])
    assert debian_package("libX11.so.6") == "libx11-6"
    assert debian_package("libglib-2.0.so.0") == "libglib2.0-0"


def test_missing_library_names_the_apt_line(broken_xcb):
    env = {"QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_xcb), "DISPLAY": ":0"}
    message = platforms_problem(env)
    assert message is not None and "libxcb-cursor.so.9" in message
    apt_line = next(line for line in message.splitlines() if "apt install" in line)
    assert "libxcb-cursor9" in apt_line.split()


def test_gui_exits_with_the_message_instead_of_aborting(broken_xcb):
    done = run_gui({"QT_QPA_PLATFORM": "xcb", "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_xcb),
                    "DISPLAY": ":0"})
    assert done.returncode == 1, done.stderr  # Qt's own failure is SIGABRT (-6)
    assert "sudo apt install" in done.stderr and "libxcb-cursor9" in done.stderr


def test_unknown_platform_lists_the_available_ones():
    message = platforms_problem({"QT_QPA_PLATFORM": "nosuch"})
    assert message is not None and '"nosuch"' in message and "offscreen" in message


def test_offscreen_skips_the_xcb_check(broken_xcb):
    env = {"QT_QPA_PLATFORM": "offscreen", "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_xcb)}
    assert platforms_problem(env) is None


def test_a_fallback_platform_that_loads_is_enough(broken_xcb):
    env = {"QT_QPA_PLATFORM": "xcb;offscreen", "QT_QPA_PLATFORM_PLUGIN_PATH": str(broken_xcb)}
    assert platforms_problem(env) is None


def test_no_display_is_named(monkeypatch):
    real_xcb_plugin()
    # As on a machine that has every library xcb needs (the display check comes after them).
    monkeypatch.setattr("restorer.gui.platform_check.missing_libraries", lambda plugin: [])
    message = platforms_problem({"QT_QPA_PLATFORM": "xcb"})
    assert message is not None and "DISPLAY" in message
