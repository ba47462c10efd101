"""Colour-hint preview latency: the time from a hint edit to its new picture, at preview size.

The app's :class:`~restorer.gui.hint_preview.HintPreviewer` is driven as the hint tool drives it
(offscreen Qt, the network on its worker thread): a 2048 x 1365 preview photo, a few hints, then
``--edits`` edits (recolour, move, add) each waited for. Printed: the median and 90th percentile
from the edit (debounce included) to the picture, the share of it spent in the network, and the
ratio to the 150 ms target. Run it with nothing else on the machine's cores for a fair figure.

    python benchmarks/bench_hints.py [--model NAME] [--edits 30] [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from common import command_line, git_revision, machine, markdown_table, write_section  # noqa: E402

TARGET = 0.150  # seconds from an edit to its picture (issue 16)


def preview_photo(height: int = 1365, width: int = 2048) -> np.ndarray:
    """A grey photo-like preview: gradients, discs, noise."""
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:height, :width].astype(np.float32)
    image = 0.4 + 0.3 * np.sin(xx / 170) * np.cos(yy / 130)
    for _ in range(12):
        cy, cx, r = rng.uniform(0, height), rng.uniform(0, width), rng.uniform(40, 220)
        image[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] = rng.uniform(0.1, 0.9)
    image += rng.normal(0, 0.02, image.shape)
    grey = (np.clip(image, 0, 1) * 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


def edits(count: int):
    """(hints after each edit): recolour, move and add, as a user does."""
    from restorer.pipeline.hints import hint_of_color

    rng = np.random.default_rng(1)
    hints = [hint_of_color(0.3, 0.4, "#3050d0"), hint_of_color(0.7, 0.6, "#c04020")]
    for step in range(count):
        kind = step % 3
        if kind == 0:
            colour = "#" + "".join(f"{int(v):02x}" for v in rng.integers(0, 256, 3))
            hints[-1] = hint_of_color(hints[-1].x, hints[-1].y, colour, hints[-1].radius)
        elif kind == 1:
            hints[0] = hint_of_color(*rng.uniform(0.05, 0.95, 2), hints[0].color, hints[0].radius)
        else:
            hints.append(hint_of_color(*rng.uniform(0.05, 0.95, 2), "#40a040"))
        yield tuple(hints)


def stage_times(colorizer, photo: np.ndarray, count: int) -> dict:
    """Median seconds of each stage of one re-render, run directly (no Qt, no debounce)."""
    from restorer.pipeline.color import luminance, merge_luminance_chroma
    from restorer.pipeline.colorize import ColorizeSettings, predict_chroma

    lum = luminance(photo)
    times: dict[str, list[float]] = {"network": [], "merge": [], "luminance": []}
    for hints in edits(count):
        started = time.perf_counter()
        ab = predict_chroma(colorizer, photo, ColorizeSettings(colorizer.name, hints=hints), lum).ab
        middle = time.perf_counter()
        merge_luminance_chroma(lum, ab, np.uint8)
        times["network"].append(middle - started)
        times["merge"].append(time.perf_counter() - middle)
    for _ in range(3):
        started = time.perf_counter()
        luminance(photo)
        times["luminance"].append(time.perf_counter() - started)
    return {stage: statistics.median(values) for stage, values in times.items()}


def run(model: str | None, count: int) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer

    from restorer.gui.app import create_app
    from restorer.gui.hint_preview import HintPreviewer
    from restorer.models.runtime import load_colorizer
    from restorer.models.zoo import default_model_name

    app = create_app([sys.argv[0]])  # noqa: F841 - the Qt application must exist
    name = model or default_model_name()
    photo = preview_photo()
    stages = stage_times(load_colorizer(name, "cpu"), photo, count)
    previewer = HintPreviewer()
    previewer.set_model(name, "cpu")
    loop = QEventLoop()
    previewer.rendered.connect(lambda *_: loop.quit())
    previewer.request(0, photo, ())  # loads the model and the photo's L (once per photo in the app)
    loop.exec()
    previewer.latencies.clear()
    for hints in edits(count):
        previewer.request(0, photo, hints)
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
    previewer.shutdown()
    latencies = sorted(previewer.latencies)
    return {"model": name, "median": statistics.median(latencies), "p90": latencies[int(0.9 * (len(latencies) - 1))],
            "count": len(latencies), **stages}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="installed model (default: the default model)")
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (the target is for 2 CPU cores)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    result = run(args.model, args.edits)
    rows = [[what, f"{1000 * result[key]:.0f} ms", f"{result[key] / TARGET:.2f}"] for what, key in (
        ("edit -> new picture, median", "median"), ("edit -> new picture, 90th percentile", "p90"),
        ("stage: the network with the hints (all its render scales), median", "network"),
        ("stage: preview L + chroma -> RGB, median", "merge"),
        ("once per photo: the preview's L (kept between edits)", "luminance"))]
    body = (f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`.\n\n"
            f"The app's hint previewer (offscreen, CPU, {args.threads} torch threads), model {result['model']}, "
            f"a 2048 x 1365 preview photo, {result['count']} edits (recolour, move, add) each waited for; "
            f"times include the {25} ms debounce. Target: the new picture within 150 ms of an edit.\n\n"
            + markdown_table(["measure", "time", "ratio to 150 ms"], rows))
    print(body)
    if not args.no_write:
        write_section("9. Colour-hint preview", body)


if __name__ == "__main__":
    main()
