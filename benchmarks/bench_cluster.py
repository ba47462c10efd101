"""Cluster throughput: photos/minute of the local batch and of 1 and 2 Ray workers on this machine
(`--cluster local:N`), in one run, and the scaling model fitted to them (per-worker throughput, the
driver's cost per photo, start-up), projected to 1M photos at N workers.

    python benchmarks/bench_cluster.py [--count 200] [--model vivid] [--repeat 3] [--driver-count 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench_batch import make_folder, pipelined
from common import command_line, git_revision, machine, markdown_table, write_section

MILLION = 1_000_000
PROJECTED_WORKERS = (1, 2, 8, 32, 128, 512)


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MB; 0 where /proc is missing."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def local_batch(model: str, paths: list[Path], tmp: Path, repeat: int) -> list[float]:
    """Seconds per run of today's batch (two photos at once on threads) in this process."""
    from restorer.models.runtime import load_colorizer

    colorizer = load_colorizer(model, "cpu")
    return [pipelined(colorizer, paths, tmp / f"local{index}") for index in range(repeat)]


def cluster_runs(pool, paths: list[Path], out: Path, repeat: int) -> list[float]:
    """Seconds per run of the same photos on a started pool (its start-up not included)."""
    from restorer.core.progress import run_to_end
    from restorer.pipeline.batch import BatchOptions

    seconds = []
    for index in range(repeat):
        started = time.perf_counter()
        summary = run_to_end(pool.colorize(paths, BatchOptions(out_dir=out / str(index), overwrite=True)))
        seconds.append(time.perf_counter() - started)
        assert not summary.failed, summary.failed[:3]
    return seconds


def driver_cost(pool, count: int, tmp: Path) -> dict:
    """The driver's own cost per photo: ``count`` photos whose outputs all exist, with --resume,
    so each worker only looks the output up; also the driver's memory across that run."""
    from restorer.pipeline.batch import BatchOptions, output_for, plan_outputs

    source, out = tmp / "fake", tmp / "fake_out"
    paths = [source / f"roll{index // 1000:03d}" / f"scan_{index:06d}.jpg" for index in range(count)]
    options = BatchOptions(out_dir=out, source_roots=(source,), resume=True)
    for path in paths:
        target = output_for(path, options)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch()
    started = time.perf_counter()
    plan_outputs(paths, options)
    plan_seconds = time.perf_counter() - started
    memory = {"before": rss_mb()}
    started = time.perf_counter()
    for progress in pool.colorize(paths, options):
        if progress.done == 1:
            memory["planned"] = rss_mb()
        if progress.done % 500 == 0:
            memory["highest"] = max(memory.get("highest", 0.0), rss_mb())
        assert progress.payload.status == "skipped", progress.payload
    run_seconds = time.perf_counter() - started - plan_seconds
    return {"plan": plan_seconds / count, "round_trip": run_seconds / count, **memory}


def measure(args, tmp: Path) -> dict:
    from restorer.pipeline.cluster import ClusterPool, parse_cluster

    paths = make_folder(tmp / "in", args.count)
    found = {"local": local_batch(args.model, paths, tmp, args.repeat)}
    for workers in (1, 2):
        started = time.perf_counter()
        with ClusterPool(parse_cluster(f"local:{workers}"), args.model, "cpu") as pool:
            found[f"startup{workers}"] = time.perf_counter() - started
            found[workers] = cluster_runs(pool, paths, tmp / f"cluster{workers}", args.repeat)
            if workers == 2:
                found["driver"] = driver_cost(pool, args.driver_count, tmp)
    return found


def contention_note() -> str:
    """A warning when other work shared the machine: the scheduler then gives each process a
    share of the cores, so a mode with more processes (Ray's workers) gets more of the machine."""
    if os.getloadavg()[0] <= (os.cpu_count() or 1):
        return ""
    return (" Other work kept the machine busy (load above its core count), so every rate here is "
            "below what an idle machine gives, and modes with more processes got a larger share of it: "
            "the 2-worker vs local-batch ratio says more about that share than about Ray. On an idle "
            "machine the two use the same cores and should be about as fast.")


def projection(per_worker: float, driver: dict, startup: float) -> list[list[str]]:
    """Rows of the 1M-photo projection: throughput min(N x per-worker, driver's limit)."""
    limit = 1 / driver["round_trip"]
    rows = []
    for workers in PROJECTED_WORKERS:
        rate = min(workers * per_worker, limit)
        hours = (startup + MILLION * driver["plan"] + MILLION / rate) / 3600
        rows.append([str(workers), f"{60 * rate:,.0f}", f"{hours:,.1f}",
                     "driver" if workers * per_worker > limit else "workers"])
    return rows


def report(args, found: dict) -> str:
    medians = {key: statistics.median(found[key]) for key in ("local", 1, 2)}
    per_minute = {key: 60 * args.count / seconds for key, seconds in medians.items()}
    per_worker = per_minute[1] / 60
    driver = found["driver"]
    rows = [["local batch (2 threads, no Ray)", f"{medians['local']:.1f}", f"{per_minute['local']:.0f}", "-"],
            ["Ray, 1 worker (local:1)", f"{medians[1]:.1f}", f"{per_minute[1]:.0f}", f"{found['startup1']:.1f}"],
            ["Ray, 2 workers (local:2)", f"{medians[2]:.1f}", f"{per_minute[2]:.0f}", f"{found['startup2']:.1f}"]]
    return (
        f"Machine: {machine()}. Revision {git_revision()}. Command: `{command_line()}`. Load average "
        f"(other work on the machine) at the end: {os.getloadavg()[0]:.1f}.\n\n"
        f"{args.count} generated JPEGs of six sizes (0.12-1.9 MP, mean 0.72 MP), model {args.model}, CPU "
        f"workers of 1 CPU each; median of {args.repeat} runs per mode (start-up apart).\n\n"
        + markdown_table(["mode", "seconds", "photos/minute", "start-up s"], rows)
        + f"\n\n2 workers vs 1: **{medians[1] / medians[2]:.2f}x**; 2 workers vs the local batch: "
        f"**{medians['local'] / medians[2]:.2f}x**.{contention_note()}\n\n"
        "**Scaling model.** time = start-up + planning + photos / min(N x per-worker rate, driver limit).\n\n"
        f"- per-worker rate (1 worker on 1 core): {per_worker:.1f} photos/s = {per_minute[1]:.0f} photos/min\n"
        f"- driver limit: {1 / driver['round_trip']:,.0f} photos/s ({1e3 * driver['round_trip']:.2f} ms per photo "
        f"handed out and collected; {args.driver_count:,} photos whose outputs exist, `--resume`, 2 workers)\n"
        f"- planning (output names, collisions) before the first photo: {1e6 * driver['plan']:.0f} µs per photo\n"
        f"- start-up: {found['startup2']:.1f} s (local runtime + model load in every worker)\n"
        f"- driver memory: {driver['before']:.0f} MB before, {driver['planned']:.0f} MB once the "
        f"{args.driver_count:,}-photo plan is made, at most {driver['highest']:.0f} MB during the run: "
        "flat while photos flow, since at most 2 photos per worker are in flight, pixels never pass "
        "through the driver and only failures are kept\n\n"
        "Projection for 1M photos of this mix (per-worker rate from this machine's cores):\n\n"
        + markdown_table(["workers", "photos/min", "hours for 1M", "bound by"],
                         projection(per_worker, driver, found["startup2"])))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--model", default=None, help="default: the flagship")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--driver-count", type=int, default=20000, help="photos in the driver-overhead run")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    from restorer.models.zoo import FLAGSHIP

    args.model = args.model or FLAGSHIP
    with tempfile.TemporaryDirectory() as tmp:
        found = measure(args, Path(tmp))
    body = report(args, found)
    print(body)
    if not args.no_write:
        write_section("8. Cluster throughput (Ray)", body)


if __name__ == "__main__":
    main()
