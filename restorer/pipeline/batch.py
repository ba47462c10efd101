"""Colorizing files: one photo end to end, and a batch as a generator of progress.

A batch never stops for one bad file: each failure becomes a result with a one-line reason.
Decoding the next photo and encoding the previous one run on helper threads while the network
works on the current one (OpenCV/Pillow release the GIL), so small photos stream through.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from restorer.core.errors import RestorerError
from restorer.core.progress import NEVER_CANCELLED, CancelToken, Progress
from restorer.pipeline.inference import ColorizeOptions, colorize_array
from restorer.pipeline.io import LoadedImage, load_image, output_path_for, save_image


@dataclass
class BatchOptions:
    out_dir: Path | None = None
    suffix: str = "_colorized"
    ext: str | None = None  # output extension; None keeps the input's
    quality: int = 95
    resume: bool = False  # skip photos whose output already exists (outputs are written atomically)
    overwrite: bool = False  # replace existing outputs (never an original)
    colorize: ColorizeOptions = field(default_factory=ColorizeOptions)
    adjustments: object | None = None  # restorer.pipeline.postprocess.Adjustments


@dataclass
class ItemResult:
    source: Path
    output: Path | None
    status: str  # "done", "skipped" or "failed"
    message: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class BatchSummary:
    results: list[ItemResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[ItemResult]:
        return [r for r in self.results if r.status == "failed"]


def colorize_loaded(colorizer, image: LoadedImage, options: BatchOptions) -> np.ndarray:
    """Colorize decoded pixels and apply the adjustments; returns RGB of the input's dtype."""
    rgb = colorize_array(colorizer, image.pixels, options.colorize)
    adj = options.adjustments
    if adj is not None and not adj.is_neutral:
        from restorer.pipeline.postprocess import apply_adjustments

        scale = 65535.0 if rgb.dtype == np.uint16 else 255.0
        rgb = np.rint(apply_adjustments(rgb, adj) * scale).astype(rgb.dtype)
    return rgb


def colorize_file(colorizer, path: Path, options: BatchOptions | None = None) -> ItemResult:
    """Load, colorize, adjust and save one photo; errors become a failed result, never an exception."""
    generator = colorize_batch(colorizer, [Path(path)], options, prefetch=1)
    while True:
        try:
            next(generator)
        except StopIteration as stop:
            return stop.value.results[0]


def _target(path: Path, options: BatchOptions) -> Path | None:
    try:
        return output_path_for(path, options.out_dir, options.suffix, options.ext)
    except RestorerError:
        return None


def _as_error(err: Exception) -> RestorerError:
    """Any exception from one photo becomes a one-line error for that photo alone."""
    if isinstance(err, RestorerError):
        return err
    if isinstance(err, MemoryError):
        return RestorerError("not enough memory for this photo; try a smaller render size")
    return RestorerError(f"unexpected {type(err).__name__}: {err}")


def _load_or_error(path: Path):
    try:
        return load_image(path)
    except Exception as err:  # noqa: BLE001 - one broken file must never stop the batch
        return _as_error(err)


def colorize_batch(colorizer, paths: list[Path], options: BatchOptions | None = None,
                   cancel: CancelToken = NEVER_CANCELLED, prefetch: int = 2):
    """Colorize ``paths`` one after another; yields Progress(payload=ItemResult), returns BatchSummary."""
    options = options or BatchOptions()
    summary = BatchSummary()
    total = len(paths)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="restorer-io") as pool:
        pending: deque[tuple[Path, Future]] = deque()
        saving: deque[tuple[Path, float, LoadedImage, Future]] = deque()
        queue = iter(paths)

        def refill():
            while len(pending) < prefetch:
                path = next(queue, None)
                if path is None:
                    return
                target = _target(path, options)
                if options.resume and target is not None and target.exists():
                    pending.append((path, None))
                else:
                    pending.append((path, pool.submit(_load_or_error, path)))

        refill()
        while pending or saving:
            if cancel.cancelled:
                summary.cancelled = True
                for _, future in pending:
                    if future is not None:
                        future.cancel()
                break
            if saving and (not pending or len(saving) >= prefetch or saving[0][3].done()):
                result = _collect(saving.popleft())
            else:
                result = _process(colorizer, pending.popleft(), options, pool, saving)
                refill()
            if result is None:
                continue
            summary.results.append(result)
            yield Progress(len(summary.results), total, "colorize", f"{result.status}: {result.source.name}", result)
        for item in saving:  # finish writes already started so no photo is half-handled
            result = _collect(item)
            summary.results.append(result)
            yield Progress(len(summary.results), total, "colorize", f"{result.status}: {result.source.name}", result)
    return summary


def _process(colorizer, item, options, pool, saving) -> ItemResult | None:
    path, future = item
    started = time.monotonic()
    if future is None:
        return ItemResult(path, _target(path, options), "skipped", "output already exists")
    image = future.result()
    if isinstance(image, RestorerError):
        return ItemResult(path, None, "failed", str(image))
    try:
        target = output_path_for(image.path, options.out_dir, options.suffix, options.ext)
        rgb = colorize_loaded(colorizer, image, options)
    except Exception as err:  # noqa: BLE001
        return ItemResult(path, None, "failed", str(_as_error(err)), seconds=time.monotonic() - started)
    write = pool.submit(save_image, rgb, target, alpha=image.alpha, like=image, quality=options.quality,
                        overwrite=options.overwrite)
    saving.append((path, started, image, write))
    return None


def _collect(item) -> ItemResult:
    path, started, image, future = item
    try:
        written = future.result()
    except Exception as err:  # noqa: BLE001
        return ItemResult(path, None, "failed", str(_as_error(err)), seconds=time.monotonic() - started)
    return ItemResult(path, written, "done", "", list(image.notes), time.monotonic() - started)
