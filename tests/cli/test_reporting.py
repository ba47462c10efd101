"""The top-level handler: expected failures are one line and exit 2; a bug is one line naming
the log file that holds its traceback (exit 1, ``--debug`` prints it); warnings go to the log."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from restorer.cli import cmd_models
from restorer.cli.main import main
from restorer.core.errors import DatasetError
from restorer.core.paths import user_log_file


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def _failing_command(exception: BaseException):
    def run(args):
        warnings.warn("Detected pickle protocol 4 in the checkpoint", UserWarning)
        with np.errstate(over="warn"):
            np.float32(3e38) * np.float32(10)  # numpy's overflow RuntimeWarning
        raise exception

    return run


def test_an_unexpected_error_is_one_line_with_the_log_file(monkeypatch, capsys):
    monkeypatch.setattr(cmd_models, "run", _failing_command(TypeError("unsupported operand\nfor +")))
    assert main(["models"]) == 1
    [line] = _error_lines(capsys.readouterr().err)
    log = user_log_file()
    assert line.startswith("restorer: internal error (please report it): TypeError: unsupported operand for +")
    assert line.endswith(f"the details are in {log}")
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "TypeError: unsupported operand" in text
    # the library warnings went to the log, not the terminal
    assert "UserWarning: Detected pickle protocol 4" in text and "RuntimeWarning: overflow" in text


def test_debug_prints_the_traceback_and_the_warnings(monkeypatch, capsys):
    monkeypatch.setattr(cmd_models, "run", _failing_command(KeyError("boom")))
    assert main(["models", "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "Detected pickle protocol 4" in err
    assert err.rstrip().splitlines()[-1].startswith("restorer: internal error")


def test_an_expected_error_is_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setattr(cmd_models, "run", _failing_command(DatasetError("No usable colour photos in x.")))
    assert main(["models"]) == 2
    assert _error_lines(capsys.readouterr().err) == ["restorer: error: No usable colour photos in x."]


@pytest.mark.parametrize("error, expected", [
    (FileNotFoundError(2, "No such file or directory", "split.json"), "split.json: No such file or directory"),
    (PermissionError(13, "Permission denied", "/ro/out.json"), "/ro/out.json: Permission denied"),
    (MemoryError(), "not enough memory"),
])
def test_environment_failures_are_expected(monkeypatch, capsys, error, expected):
    monkeypatch.setattr(cmd_models, "run", _failing_command(error))
    assert main(["models"]) == 2
    [line] = _error_lines(capsys.readouterr().err)
    assert line.startswith("restorer: error: ") and expected in line


def test_the_handler_leaves_warning_filters_as_it_found_them(monkeypatch, capsys):
    before = (list(warnings.filters), warnings.showwarning)
    monkeypatch.setattr(cmd_models, "run", _failing_command(ValueError("x")))
    main(["models"])
    assert (list(warnings.filters), warnings.showwarning) == before


def test_without_a_writable_log_folder_debug_is_suggested(monkeypatch, tmp_path, capsys):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the user folder should be")
    monkeypatch.setenv("RESTORER_USER_DIR", str(blocker))
    monkeypatch.setattr(cmd_models, "run", _failing_command(ValueError("x")))
    assert main(["models"]) == 1
    [line] = _error_lines(capsys.readouterr().err)
    assert line.endswith("run again with --debug to see the details")


def test_a_missing_or_damaged_split_file_is_one_line(tiny_weights_dir, tmp_path, capsys):
    assert main(["calibrate", "vivid", "--split-file", str(tmp_path / "missing.json")]) == 2
    assert _error_lines(capsys.readouterr().err) == [
        f"restorer: error: {tmp_path / 'missing.json'}: No such file or directory"]
    damaged = tmp_path / "split.json"
    damaged.write_bytes(b"\xff\xfe not json")
    assert main(["calibrate", "vivid", "--split-file", str(damaged)]) == 2
    [line] = _error_lines(capsys.readouterr().err)
    assert line.startswith(f"restorer: error: {damaged} is not a split file written by `restorer train`")


def test_torch_warnings_on_import_go_to_the_log(tmp_path, capsys):
    """A checkpoint pickled with protocol 4: torch warns, then its safe loader refuses the file.
    The user sees one line; the warning is in the log."""
    from restorer.models.seed004a_dense_ae import DenseAutoencoder

    path = tmp_path / "dense.pth"
    torch.save(DenseAutoencoder(latent=16).state_dict(), path, pickle_protocol=4)
    assert main(["import-weights", str(path), "--name", "dense"]) == 2
    captured = capsys.readouterr()
    [line] = _error_lines(captured.err)
    assert line.startswith("restorer: error: Refused to load dense.pth: its pickle uses instructions")
    assert "Warning" not in captured.err + captured.out
    assert "UserWarning: Detected pickle protocol 4" in user_log_file().read_text()
