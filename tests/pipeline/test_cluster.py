"""`restorer colorize --cluster`: the local batch's results from a local Ray runtime of 2 workers,
nothing lost when a worker process is killed, and clear messages without Ray."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from restorer.cli.main import main
from restorer.core.errors import RestorerError
from restorer.core.progress import run_to_end
from restorer.pipeline.batch import BatchOptions
from restorer.pipeline.cluster import ClusterPool, ClusterSpec, _last_line, parse_cluster, worker_device
from restorer.pipeline.io import iter_image_files, load_image
from tests.reliability.checks import hash_tree, temp_files

needs_ray = pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="needs ray: pip install -e '.[cluster]'")
PHOTOS = 200
SUMMARY = re.compile(r"(\d+) colorized, (\d+) skipped \(output exists\), (\d+) failed")
WORKER_TITLE = b"ray::PhotoWorker"  # Ray names an actor's process after its class


def write_folder(folder: Path, count: int = PHOTOS) -> None:
    """``count`` small photos of a few sizes in two sub-folders, and one broken file."""
    from PIL import Image

    from tests.helpers import synthetic_photo

    for index in range(count):
        target = folder / f"roll{index % 2}" / f"photo_{index:03d}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        pixels = synthetic_photo(48 + 8 * (index % 4), 64 + 8 * (index % 3), seed=index)
        Image.fromarray(pixels).convert("L").save(target, quality=90)
    (folder / "roll0" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 half a JPEG")


def colorize(capsys, *args: str) -> tuple[int, tuple[int, int, int], str]:
    """Run the CLI in-process: exit status, (colorized, skipped, failed) and the printed text."""
    capsys.readouterr()
    code = main(["colorize", *args, "--device", "cpu"])
    captured = capsys.readouterr()
    return code, tuple(map(int, SUMMARY.search(captured.out).groups())), captured.out + captured.err


def outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


@needs_ray
def test_two_local_workers_give_the_local_batch_byte_for_byte(tiny_weights_dir, tmp_path, capsys):
    source = tmp_path / "in"
    write_folder(source)
    originals = hash_tree(source)
    here = colorize(capsys, str(source), "-o", str(tmp_path / "here"))
    cluster = colorize(capsys, str(source), "-o", str(tmp_path / "cluster"), "--cluster", "local:2")
    assert cluster[0] == here[0] == 1  # the broken file fails, alone
    assert cluster[1] == here[1] == (PHOTOS, 0, 1)
    assert "2 worker(s), vivid on cpu" in cluster[2]
    assert "broken.jpg" in cluster[2] and "Traceback" not in cluster[2]
    assert len(outputs(tmp_path / "cluster")) == PHOTOS
    assert hash_tree(tmp_path / "cluster") == hash_tree(tmp_path / "here")  # same names, same bytes
    assert hash_tree(source) == originals


def worker_processes() -> list[int]:
    """Ray actor processes of ours (descendants of this process) that run PhotoWorker."""
    parents, titles = {}, {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            titles[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return [pid for pid, title in titles.items() if title.startswith(WORKER_TITLE) and ours(pid)]


def wait_for(condition, seconds: float = 120.0):
    """Poll ``condition`` until it gives something true; that value (None after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    return None


def kill_a_worker_after(out: Path, after: int, killed: list) -> None:
    """Once ``after`` outputs exist, SIGKILL one worker process; ``killed`` gets (pid, outputs then)."""
    workers = wait_for(lambda: len(outputs(out)) >= after and worker_processes())
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        killed.append((workers[0], len(outputs(out))))


@needs_ray
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds Ray's worker processes in /proc")
def test_a_killed_worker_loses_nothing_and_resume_finishes_exactly_the_rest(tiny_weights_dir, tmp_path):
    source, out = tmp_path / "in", tmp_path / "out"
    write_folder(source)
    paths = list(iter_image_files([source]))
    options = BatchOptions(out_dir=out, source_roots=(source,))
    killed: list = []
    with ClusterPool(parse_cluster("local:2"), device="cpu") as pool:
        killer = threading.Thread(target=kill_a_worker_after, args=(out, 30, killed))
        killer.start()
        try:
            first = run_to_end(pool.colorize(paths, options))
        finally:
            killer.join()
        finished = outputs(out)
        leftovers = temp_files(out)
        for output in finished[::40]:  # and some outputs go missing
            output.unlink()
        missing = PHOTOS - len(outputs(out))
        second = run_to_end(pool.colorize(paths, replace(options, resume=True)))

    assert killed and killed[0][1] < PHOTOS - 20, "a worker was killed mid-run"
    # Ray restarts the worker and retries its photos: every photo is reported once, and each is
    # done, or its complete output was published just before the kill (the retry then finds it)
    # or it was lost twice in a row
    assert first.count("done") + len(first.failed) == PHOTOS + 1
    reasons = [result.message for result in first.failed if result.source.name != "broken.jpg"]
    assert all("already exists" in reason or "worker running it was lost" in reason for reason in reasons)
    assert len(finished) == PHOTOS - sum("lost" in reason for reason in reasons)
    for output in finished:  # every visible output is complete
        assert load_image(output).pixels.shape[0] >= 48
    assert all(temp.name.startswith(".") for temp in leftovers)  # a killed save's temp stays hidden
    # the rerun colorizes exactly the missing photos, and fails the broken one again
    assert (second.count("done"), second.count("skipped"), len(second.failed)) == (missing, PHOTOS - missing, 1)
    assert len(outputs(out)) == PHOTOS
    assert temp_files(out) == []


def test_cluster_addresses_are_parsed_or_refused_in_one_line():
    assert parse_cluster("local:3") == ClusterSpec("local", 3)
    assert parse_cluster("local").local_workers == (os.cpu_count() or 1)
    assert parse_cluster("127.0.0.1:6379", 0.5) == ClusterSpec("127.0.0.1:6379", 0, 0.5)
    for loopback in ("local:1", "localhost:6379", "127.0.0.1:26379", "127.0.0.2:6379", "[::1]:6379", "127.0.0.1"):
        assert parse_cluster(loopback).on_loopback, loopback
    for network in ("10.0.0.5:6379", "auto", "head.example.org:6379", "192.0.2.7"):
        assert not parse_cluster(network).on_loopback, network
    for bad in ("local:0", "local:two", " "):
        with pytest.raises(RestorerError, match="--cluster"):
            parse_cluster(bad)
    with pytest.raises(RestorerError, match="--gpus-per-worker"):
        parse_cluster("local:1", -1)


def test_workers_run_on_the_gpus_ray_reserved_or_else_on_the_cpu():
    assert worker_device("auto", 1) == "cuda"
    assert worker_device("auto", 0) == "cpu"
    with pytest.raises(RestorerError, match="--gpus-per-worker"):
        worker_device("cuda", 0)


def test_without_ray_the_cluster_option_says_how_to_install_it(tiny_weights_dir, photo_folder, tmp_path,
                                                                 monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now fails as if it were not installed
    code = main(["colorize", str(photo_folder), "-o", str(tmp_path / "out"), "--cluster", "local:2"])
    err = capsys.readouterr().err
    assert code == 2
    assert "needs Ray" in err and "restorer[cluster]" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_workers_error_is_told_in_one_line_without_the_remote_traceback():
    remote = RuntimeError("The actor died because of an error raised in its creation task\n"
                          "Traceback (most recent call last):\n  File \"zoo.py\", line 135, in load_network\n"
                          "restorer.core.errors.ModelLoadError: vivid has no weights installed.\n")
    assert _last_line(remote) == "vivid has no weights installed."
    assert _last_line(RuntimeError("Traceback ...\nValueError: bad shape")) == "ValueError: bad shape"
    assert _last_line(RuntimeError("")) == "RuntimeError"


def test_a_local_runtime_that_fails_to_start_is_one_clear_line(tiny_weights_dir, photo_folder, tmp_path,
                                                                monkeypatch, capsys):
    import types

    def slow_start(**_):
        raise Exception("The current node timed out during startup.")  # what Ray raises on a busy machine

    monkeypatch.setitem(sys.modules, "ray", types.SimpleNamespace(init=slow_start, shutdown=lambda: None))
    code = main(["colorize", str(photo_folder), "-o", str(tmp_path / "out"), "--cluster", "local:2"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "Ray could not start a local runtime: The current node timed out during startup." in err
