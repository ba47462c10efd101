"""Batch throughput (photos/minute) for a folder of mixed-size photos: the overlapped batch
pipeline against a plain one-at-a-time loop, in one run.

    python benchmarks/bench_batch.py [--count 200] [--model NAME]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from common import command_line, git_revision, machine, markdown_table, write_section

SIZES = [(480, 640), (600, 800), (768, 1024), (300, 400), (1200, 1600), (720, 960)]


def make_folder(folder: Path, count: int) -> list[Path]:
    from tests.helpers import synthetic_photo

    folder.mkdir(parents=True, exist_ok=True)
    base = synthetic_photo(240, 320)
    paths = []
    for index in range(count):
        height, width = SIZES[index % len(SIZES)]
        image = cv2.resize(np.roll(base, index * 7, axis=1), (width, height), interpolation=cv2.INTER_LINEAR)
        path = folder / f"scan_{index:04d}.jpg"
        cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
        paths.append(path)
    return paths


def one_at_a_time(colorizer, paths, out_dir: Path) -> float:
    from restorer.pipeline.colorize import colorize_array
    from restorer.pipeline.io import load_image, output_path_for, save_image

    started = time.perf_counter()
    for path in paths:
        image = load_image(path)
        rgb = colorize_array(colorizer, image.pixels)
        save_image(rgb, output_path_for(path, out_dir), like=image, overwrite=True)
    return time.perf_counter() - started


def pipelined(colorizer, paths, out_dir: Path) -> float:
    from restorer.pipeline.batch import BatchOptions, colorize_batch

    started = time.perf_counter()
    summary = None
    generator = colorize_batch(colorizer, paths, BatchOptions(out_dir=out_dir, overwrite=True))
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            summary = stop.value
            break
    assert not summary.failed, summary.failed[:3]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--model", default=None, help="default: the flagship")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved pairs of runs; the median pair is reported")
    args = parser.parse_args()
    from restorer.models.runtime import load_colorizer
    from restorer.models.zoo import FLAGSHIP

    args.model = args.model or FLAGSHIP

    colorizer = load_colorizer(args.model, "cpu")
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_folder(Path(tmp) / "in", args.count)
        megapixels = sum(cv2.imread(str(p)).shape[0] * cv2.imread(str(p)).shape[1] for p in paths[:6]) / 6e6
        for index in range(args.repeat):
            pairs.append((one_at_a_time(colorizer, paths, Path(tmp) / f"serial{index}"),
                          pipelined(colorizer, paths, Path(tmp) / f"batch{index}")))
    pairs.sort(key=lambda pair: pair[0] / pair[1])
    ratios = [serial / overlapped for serial, overlapped in pairs]
    serial, overlapped = pairs[len(pairs) // 2]
    rows = [["one at a time", f"{serial:.1f}", f"{60 * args.count / serial:.0f}"],
            ["batch pipeline (overlapped I/O)", f"{overlapped:.1f}", f"{60 * args.count / overlapped:.0f}"]]
    body = (f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`.\n\n"
            f"{args.count} generated JPEGs of six sizes (0.12-1.9 MP, mean {megapixels:.2f} MP), model "
            f"{args.model}, CPU; {args.repeat} interleaved pairs of runs, the median pair shown.\n\n"
            + markdown_table(["mode", "seconds", "photos/minute"], rows)
            + f"\n\nSpeed-up of the batch pipeline: **{serial / overlapped:.2f}x** (median; all pairs: "
            + ", ".join(f"{r:.2f}x" for r in ratios) + ").")
    print(body)
    if not args.no_write:
        write_section("3. Batch throughput", body)


if __name__ == "__main__":
    main()
