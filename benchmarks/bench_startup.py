"""Start-up: `restorer --help` (torch must not load), `restorer models` and the GUI window becoming visible.

    python benchmarks/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from common import ROOT, command_line, git_revision, machine, markdown_table, write_section

GUI_PROBE = r"""
import os, sys, time
start = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from restorer.gui.app import create_app
app = create_app([sys.argv[0]])
from restorer.gui.main_window import MainWindow
window = MainWindow()
window.show()
def shown():
    print(time.time() - start, "torch" in sys.modules)
    window.close()
    window.shutdown()
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def timed(command: list[str], repeat: int, env: dict | None = None, before=None) -> list[float]:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - started)
    return times


def models_listing(repeat: int) -> tuple[list[float], list[float]]:
    """`restorer models` with no cache (it builds every network once) and with the cache it left."""
    import shutil
    import tempfile

    user = tempfile.mkdtemp(prefix="restorer-bench-")
    env = {**os.environ, "RESTORER_USER_DIR": user}
    command = [sys.executable, "-m", "restorer", "models"]
    try:
        cold = timed(command, repeat, env, before=lambda: shutil.rmtree(f"{user}/cache", ignore_errors=True))
        return cold, timed(command, repeat, env)
    finally:
        shutil.rmtree(user, ignore_errors=True)


def gui_visible(repeat: int) -> list[tuple[float, bool]]:
    out = []
    for _ in range(repeat):
        result = subprocess.run([sys.executable, "-c", GUI_PROBE, str(time.time())], capture_output=True,
                                text=True, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        seconds, torch_loaded = result.stdout.split()[-2:]
        out.append((float(seconds), torch_loaded == "True"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    help_times = timed([sys.executable, "-m", "restorer", "--help"], args.repeat)
    baseline = timed([sys.executable, "-c", "pass"], args.repeat)
    gui = gui_visible(args.repeat)
    cold, cached = models_listing(args.repeat)
    rows = [["`restorer --help`", f"{statistics.median(help_times):.2f}", "1.0"],
            ["`restorer models`, first listing (imports torch, builds each network once)",
             f"{statistics.median(cold):.2f}", ""],
            ["`restorer models`, listed from the cards and the cache", f"{statistics.median(cached):.2f}", "1.0"],
            ["bare `python -c pass` (reference)", f"{statistics.median(baseline):.2f}", ""],
            ["GUI main window shown (offscreen)", f"{statistics.median(t for t, _ in gui):.2f}", "3.0"]]
    body = (f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`.\n\n"
            f"Median of {args.repeat} fresh processes, seconds:\n\n"
            + markdown_table(["what", "seconds", "target"], rows)
            + f"\n\ntorch imported before the window was shown: {any(loaded for _, loaded in gui)}.")
    print(body)
    if not args.no_write:
        write_section("7. Start-up", body)


if __name__ == "__main__":
    main()
