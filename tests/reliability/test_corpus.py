"""The bad-input corpus through the batch API and the command line.

For every kind: the batch goes on, good files produce outputs that decode, each bad file gets one
clear line and is listed in the summary, the exit code says something failed, and nothing is
lost: no input changes, no ``.part`` file is left, no output lands on an input.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from restorer.cli.main import main
from restorer.models.runtime import load_colorizer
from restorer.pipeline.batch import BatchOptions, colorize_batch
from restorer.pipeline.io import iter_image_files, load_image
from tests.reliability.checks import assert_clear_message, drain, hash_tree, temp_files, visible_files
from tests.reliability.corpus import KNOWN_BUGS, build_corpus


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    cases = build_corpus(folder)
    assert len(cases) >= 30
    return folder, cases


def _upright_shape(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_image(path).pixels.shape


def test_corpus_through_the_batch_api(tiny_weights_dir, corpus, tmp_path):
    folder, cases = corpus
    before = hash_tree(folder)
    paths = list(iter_image_files(folder))
    assert sorted(p.name for p in paths) == sorted(c.name for c in cases)
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about the bombs it is about to refuse
        summary = drain(colorize_batch(load_colorizer(None, "cpu"), paths, BatchOptions(out_dir=out)))

    assert len(summary.results) == len(paths) and not summary.cancelled  # the batch went on
    results = {r.source.name: r for r in summary.results}
    for case in cases:
        result = results[case.name]
        if case.name in KNOWN_BUGS and result.status == "failed":
            assert_clear_message(result.message, result.source)
            continue
        if case.expect == "ok":
            assert result.status == "done", f"{case.kind}: {result.message}"
            assert result.output.parent == out
            output = load_image(result.output)  # decodes completely
            assert output.pixels.shape == _upright_shape(result.source), case.kind
            if case.match:
                assert any(case.match in note for note in result.notes), (case.kind, result.notes)
        else:
            assert result.status == "failed", f"{case.kind} was expected to fail"
            assert case.match in result.message, (case.kind, result.message)
            assert_clear_message(result.message, result.source)
    assert sorted(visible_files(out)) == sorted(r.output for r in summary.results if r.status == "done")
    assert hash_tree(folder) == before  # 0 originals modified
    assert temp_files(folder, out) == []


def test_corpus_through_the_cli(tiny_weights_dir, corpus, tmp_path, capsys):
    folder, cases = corpus
    before = hash_tree(folder)
    out = tmp_path / "out"
    code = main(["colorize", str(folder), "-o", str(out), "--device", "cpu"])
    captured = capsys.readouterr()

    assert code == 1  # something failed
    assert "Traceback" not in captured.err + captured.out
    failing = [c for c in cases if c.expect == "fail"]
    succeeding = [c for c in cases if c.expect == "ok" and c.name not in KNOWN_BUGS]
    failed_lines = [line for line in captured.err.splitlines() if line.startswith("FAILED ")]
    for case in failing:
        lines = [line for line in failed_lines if case.name in line]
        assert len(lines) == 1, f"{case.kind}: {lines}"
        assert_clear_message(lines[0].removeprefix("FAILED "), folder / case.name)
    summary = re.search(r"(\d+) colorized, (\d+) skipped \(output exists\), (\d+) failed", captured.out)
    done, skipped, failed = map(int, summary.groups())
    known = len(KNOWN_BUGS)
    assert skipped == 0 and len(failing) <= failed <= len(failing) + known
    assert done + failed == len(cases)
    listed = captured.out.split("Not colorized:", 1)[1]
    for case in failing:
        assert case.name in listed, f"{case.kind} missing from the summary"
    outputs = {p.name for p in visible_files(out)}
    for case in succeeding:
        assert any(name.startswith(case.name.rsplit(".", 1)[0] + "_colorized") for name in outputs), case.kind
    # nothing else on the terminal: no library warnings, no OpenCV log lines
    noise = [line for line in captured.err.splitlines()
             if not line.startswith(("FAILED ", "note ", "Colorizing "))]
    assert noise == []
    assert hash_tree(folder) == before
    assert temp_files(folder, out) == []

    # a second run with --resume skips every finished photo and reports the same failures
    code = main(["colorize", str(folder), "-o", str(out), "--resume"])
    again = capsys.readouterr()
    assert code == 1
    assert f"0 colorized, {done} skipped (output exists), {failed} failed" in again.out
    assert hash_tree(folder) == before


def test_photo_wider_than_32767_pixels_is_colorized(tiny_weights_dir, tmp_path):
    from PIL import Image

    row = np.tile(np.arange(256, dtype=np.uint8), 160)[None, :40_000]
    Image.fromarray(np.repeat(row, 2, axis=0)).save(tmp_path / "panorama.png")
    summary = drain(colorize_batch(load_colorizer(None, "cpu"), [tmp_path / "panorama.png"],
                                   BatchOptions(out_dir=tmp_path / "out")))
    assert summary.results[0].status == "done", summary.results[0].message
