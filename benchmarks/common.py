"""Shared helpers for the benchmark scripts: machine description, timing, Markdown output."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "BENCHMARKS.md"
if str(ROOT) not in sys.path:  # the scripts make their photos with tests/helpers.py, run from anywhere
    sys.path.append(str(ROOT))


def machine() -> str:
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    return (f"{cpu}; {os.cpu_count()} logical cores; torch {torch.__version__} "
            f"({torch.get_num_threads()} threads); GPU: {gpu}; Python {platform.python_version()}")


def best_of(fn, repeat: int = 3) -> float:
    """Median wall time of ``repeat`` calls after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def markdown_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(name: str, body: str) -> None:
    """Replace (or append) the section ``## name`` of docs/BENCHMARKS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\nEach section is written by the script it names.\n"
    marker = f"\n## {name}\n"
    start = text.find(marker)
    section = f"{marker}\n{body.strip()}\n"
    if start >= 0:
        end = text.find("\n## ", start + len(marker))
        text = text[:start] + section + (text[end:] if end >= 0 else "")
    else:
        text += section
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(text)


def command_line() -> str:
    return "python " + " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:])


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return "unknown"
