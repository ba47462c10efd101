"""GUI responsiveness and GUI batch throughput, offscreen: the longest event-loop stall while the
runner colorizes a batch (a 5 ms probe QTimer), and photos/minute of the GUI worker.

    python benchmarks/bench_gui.py [--count 40]      # uses the default model
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import command_line, git_revision, machine, markdown_table, write_section  # noqa: E402


def run(count: int) -> dict:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from bench_batch import make_folder
    from restorer.gui.app import create_app
    from restorer.gui.main_window import MainWindow
    from restorer.gui.session import DONE
    from restorer.gui.settings import Settings

    app = create_app([sys.argv[0]])
    with tempfile.TemporaryDirectory() as tmp:
        photos = make_folder(Path(tmp) / "in", count)
        window = MainWindow(Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)))
        window.show()
        gaps, last, state = [], [time.perf_counter()], {"started": None, "ended": None}
        loop = QEventLoop()

        def probe():
            now = time.perf_counter()
            if state["started"] is not None and state["ended"] is None:
                gaps.append(now - last[0])
            last[0] = now
            if state["started"] is None and window.picker.loaded and window.model.rowCount() == count:
                state["started"] = now
                window.run_queue()
            elif state["started"] is not None and state["ended"] is None and window.session.queue.count(DONE) == count \
                    and not window.session.running:
                state["ended"] = now
                loop.quit()

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(probe)
        timer.start()
        window.add_paths([str(p) for p in photos])
        QTimer.singleShot(600_000, loop.quit)
        loop.exec()
        timer.stop()
        window.shutdown()
        window.close()
    seconds = state["ended"] - state["started"]
    gaps.sort()
    return {"seconds": seconds, "max_gap_ms": 1000 * gaps[-1], "p99_gap_ms": 1000 * gaps[int(0.99 * (len(gaps) - 1))],
            "ticks": len(gaps), "photos_per_min": 60 * count / seconds, "model": window.picker.model_name()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    result = run(args.count)
    rows = [["longest event-loop stall", f"{result['max_gap_ms']:.1f} ms", "≤ 50 ms"],
            ["99th percentile probe interval", f"{result['p99_gap_ms']:.1f} ms", ""],
            ["probe ticks while running", result["ticks"], ""],
            ["GUI worker throughput", f"{result['photos_per_min']:.0f} photos/min", ""]]
    body = (f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`.\n\n"
            f"Main window offscreen, {args.count} generated JPEGs (0.12-1.9 MP), model {result['model']}, "
            "CPU; a 5 ms QTimer probes the event loop from Run until the last photo is done (thumbnails, "
            "previews and the progress UI all live).\n\n" + markdown_table(["measure", "value", "target"], rows))
    print(body)
    if not args.no_write:
        write_section("4. GUI responsiveness", body)


if __name__ == "__main__":
    main()
