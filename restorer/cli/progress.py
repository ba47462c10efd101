"""Terminal progress bar over a progress generator (tqdm), shown only when work takes over a second."""

from __future__ import annotations

import sys
import time


def drive(generator, description: str, on_progress=None, delay: float = 1.0):
    """Iterate ``generator`` to its end, drawing a bar after ``delay`` seconds; return its value."""
    from tqdm import tqdm

    bar = None
    started = time.monotonic()
    try:
        while True:
            try:
                progress = next(generator)
            except StopIteration as stop:
                return stop.value
            if on_progress:
                on_progress(progress)
            if bar is None and time.monotonic() - started > delay and _wants_bar():
                bar = tqdm(total=progress.total, desc=description, unit="", dynamic_ncols=True, file=sys.stderr)
            if bar is not None:
                bar.total = progress.total
                bar.n = progress.done
                bar.set_postfix_str(progress.message[:60], refresh=False)
                bar.refresh()
    finally:
        if bar is not None:
            bar.close()


def _wants_bar() -> bool:
    """A terminal gets a bar; logs and pipes don't, unless RESTORER_PROGRESS=1 asks for one."""
    import os

    return sys.stderr.isatty() or os.environ.get("RESTORER_PROGRESS") == "1"
