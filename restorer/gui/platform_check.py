"""Before Qt starts: can its platform plugin load here?

When the xcb plugin's system libraries are missing (a minimal Linux install), Qt prints a hint and
aborts the process with a core dump. This check runs first and turns that into a message naming
the exact `apt install` line, and a non-zero exit. It only reads files and runs `ldd` on the
plugin; it never loads the plugin itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# The libraries Qt 6's xcb plugin needs that a minimal Debian/Ubuntu lacks (README, PACKAGING).
XCB_PACKAGES = ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libxcb-icccm4",
                "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0", "libxcb-shape0")

# Sonames whose Debian package does not follow the policy name (see debian_package).
PACKAGE_EXCEPTIONS = {"libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0"}

# Plugins that talk to a display server and so need its client libraries and address.
DISPLAY_VARIABLES = {"xcb": "DISPLAY"}


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package holding a shared library, by Debian policy's naming rule.

    `libxcb-cursor.so.0` -> `libxcb-cursor0`; a name ending in a digit gets a hyphen first:
    `libxkbcommon-x11.so.0` -> `libxkbcommon-x11-0`.
    """
    if soname in PACKAGE_EXCEPTIONS:
        return PACKAGE_EXCEPTIONS[soname]
    match = re.fullmatch(r"(.+?)\.so\.(\d+)(?:\.\d+)*", soname)
    if match is None:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def requested_platforms(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order (QT_QPA_PLATFORM may list several, `a;b`)."""
    requested = env.get("QT_QPA_PLATFORM", "")
    if requested:
        return [part.split(":", 1)[0] for part in requested.split(";") if part]
    # Qt's own default is xcb; in a Wayland session it may pick the wayland plugin instead.
    return ["wayland", "xcb"] if env.get("WAYLAND_DISPLAY") else ["xcb"]


def plugin_dirs(env: Mapping[str, str]) -> list[Path]:
    """Where Qt looks for platform plugins: the environment's folders, then Qt's own."""
    from PySide6.QtCore import QLibraryInfo

    folders = [Path(p) for p in env.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders += [Path(p) / "platforms" for p in env.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    folders.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    return folders


def plugin_file(name: str, folders: list[Path]) -> Path | None:
    """The plugin library for a platform name (`wayland-egl` is served by libqwayland.so)."""
    stem = "wayland" if name.startswith("wayland") else name
    for folder in folders:
        path = folder / f"libq{stem}.so"
        if path.is_file():
            return path
    return None


def available_platforms(folders: list[Path]) -> list[str]:
    names = {p.name[len("libq"):-len(".so")] for f in folders if f.is_dir() for p in f.glob("libq*.so")}
    return sorted(names)


def missing_libraries(plugin: Path) -> list[str]:
    """The shared libraries the plugin needs that the dynamic loader cannot find (via `ldd`)."""
    ldd = shutil.which("ldd")
    if ldd is None:  # no way to tell: let Qt try
        return []
    try:
        listing = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return []
    found = re.findall(r"^\s*(\S+)\s*=>\s*not found", listing.stdout, flags=re.MULTILINE)
    # Qt's own libraries are loaded in this process already (so Qt's dlopen finds them) even where
    # ldd cannot, e.g. in a frozen bundle: only the system's libraries count.
    return [soname for soname in dict.fromkeys(found) if not soname.startswith("libQt")]


def platform_problem(name: str, folders: list[Path], env: Mapping[str, str]) -> str | None:
    """Why the named platform plugin cannot start here, or None when it should."""
    plugin = plugin_file(name, folders)
    if plugin is None:
        return (f'Qt has no "{name}" platform plugin (QT_QPA_PLATFORM={env.get("QT_QPA_PLATFORM", "")}); '
                f"available: {', '.join(available_platforms(folders)) or 'none'}.")
    missing = missing_libraries(plugin)
    if missing:
        packages = " ".join(dict.fromkeys(debian_package(soname) for soname in missing))
        return (f'Qt\'s "{name}" platform plugin needs system libraries that are missing: '
                f"{', '.join(missing)}.\nInstall them (Debian/Ubuntu) with:\n"
                f"    sudo apt install {packages}")
    variable = DISPLAY_VARIABLES.get(name)
    if variable and not env.get(variable):
        return (f"No display to open a window on ({variable} is not set). Start restorer-gui in a "
                "desktop session, or use the command line `restorer`, which needs none.")
    return None


def startup_problem(env: Mapping[str, str] | None = None) -> str | None:
    """None when Qt's platform plugin should start; otherwise the message to print.

    Only Linux is checked (the plugins' system libraries come from the distribution there); a
    running QApplication means Qt has started already.
    """
    env = os.environ if env is None else env
    from PySide6.QtCore import QCoreApplication

    if not sys.platform.startswith("linux") or QCoreApplication.instance() is not None:
        return None
    return platforms_problem(env)


def platforms_problem(env: Mapping[str, str]) -> str | None:
    """The message when none of the platforms Qt will try can start (the last one's reason)."""
    folders = plugin_dirs(env)
    problems = [platform_problem(name, folders, env) for name in requested_platforms(env)]
    if all(problems):
        return f"restorer-gui cannot start: {problems[-1]}"
    return None
