"""The adversarial run: hostile weight files, bad arguments, and one batch mixing the bad-input
corpus, 300 fuzzed photos and good photos. Zero tracebacks, zero hangs, one line per problem,
every good photo colorized, every input unchanged, nothing installed or left behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from restorer.cli.main import main
from restorer.pipeline.io import load_image, output_path_for
from tests.reliability.checks import assert_clear_message, hash_tree, temp_files, visible_files, within
from tests.reliability.corpus import (
    _STATIC,
    BAD_ARGUMENTS,
    BAD_NUMBERS,
    build_corpus,
    build_hostile_weights,
    good_jpeg,
    write_fuzzed_photos,
    write_good_photos,
)

FUZZED = 300
GOOD = 20
SUMMARY = re.compile(r"(\d+) colorized, (\d+) skipped \(output exists\), (\d+) failed")
HANG_SECONDS = 60


def _cli(capsys, argv: list[str]) -> tuple[int, list[str]]:
    """Run ``restorer ARGV`` in-process under a hang guard: (exit code, non-empty stderr lines)."""
    code = within(HANG_SECONDS, main, argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err, argv
    return code, [line for line in captured.err.splitlines() if line.strip()]


def test_enough_kinds_of_hostile_input(tmp_path):
    bad_photos = [kind for kind in _STATIC if kind[2] == "fail"]
    weights = build_hostile_weights(tmp_path, tmp_path / "marker")
    kinds = len(bad_photos) + len(BAD_NUMBERS) + len(BAD_ARGUMENTS) + len(weights)
    assert len(bad_photos) >= 10 and len(weights) >= 15 and kinds >= 80, kinds


def test_hostile_weight_files_are_refused_in_one_line(tmp_path, isolated_user_dir, capsys):
    marker = tmp_path / "code_ran"
    folder = tmp_path / "weights"
    cases = build_hostile_weights(folder, marker)
    assert len(cases) >= 15
    before = hash_tree(folder)
    for index, case in enumerate(cases):
        name = f"imported{index}"
        code, lines = _cli(capsys, ["import-weights", str(folder / case.name), "--name", name])
        installed = (isolated_user_dir / "models" / f"{name}.safetensors").exists()
        if case.expect == "either" and code == 0:
            assert installed, case.kind
            continue
        assert code == 2 and not installed, case.kind
        [line] = lines
        assert line.startswith("restorer: error: ") and case.match in line, (case.kind, line)
        assert_clear_message(line, folder / case.name)
    assert not marker.exists()  # no pickle ran code
    assert hash_tree(folder) == before


@pytest.fixture
def argument_files(tmp_path, tiny_weights_dir):
    """The files and folders BAD_ARGUMENTS name."""
    import torch

    from restorer.models.seed004a_dense_ae import DenseAutoencoder

    folder = tmp_path / "album"
    photos = write_good_photos(folder, 3)
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("Grandma's notes\n")
    torch.save(DenseAutoencoder(latent=16).state_dict(), tmp_path / "dense.pth")
    return {"photo": photos[0], "folder": folder, "empty": tmp_path / "empty", "text": tmp_path / "notes.txt",
            "missing": tmp_path / "missing", "weights": tmp_path / "dense.pth", "out": tmp_path / "out"}


@pytest.mark.parametrize("kind, argv, expected_code, match", BAD_ARGUMENTS, ids=[case[0] for case in BAD_ARGUMENTS])
def test_bad_arguments_get_one_clear_line(argument_files, isolated_user_dir, capsys, kind, argv, expected_code, match):
    import torch

    if "cuda" in " ".join(argv) and torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    inputs = hash_tree(argument_files["folder"])
    code, lines = _cli(capsys, [part.format(**argument_files) for part in argv])
    assert code == expected_code
    errors = [line for line in lines if "error" in line.lower() or line.startswith("FAILED")]
    assert errors and any(match in line for line in errors), lines
    for line in errors:
        assert_clear_message(line, *argument_files.values())
    assert hash_tree(argument_files["folder"]) == inputs
    assert not (isolated_user_dir / "runs").exists()  # no training run started
    assert not list(isolated_user_dir.glob("models/*"))  # nothing installed


def test_one_batch_of_corpus_fuzzed_and_good_photos(tiny_weights_dir, isolated_user_dir, tmp_path):
    """A real process, so a hang is a timeout and anything printed is seen."""
    source, out = tmp_path / "in", tmp_path / "out"
    cases = build_corpus(source / "corpus")
    fuzzed = write_fuzzed_photos(source / "fuzz", FUZZED)
    good = write_good_photos(source / "good", GOOD) + [source / "fuzz" / "good_among_fuzz.jpg"]
    good[-1].write_bytes(good_jpeg(99))
    inputs = hash_tree(source)
    env = dict(os.environ, RESTORER_WEIGHTS_DIR=str(tiny_weights_dir), RESTORER_USER_DIR=str(isolated_user_dir))
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "restorer", "colorize", str(source), "-o", str(out), "--device", "cpu"],
                         env=env, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == 1  # the corpus holds files that must fail
    done, skipped, failed = map(int, SUMMARY.search(run.stdout).groups())
    total = len(cases) + len(fuzzed) + 1 + GOOD
    assert skipped == 0 and done + failed == total
    failed_lines = [line.removeprefix("FAILED ") for line in run.stderr.splitlines() if line.startswith("FAILED ")]
    assert len(failed_lines) == failed
    every_input = [path for path in source.rglob("*") if path.is_file()]
    for line in failed_lines:
        assert_clear_message(line, *[path for path in every_input if str(path) in line])
    for photo in good + [source / "corpus" / case.name for case in cases if case.expect == "ok"]:
        load_image(output_path_for(photo, out / photo.parent.name))  # there, and complete
    for photo in fuzzed:  # each fuzzed file: colorized, or named in one FAILED line
        colorized = output_path_for(photo, out / "fuzz").is_file()
        assert colorized != any(str(photo) in line for line in failed_lines), photo.name
    assert hash_tree(source) == inputs
    assert temp_files(source, out) == []
    assert len(visible_files(out / "good")) == GOOD
    noise = [line for line in run.stderr.splitlines() if not line.startswith(("FAILED ", "note ", "Colorizing "))]
    assert noise == []  # no library warnings or log lines on the terminal
    print(f"{total} files in {seconds:.1f} s: {done} colorized, {failed} failed")
