"""SIGKILL in the middle of a batch: no partial or corrupt output, and --resume finishes the job.

Outputs appear by an atomic rename/link of a complete, fsynced temp file, so a killed run can
leave only hidden ``.<name>.<hex>.part`` files: they are never listed as photos, and the next
run sweeps them (a temp whose writer is still alive is kept: it holds a lock on it).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from restorer.pipeline.io import iter_image_files, load_image
from restorer.core.atomic import remove_stale_temp_files
from tests.reliability.checks import hash_tree, temp_files, visible_files
from tests.reliability.corpus import write_good_photos

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

PHOTOS = 40
SUMMARY = re.compile(r"(\d+) colorized, (\d+) skipped \(output exists\), (\d+) failed")


def _env(tiny_weights_dir: Path, isolated_user_dir: Path) -> dict:
    return dict(os.environ, RESTORER_WEIGHTS_DIR=str(tiny_weights_dir), RESTORER_USER_DIR=str(isolated_user_dir),
                PYTHONUNBUFFERED="1")


def test_sigkill_mid_batch_then_resume(tiny_weights_dir, isolated_user_dir, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    write_good_photos(folder, PHOTOS, size=(600, 800))  # ~40 ms each: the kill lands mid-batch
    inputs = hash_tree(folder)
    env = _env(tiny_weights_dir, isolated_user_dir)
    command = [sys.executable, "-m", "restorer", "colorize", str(folder), "-o", str(out), "--device", "cpu"]

    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while not (out.is_dir() and visible_files(out)):
            assert run.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "no output appeared"
            time.sleep(0.005)
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(30)
    assert run.returncode == -signal.SIGKILL

    finished = visible_files(out)
    assert 1 <= len(finished) < PHOTOS, "killed mid-batch"
    for output in finished:  # every visible output is complete: it decodes to the last row
        image = load_image(output)
        assert image.pixels.shape == (600, 800, 3)
    leftovers = temp_files(out)  # possible: a save was in progress when the kill came
    assert all(p.name.startswith(".") for p in leftovers)
    assert list(iter_image_files(out)) == finished  # never taken for photos
    # plant one more stale temp, as a kill between write and rename would leave
    (out / ".photo_039_colorized.jpg.0badc0de.part").write_bytes(b"\xff\xd8 half a JPEG")

    rerun = subprocess.run(command + ["--resume"], env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    done, skipped, failed = map(int, SUMMARY.search(rerun.stdout).groups())
    assert (done, skipped, failed) == (PHOTOS - len(finished), len(finished), 0)
    assert len(visible_files(out)) == PHOTOS
    for output in visible_files(out):
        load_image(output)
    assert temp_files(folder, out) == []  # stale temps swept
    assert hash_tree(folder) == inputs  # originals untouched throughout


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from restorer.core.atomic import _create_temp
    temp, fd = _create_temp(Path(sys.argv[1]))
    import os
    os.write(fd, b"half an image")
    print(temp, flush=True)
    time.sleep(60)
""")


def test_sweep_removes_a_killed_writers_temp_but_never_a_live_one(tmp_path):
    """The lock protocol behind the sweep, with real processes: alive -> kept, killed -> removed."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "photo_colorized.jpg")],
                              stdout=subprocess.PIPE, text=True)
    try:
        temp = Path(writer.stdout.readline().strip())
        assert temp.exists() and temp.name.endswith(".part")
        assert remove_stale_temp_files(tmp_path) == 0 and temp.exists()  # its writer is alive
    finally:
        writer.kill()
        writer.wait(30)
    assert remove_stale_temp_files(tmp_path) == 1 and not temp.exists()
    (tmp_path / ".someone-elses.part").write_text("not ours")
    assert remove_stale_temp_files(tmp_path) == 0  # only our naming pattern is touched


def test_resume_sweeps_stale_temps_from_every_output_folder_and_nothing_else(tiny_weights_dir, tmp_path, capsys):
    """A killed run's ``.part`` files in the -o folder and the sub-folders mirrored under it are
    removed when the next batch starts, even when --resume then has nothing to save there."""
    from restorer.cli.main import main

    folder, out = tmp_path / "in", tmp_path / "out"
    write_good_photos(folder, 2)
    write_good_photos(folder / "1950", 2)
    assert main(["colorize", str(folder), "-o", str(out)]) == 0
    stale = [out / ".photo_000_colorized.jpg.0badc0de.part", out / "1950" / ".photo_001_colorized.jpg.12345678.part"]
    kept = [out / ".notes.part", out / "1950" / "photo.jpg.0badc0de.part",  # not our pattern
            folder / ".photo_000_colorized.jpg.0badc0de.part"]  # not an output folder of this batch
    for path in stale + kept:
        path.write_bytes(b"half a JPEG")
    capsys.readouterr()
    assert main(["colorize", str(folder), "-o", str(out), "--resume"]) == 0
    assert "0 colorized, 4 skipped" in capsys.readouterr().out
    assert not any(path.exists() for path in stale)
    assert all(path.read_bytes() == b"half a JPEG" for path in kept)
