"""Colorizing files: one photo end to end, and a batch as a generator of progress.

A batch never stops for one bad file: each failure becomes a result with a one-line reason.
Two photos go through the pipeline at once on worker threads, so one's decoding and encoding
overlap the other's network (OpenCV, Pillow and torch release the GIL).
"""

from __future__ import annotations

import os
import re
import stat
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from restorer.core.errors import CancelledError, RestorerError
from restorer.core.progress import NEVER_CANCELLED, CancelToken, Progress, run_to_end
from restorer.core.atomic import remove_stale_temp_files
from restorer.models.runtime import Colorizer
from restorer.pipeline.color import luminance
from restorer.pipeline.colorize import ChromaResult, ColorizeSettings, load_photo, predict_chroma, save_result
from restorer.pipeline.io import LoadedImage, OutputOptions, output_path, save_image


@dataclass
class BatchOptions:
    out_dir: Path | None = None
    source_roots: tuple[Path, ...] = ()  # folders the user gave: their sub-folders are mirrored in out_dir
    suffix: str = "_colorized"
    ext: str | None = None  # output extension; None keeps the input's
    quality: int = 95
    resume: bool = False  # skip photos whose output already exists (outputs are written atomically)
    overwrite: bool = False  # replace existing outputs (never an original)
    settings: ColorizeSettings = field(default_factory=ColorizeSettings)  # render size, adjustments, ...
    sidecar_hints: bool = True  # photos without hints of their own use their photo.jpg.hints.json

    @property
    def output(self) -> OutputOptions:
        """The naming policy these options ask for (an existing output is refused unless ``overwrite``)."""
        return OutputOptions(self.out_dir, self.suffix, self.ext, self.quality,
                             "overwrite" if self.overwrite else "fail", tuple(self.source_roots))


@dataclass
class ItemResult:
    source: Path
    output: Path | None
    status: str  # "done", "skipped", "failed" or "cancelled"
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


def colorize_loaded(colorizer: Colorizer, image: LoadedImage, options: BatchOptions
                    ) -> tuple[ChromaResult, np.ndarray]:
    """The network's answer for one decoded photo, and the photo's L (rendering it needs that too)."""
    lum = luminance(image.pixels)
    return predict_chroma(colorizer, image.pixels, options.settings, lum), lum


def colorize_file(colorizer: Colorizer, path: Path, options: BatchOptions | None = None) -> ItemResult:
    """Load, colorize, adjust and save one photo; errors become a failed result, never an exception."""
    return run_to_end(colorize_batch(colorizer, [Path(path)], options, workers=1)).results[0]


def output_for(path: Path, options: BatchOptions) -> Path:
    """Where ``path``'s result goes (see :class:`~restorer.pipeline.io.OutputOptions`)."""
    return output_path(path, options.output)


def _target(path: Path, options: BatchOptions) -> Path | None:
    try:
        return output_for(path, options)
    except RestorerError:
        return None


def _exists(path: Path) -> bool:
    """``path.exists()``, but False (not an exception) when it cannot even be looked at."""
    try:
        return path.exists()
    except OSError:  # e.g. a parent folder we may not search: saving will say why
        return False


def existing_outputs(paths: list[Path], options: BatchOptions) -> list[Path]:
    """The outputs of ``paths`` that already exist: checked before any photo is computed, so a run
    that could only fail to replace them says so at once."""
    targets = (_target(Path(path), options) for path in paths)
    return [target for target in targets if target is not None and _exists(target)]


MAX_MESSAGE = 400  # characters: room for a long path, not for a dump of an array


def _one_line(text: str) -> str:
    text = re.sub(r"[\r\n]+", " ", text).strip()
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "\u2026"


def _as_error(err: Exception) -> RestorerError:
    """Any exception from one photo becomes a one-line error for that photo alone."""
    if isinstance(err, RestorerError):
        return RestorerError(_one_line(str(err)))
    if isinstance(err, MemoryError):  # in decoding or saving: the network's own is handled in colorize
        return RestorerError("not enough memory for this photo; try a smaller render size")
    kind = type(err).__name__
    if type(err).__module__ != "builtins":
        kind = f"{type(err).__module__}.{kind}"  # cv2.error says more than 'error'
    detail = _one_line(f"{kind}: {err}")
    detail = detail if len(detail) <= 120 else detail[:119] + "\u2026"
    return RestorerError(f"internal error (please report it): {detail}")


def _key(path: Path) -> str:
    """Identity of a file for collision checks: absolute with links resolved, and case-blind
    where file systems usually are (Windows, macOS)."""
    try:
        key = os.path.normcase(os.path.realpath(path))
    except (OSError, ValueError):
        key = os.path.normcase(os.path.abspath(path))
    return key.casefold() if sys.platform == "darwin" else key


def plan_outputs(paths: list[Path], options: BatchOptions) -> list[tuple[Path | None, ItemResult | None]]:
    """Per photo: its output path, and a result decided before any work (else None).

    An output never replaces another photo of the batch (``-o`` the photos' folder with an
    empty suffix, or ``a.gif`` and ``a.png`` both becoming ``a.png``), and two photos never
    share one output. With a suffix, a photo that *is* another photo's output (left beside it
    by an earlier run) is skipped rather than colorized again.
    """
    keys = [_key(path) for path in paths]
    targets = [_target(path, options) for path in paths]
    target_keys = [None if target is None else _key(target) for target in targets]
    inputs: dict[str, Path] = {}
    for key, path in zip(keys, paths):
        inputs.setdefault(key, path)
    earlier_outputs: dict[str, Path] = {}
    if options.suffix:
        for path, key, target_key in zip(paths, keys, target_keys):
            if target_key is not None and target_key != key and target_key in inputs:
                earlier_outputs.setdefault(target_key, path)
    owners: dict[str, tuple[str, Path]] = {}
    plan: list[tuple[Path | None, ItemResult | None]] = []
    for path, key, target, target_key in zip(paths, keys, targets, target_keys):
        verdict = None
        if key in earlier_outputs:
            verdict = ItemResult(path, None, "skipped",
                                 f"it is the output of {earlier_outputs[key].name} from an earlier run")
        elif target_key is not None and target_key in inputs and target_key not in earlier_outputs:
            verdict = ItemResult(path, None, "failed", _one_line(
                f"Not colorized: its output {target.name} would replace {inputs[target_key].name}, "
                "another photo being colorized; use a suffix or another output folder"))
        elif target_key is not None and target_key in owners and owners[target_key][0] != key:
            verdict = ItemResult(path, None, "failed", _one_line(
                f"Not colorized: {owners[target_key][1].name} has the same output name {target.name}; "
                "rename one of them or choose an output format"))
        elif target_key is not None:
            owners.setdefault(target_key, (key, path))
        plan.append((target, verdict))
    return plan


def remove_stale_temp_files_of(plan: list[tuple[Path | None, ItemResult | None]]) -> int:
    """Remove the ``.part`` files a killed earlier run left in the folders this batch writes
    into (its ``-o`` folder and the sub-folders mirrored there, or the photos' own folders);
    returns how many. Only our temp-file pattern is touched, and never a file a live writer
    holds (see :func:`restorer.core.atomic.remove_stale_temp_files`)."""
    folders = {target.parent for target, _ in plan if target is not None}
    return sum(remove_stale_temp_files(folder) for folder in folders)


class PixelBudget:
    """Caps the megapixels being processed at once so parallel work cannot multiply peak memory:
    a photo waits until it fits, but one photo alone is always admitted."""

    # Counted in whole pixels: with float megapixels, acquiring and releasing 0.003072 and 400.0
    # left ~1e-13 "in use" with nothing running, so a photo over the limit waited forever.

    def __init__(self, megapixels: float) -> None:
        self.limit = megapixels
        self._limit_px = self._pixels(megapixels)
        self._in_use_px = 0
        self._cond = threading.Condition()

    @staticmethod
    def _pixels(megapixels: float) -> int:
        return max(0, round(megapixels * 1e6))

    @property
    def in_use(self) -> float:
        """Megapixels currently admitted."""
        return self._in_use_px / 1e6

    def acquire(self, megapixels: float) -> None:
        pixels = self._pixels(megapixels)
        with self._cond:
            self._cond.wait_for(lambda: self._in_use_px == 0 or self._in_use_px + pixels <= self._limit_px)
            self._in_use_px += pixels

    def release(self, megapixels: float) -> None:
        with self._cond:
            self._in_use_px -= self._pixels(megapixels)
            self._cond.notify_all()


def _header_megapixels(path: Path) -> float:
    """Pixel count from the file header only (no decode); 1 MP when the header is unreadable.

    Only a regular file is opened: opening a FIFO named ``.jpg`` would wait forever.
    """
    from PIL import Image

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return 1.0  # load_image reports the real problem
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return 1.0
            with Image.open(handle) as image:
                return image.size[0] * image.size[1] / 1e6
    except Exception:  # noqa: BLE001 - load_image reports the real problem
        return 1.0


def _one_photo(colorizer, path: Path, target: Path | None, options: BatchOptions, budget: PixelBudget,
               cancel: CancelToken) -> ItemResult:
    """The whole pipeline for one photo on a worker thread; every error becomes a failed result."""
    started = time.monotonic()
    if target is not None and not options.overwrite and _exists(target):  # decided before any work
        if options.resume:
            return ItemResult(path, target, "skipped", "output already exists")
        return ItemResult(path, None, "failed", _one_line(f"Not colorized: its output {target} already exists"))
    megapixels = _header_megapixels(path)
    budget.acquire(megapixels)
    try:
        cancel.raise_if_cancelled()
        image = load_photo(path, options.settings.repair)  # repaired first when the settings ask
        target = output_for(image.path, options)
        cancel.raise_if_cancelled()
        written, notes = _process(colorizer, image, target, options)
    except CancelledError:
        return ItemResult(path, None, "cancelled", "cancelled before it finished")
    except Exception as err:  # noqa: BLE001 - one broken file must never stop the batch
        return ItemResult(path, None, "failed", str(_as_error(err)), seconds=time.monotonic() - started)
    finally:
        budget.release(megapixels)
    return ItemResult(path, written, "done", "", list(image.notes) + notes, time.monotonic() - started)


def _process(colorizer, image: LoadedImage, target: Path, options: BatchOptions) -> tuple[Path, list[str]]:
    """Colorize, adjust and save a decoded photo: (path written, notes). Without a colorizer
    (`restorer repair`) the photo as decoded and repaired is what is saved."""
    if colorizer is None:
        return save_image(image.pixels, target, alpha=image.alpha, like=image, quality=options.quality,
                          overwrite=options.overwrite), []
    options, hint_notes = _with_hints_of(colorizer, image.path, options)
    result, lum = colorize_loaded(colorizer, image, options)
    written = save_result(result, image, options.settings.adjustments, options.output, target, lum)
    return written, hint_notes + result.notes


def _with_hints_of(colorizer, path: Path, options: BatchOptions) -> tuple[BatchOptions, list[str]]:
    """``options`` with the photo's sidecar hints (when it has none of its own), and a note when
    the model cannot use the hints it was given."""
    from dataclasses import replace

    from restorer.pipeline.hints import hint_support_problem, with_photo_hints

    settings = with_photo_hints(options.settings, path, options.sidecar_hints)
    problem = hint_support_problem(colorizer.spec) if settings.hints else None
    notes = [f"its {len(settings.hints)} colour hint(s) were not used: {problem}"] if problem else []
    return replace(options, settings=settings), notes


def colorize_planned(colorizer, path: Path, target: Path | None, options: BatchOptions) -> ItemResult:
    """One photo of a batch, given the output :func:`plan_outputs` chose for it, on its own (what a
    worker elsewhere runs, e.g. on a cluster); every error becomes a failed result."""
    return _one_photo(colorizer, path, target, options, PixelBudget(0.0), NEVER_CANCELLED)


@contextmanager
def _threads_per_worker(colorizer, workers: int):
    """On the CPU, share torch's threads out between the workers while the batch runs: two
    workers' network passes each asking for every core at once oversubscribe them (measured on
    2 cores, 200 photos: 15 % slower than one thread each)."""
    import torch

    before = torch.get_num_threads()
    if workers > 1 and getattr(getattr(colorizer, "device", None), "type", "cpu") == "cpu":
        torch.set_num_threads(max(1, before // workers))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def colorize_batch(colorizer, paths: list[Path], options: BatchOptions | None = None,
                   cancel: CancelToken = NEVER_CANCELLED, workers: int = 2, max_megapixels: float = 30.0):
    """Colorize ``paths``; yields Progress(payload=ItemResult) in input order, returns BatchSummary.

    ``workers`` photos run through the pipeline at once (decode and encode of one overlap the
    network of another; OpenCV, Pillow and torch release the GIL), within ``max_megapixels``.
    Cancelling stops at the next stage of each photo in flight; written outputs are complete.
    """
    options = options or BatchOptions()
    summary = BatchSummary()
    budget = PixelBudget(max_megapixels)
    paths = [Path(path) for path in paths]
    plan = plan_outputs(paths, options)
    remove_stale_temp_files_of(plan)
    queue = iter(zip(paths, plan))
    with _threads_per_worker(colorizer, workers), \
            ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="restorer-batch") as pool:
        in_flight: deque[Future] = deque()

        def submit_next() -> None:
            path, (target, verdict) = next(queue, (None, (None, None)))
            if path is None or cancel.cancelled:
                return
            if verdict is not None:
                decided: Future = Future()
                decided.set_result(verdict)
                in_flight.append(decided)
            else:
                in_flight.append(pool.submit(_one_photo, colorizer, path, target, options, budget, cancel))

        for _ in range(max(1, workers) + 1):
            submit_next()
        while in_flight:
            future = in_flight.popleft()
            if future.cancelled():
                continue
            result = future.result()
            if result.status == "cancelled" or cancel.cancelled:
                summary.cancelled = True
                for future in in_flight:
                    future.cancel()
                if result.status != "cancelled":
                    summary.results.append(result)
                continue
            summary.results.append(result)
            yield Progress(len(summary.results), len(paths), "colorize", f"{result.status}: {result.source.name}",
                           result)
            submit_next()
    return summary
