"""Peak memory (RSS) of `restorer colorize` on a 24 MP and a 50 MP scan, each in a fresh process.

    python benchmarks/bench_memory.py [--sizes 24,50] [--model NAME]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, command_line, git_revision, machine, markdown_table, write_section


def child_peak_rss_mb(command: list[str]) -> tuple[float, float, int]:
    """Run ``command`` and return (peak RSS MB of that child alone, seconds, exit code)."""
    probe = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter(); rc = subprocess.call(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, time.perf_counter() - t, rc)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, cwd=ROOT)
    peak, seconds, code = out.stdout.split()[-3:]
    return float(peak), float(seconds), int(code)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="24,50")
    parser.add_argument("--model", default=None, help="default: the flagship")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from restorer.models.zoo import FLAGSHIP

    args.model = args.model or FLAGSHIP
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_inference import make_photo

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for megapixels in (float(s) for s in args.sizes.split(",")):
            photo = make_photo(megapixels, Path(tmp))
            command = [sys.executable, "-m", "restorer", "colorize", str(photo), "-o", str(Path(tmp) / "out"),
                       "--model", args.model, "--overwrite"]
            peak, seconds, code = child_peak_rss_mb(command)
            rows.append([f"{megapixels:g}", args.model, f"{peak:.0f}", f"{seconds:.1f}", "ok" if code == 0 else f"exit {code}"])
            print(rows[-1], flush=True)
    body = (f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`.\n\n"
            "Peak resident memory of a whole `restorer colorize` process (Python, torch, model, decode, "
            "colorize, JPEG encode) on a generated JPEG scan:\n\n"
            + markdown_table(["MP", "model", "peak RSS MB", "wall s", "result"], rows))
    print(body)
    if not args.no_write:
        write_section("2. Peak memory", body)


if __name__ == "__main__":
    main()
