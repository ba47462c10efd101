"""Hostile conditions around the files: links, files changing mid-batch, read-only or full disks,
existing outputs, and outputs that would land on an input. Each runs a real batch (the CLI
in-process, or the API) and checks that it goes on, says why in one line, and loses nothing."""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import threading
from pathlib import Path

import pytest
from PIL import Image

from restorer.cli.main import main
from restorer.models.runtime import load_colorizer
from restorer.core import atomic
from restorer.pipeline import batch
from restorer.pipeline.io import read as pipeline_io
from restorer.pipeline.batch import BatchOptions, colorize_batch
from restorer.pipeline.io import iter_image_files, load_image
from tests.reliability.checks import assert_clear_message, drain, hash_tree, temp_files, visible_files
from tests.reliability.corpus import good_jpeg, good_png, write_good_photos

_REAL_STAT, _REAL_OPEN = Path.stat, pipeline_io.Image.open
SUMMARY = re.compile(r"(\d+) colorized, (\d+) skipped \(output exists\), (\d+) failed")


def cli(capsys, *args) -> tuple[int, str, str, tuple[int, int, int] | None]:
    """Run ``restorer colorize ARGS`` in-process: (exit code, stdout, stderr, (done, skipped, failed))."""
    code = main(["colorize", *map(str, args)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    match = SUMMARY.search(captured.out)
    return code, captured.out, captured.err, tuple(map(int, match.groups())) if match else None


def failed_lines(err: str) -> list[str]:
    return [line.removeprefix("FAILED ") for line in err.splitlines() if line.startswith("FAILED ")]


# --------------------------------------------------------------------------------- links


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_folder_symlink_loop_and_dangling_link(tiny_weights_dir, tmp_path, capsys):
    folder = tmp_path / "album"
    photos = write_good_photos(folder, 2)
    (folder / "sub").mkdir()
    photos.append(folder / "sub" / "deeper.jpg")
    photos[-1].write_bytes(good_jpeg(7))
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)
    (folder / "gone.jpg").symlink_to(folder / "never_existed.jpg")
    assert sorted(iter_image_files(folder)) == sorted(photos)  # ends, each photo once

    code, _, _, counts = cli(capsys, folder, "-o", tmp_path / "out")
    assert code == 0 and counts == (3, 0, 0)
    code, out, err, _ = cli(capsys, folder / "gone.jpg")  # named explicitly: reported
    assert code == 1 and "gone.jpg: no such file or folder" in err + out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_named_explicitly_fails_fast(tiny_weights_dir, tmp_path, capsys):
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    good = write_good_photos(tmp_path / "in", 1)[0]
    code, _, err, counts = cli(capsys, fifo, good, "-o", tmp_path / "out")
    assert code == 1 and counts == (1, 0, 1)
    [line] = failed_lines(err)
    assert "not a regular file" in line
    assert_clear_message(line, fifo)


# ------------------------------------------------------------------- files changing mid-batch


def _make_unreadable(path: Path, monkeypatch) -> None:
    path.chmod(0)
    if os.access(path, os.R_OK):  # root ignores permissions: make the open fail the same way
        real_open = pipeline_io.Image.open
        real_stat = Path.stat

        def denied_open(fp, *args, **kwargs):
            if Path(str(fp)) == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(fp, *args, **kwargs)

        def denied_stat(self, *args, **kwargs):
            if self == path:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_stat(self, *args, **kwargs)

        monkeypatch.setattr(pipeline_io.Image, "open", denied_open)
        monkeypatch.setattr(Path, "stat", denied_stat)


CHANGES = {
    "deleted": (lambda path, mp: path.unlink(), "no such file"),
    "replaced by garbage": (lambda path, mp: path.write_bytes(b"\0garbage" * 64), "not an image"),
    "replaced by a FIFO": (lambda path, mp: (path.unlink(), os.mkfifo(path)), "not a regular file"),
    "made unreadable": (_make_unreadable, "permission denied"),
}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("via", ["api", "cli"])
def test_file_changing_after_the_list_was_built(tiny_weights_dir, tmp_path, monkeypatch, capsys, change, via):
    if change == "replaced by a FIFO" and not hasattr(os, "mkfifo"):
        pytest.skip("needs POSIX FIFOs")
    folder = tmp_path / "in"
    photos = write_good_photos(folder, 5)
    victim = photos[2]
    apply, expected = CHANGES[change]
    real_load = batch.load_photo

    def load_after_change(path, repair=None):
        if Path(path) == victim:
            apply(victim, monkeypatch)
        return real_load(path, repair)

    monkeypatch.setattr(batch, "load_photo", load_after_change)
    before = hash_tree(folder)
    out = tmp_path / "out"
    if via == "api":
        summary = drain(colorize_batch(load_colorizer(None, "cpu"), photos, BatchOptions(out_dir=out)))
        statuses = [r.status for r in summary.results]
        message = summary.results[2].message
    else:
        code, _, err, counts = cli(capsys, folder, "-o", out)
        assert code == 1 and counts == (4, 0, 1)
        [message] = failed_lines(err)
        statuses = ["done", "done", "failed", "done", "done"]
    if change == "made unreadable":  # give the file back (as root this is a monkeypatch)
        monkeypatch.setattr(Path, "stat", _REAL_STAT)
        monkeypatch.setattr(pipeline_io.Image, "open", _REAL_OPEN)
        victim.chmod(0o644)
    assert statuses == ["done", "done", "failed", "done", "done"]
    assert expected in message
    assert_clear_message(message, victim)
    assert len(visible_files(out)) == 4
    after = hash_tree(folder)
    assert {k: v for k, v in after.items() if k != victim.name} == \
        {k: v for k, v in before.items() if k != victim.name}
    assert temp_files(folder, out) == []


# ------------------------------------------------------------------------ where outputs go


def test_read_only_output_folder(tiny_weights_dir, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    photos = write_good_photos(folder, 3)
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    if os.access(out, os.W_OK):  # root writes anyway: refuse the way a read-only folder does
        real_open = atomic.os.open

        def read_only_open(path, flags, *args, **kwargs):
            if Path(path).parent == out and flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(atomic.os, "open", read_only_open)
    try:
        code, out_text, err, counts = cli(capsys, folder, "-o", out)
    finally:
        out.chmod(0o755)
    assert code == 1 and counts == (0, 0, 3)
    lines = failed_lines(err)
    assert len(lines) == 3
    for line, photo in zip(lines, photos):
        assert "permission denied" in line
        assert_clear_message(line, photo, out)
    assert visible_files(out) == [] and temp_files(out) == []
    assert "Not colorized:" in out_text


def test_output_folder_is_a_regular_file(tiny_weights_dir, tmp_path, capsys):
    photos = write_good_photos(tmp_path / "in", 2)
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the output folder should be")
    code, _, err, counts = cli(capsys, *photos, "-o", blocker)
    assert code == 1 and counts == (0, 0, 2)
    for line in failed_lines(err):
        assert "a file has that name" in line
        assert_clear_message(line, blocker)
    assert blocker.read_text() == "a file where the output folder should be"


def test_disk_full_during_one_save(tiny_weights_dir, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    write_good_photos(folder, 4)
    saves = {"count": 0}
    lock = threading.Lock()
    real_fsync = atomic.os.fsync

    def fsync(fd):
        if stat.S_ISREG(os.fstat(fd).st_mode):  # a temp file's data, not a folder's entry
            with lock:  # two workers save at once
                saves["count"] += 1
                full = saves["count"] == 2
            if full:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    out = tmp_path / "out"
    code, _, err, counts = cli(capsys, folder, "-o", out)
    assert code == 1 and counts == (3, 0, 1)
    [line] = failed_lines(err)
    assert "the disk is full" in line
    assert_clear_message(line, out)
    assert len(visible_files(out)) == 3 and temp_files(out) == []
    for output in visible_files(out):
        load_image(output)  # the others are complete


def test_existing_outputs_fail_resume_or_overwrite(tiny_weights_dir, tmp_path, capsys):
    folder = tmp_path / "in"
    write_good_photos(folder, 3)
    out = tmp_path / "out"
    assert cli(capsys, folder, "-o", out)[0] == 0
    inputs, outputs = hash_tree(folder), hash_tree(out)

    code, _, err, counts = cli(capsys, folder, "-o", out)  # refused before any photo is computed
    assert code == 2 and counts is None and failed_lines(err) == []
    [line] = err.splitlines()
    assert "3 of the 3 outputs already exist" in line and "--resume" in line and "--overwrite" in line
    assert hash_tree(out) == outputs  # untouched

    code, _, _, counts = cli(capsys, folder, "-o", out, "--resume")
    assert code == 0 and counts == (0, 3, 0)

    code, _, _, counts = cli(capsys, folder, "-o", out, "--overwrite", "--saturation", "2")
    assert code == 0 and counts == (3, 0, 0)
    assert hash_tree(out).keys() == outputs.keys() and hash_tree(out) != outputs
    assert hash_tree(folder) == inputs and temp_files(folder, out) == []


def _photos_sharing_stems(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "a.jpg").write_bytes(good_jpeg(1))
    (folder / "b.png").write_bytes(good_png(2))
    Image.open(folder / "b.png").save(folder / "c.gif")
    (folder / "c.png").write_bytes(good_png(3))  # c.gif's PNG output would be this file
    (folder / "d.jpg").write_bytes(good_jpeg(4))
    (folder / "d.png").write_bytes(good_png(5))  # d.jpg's output with --format png


@pytest.mark.parametrize("extra, new", [([], set()), (["--format", "png"], {"a.png"})],
                         ids=["same-format", "format-png"])
def test_output_is_never_written_over_an_input(tiny_weights_dir, tmp_path, capsys, extra, new):
    """-o the photos' own folder, no suffix, --overwrite: only names no photo has are written."""
    folder = tmp_path / "album"
    _photos_sharing_stems(folder)
    before = hash_tree(folder)
    code, out_text, err, counts = cli(capsys, folder, "-o", folder, "--suffix", "", "--overwrite", *extra)
    assert code == 1 and counts == (len(new), 0, len(before) - len(new))
    lines = failed_lines(err)
    assert len(lines) == len(before) - len(new)
    for line in lines:
        assert re.search(r"overwrite the original|would replace", line), line
        assert_clear_message(line, folder)
    after = hash_tree(folder)
    assert {name: after[name] for name in before} == before  # every original intact
    assert set(after) - set(before) == new
    assert "Not colorized:" in out_text


def test_output_is_never_written_over_an_input_via_the_api(tiny_weights_dir, tmp_path):
    folder = tmp_path / "album"
    _photos_sharing_stems(folder)
    before = hash_tree(folder)
    paths = list(iter_image_files(folder))
    colorizer = load_colorizer(None, "cpu")
    for ext in (None, ".png", ".jpg", ".tif"):
        options = BatchOptions(out_dir=folder, suffix="", ext=ext, overwrite=True)
        summary = drain(colorize_batch(colorizer, paths, options))
        after = hash_tree(folder)
        assert {name: after[name] for name in before} == before
        for result in summary.results:
            if result.status == "done":
                assert result.output.name not in before
            else:
                assert re.search(r"overwrite the original|would replace|same output name", result.message)


def test_two_photos_with_one_output_name(tiny_weights_dir, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.png").write_bytes(good_png(1))
    Image.open(folder / "scan.png").save(folder / "scan.gif")  # both become scan_colorized.png
    out = tmp_path / "out"
    code, _, err, counts = cli(capsys, folder, "-o", out, "--overwrite")
    assert code == 1 and counts == (1, 0, 1)
    [line] = failed_lines(err)
    assert "same output name" in line
    assert [p.name for p in visible_files(out)] == ["scan_colorized.png"]


def test_outputs_beside_photos_are_not_colorized_again(tiny_weights_dir, tmp_path, capsys):
    folder = tmp_path / "album"
    write_good_photos(folder, 3)
    originals = hash_tree(folder)
    assert cli(capsys, folder)[0] == 0  # outputs beside the photos
    assert len(visible_files(folder)) == 6
    code, _, _, counts = cli(capsys, folder, "--resume")
    assert code == 0 and counts == (0, 6, 0)  # 3 finished + 3 that are earlier outputs
    code, _, _, counts = cli(capsys, folder, "--overwrite")
    assert code == 0 and counts == (3, 3, 0)
    assert not [p for p in visible_files(folder) if "_colorized_colorized" in p.name]
    after = hash_tree(folder)
    assert {k: after[k] for k in originals} == originals


def test_explicit_non_photo_and_missing_paths_are_reported(tiny_weights_dir, tmp_path, capsys):
    good = write_good_photos(tmp_path / "in", 1)[0]
    notes = tmp_path / "notes.txt"
    notes.write_text("not a photo")
    absurd = tmp_path / ("y" * 300 + ".jpg")  # looking it up raises ENAMETOOLONG
    code, out_text, err, counts = cli(capsys, good, notes, tmp_path / "missing.jpg", absurd, "-o", tmp_path / "out")
    assert code == 1 and counts == (1, 0, 0)
    assert "notes.txt: not a photo file" in err and "missing.jpg: no such file or folder" in err
    assert f"{absurd}: File name too long" in err
    listed = out_text.split("Not colorized:", 1)[1]
    assert "notes.txt" in listed and "missing.jpg" in listed and absurd.name in listed


def test_ctrl_c_mid_batch_leaves_only_complete_outputs(tiny_weights_dir, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    photos = write_good_photos(folder, 6)
    real = batch.colorize_loaded

    def interrupted(colorizer, image, options):
        if image.path == photos[3]:
            raise KeyboardInterrupt
        return real(colorizer, image, options)

    monkeypatch.setattr(batch, "colorize_loaded", interrupted)
    out = tmp_path / "out"
    before = hash_tree(folder)
    assert main(["colorize", str(folder), "-o", str(out)]) == 130
    assert "Interrupted" in capsys.readouterr().err
    for output in visible_files(out):
        load_image(output)
    assert temp_files(folder, out) == [] and hash_tree(folder) == before
    shutil.rmtree(out)
