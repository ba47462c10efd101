"""Linux desktop integration files, the icons, and install-desktop.sh (fast; no build needed)."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "org.restorer.Restorer"
LINUX = ROOT / "resources" / "linux"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
MIME = ["image/jpeg", "image/png", "image/tiff", "image/bmp", "image/webp"]


def _desktop_entry(path: Path) -> dict:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


def test_desktop_entry_opens_photos_with_the_gui():
    entry = _desktop_entry(LINUX / f"{APP_ID}.desktop")
    assert entry["Type"] == "Application" and entry["Name"] == "Restorer"
    assert entry["Exec"] == "restorer-gui %F"
    assert entry["Icon"] == APP_ID
    assert entry["MimeType"] == ";".join(MIME) + ";"
    assert entry["Categories"] == "Graphics;Photography;"


def test_metainfo_is_appstream_for_the_desktop_entry():
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0" and root.findtext("project_license") == "MIT"
    assert root.find("launchable").text == f"{APP_ID}.desktop"
    assert [node.text for node in root.iter("mediatype")] == MIME
    import restorer

    assert restorer.__version__ in [release.get("version") for release in root.iter("release")]


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_metainfo_validates():
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_entry_validates():
    result = subprocess.run(["desktop-file-validate", str(LINUX / f"{APP_ID}.desktop")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_icons_exist_at_every_size():
    assert (ICONS / "restorer.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in SIZES:
        with Image.open(ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") as image:
            assert image.size == (size, size) and image.mode == "RGBA"
            alpha = image.getchannel("A")
            assert alpha.getpixel((0, 0)) == 0, "icon corners should be transparent"
            assert alpha.getpixel((size // 2, size // 2)) == 255
    for name in ("restorer.ico", "restorer.icns"):
        assert (ICONS / name).stat().st_size > 1000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG desktop integration is Linux-only")
def test_install_desktop_script_installs_and_uninstalls(tmp_path):
    program = tmp_path / "my apps" / "restorer-gui"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    data_home = tmp_path / "share"
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "HOME": str(tmp_path)}
    script = ROOT / "packaging" / "install-desktop.sh"
    result = subprocess.run(["bash", str(script), "--exec", str(program)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    installed = data_home / "applications" / f"{APP_ID}.desktop"
    entry = _desktop_entry(installed)
    assert entry["Exec"] == f'"{program}" %F' and entry["TryExec"] == str(program)
    assert entry["MimeType"] == ";".join(MIME) + ";"
    assert (data_home / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in SIZES:
        assert (data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()

    result = subprocess.run(["bash", str(script), "--uninstall"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert not installed.exists()
    assert not list((data_home / "icons").rglob(f"{APP_ID}.*"))


def test_spec_and_launcher_are_valid_python():
    for name in ("restorer.spec", "launcher.py", "render_icons.py"):
        source = (ROOT / "packaging" / name).read_text(encoding="utf-8")
        compile(source, name, "exec")


def test_launcher_dispatches_on_program_name(monkeypatch):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import launcher
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    calls = []
    monkeypatch.setattr(launcher, "run_cli", lambda: calls.append("cli") or 0)
    monkeypatch.setattr(launcher, "run_gui", lambda: calls.append("gui") or 0)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    for executable, expected in (("/opt/Restorer/restorer", "cli"), ("/opt/Restorer/restorer-gui", "gui"),
                                 (r"C:\Restorer\restorer-gui.exe", "gui")):
        monkeypatch.setattr(sys, "executable", executable.replace("\\", "/"))
        assert launcher.main() == 0
        assert calls.pop() == expected
