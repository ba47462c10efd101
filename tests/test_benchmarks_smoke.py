"""The benchmark scripts still run (quick smoke mode; real figures live in docs/BENCHMARKS.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_inference_benchmark_quick_mode(tiny_weights_dir):
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'benchmarks'}"}
    result = subprocess.run([sys.executable, "benchmarks/bench_inference.py", "--quick"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| 0.1 | vivid |" in result.stdout and "eccv16 (random weights)" in result.stdout


def test_hint_preview_benchmark_runs(tiny_weights_dir):
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'benchmarks'}", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "benchmarks/bench_hints.py", "--edits", "2", "--no-write"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| edit -> new picture, median |" in result.stdout and "model vivid" in result.stdout
