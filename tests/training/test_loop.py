"""The training loop end to end on tiny generated folders: progress, checkpoints, resume, cancel."""

from __future__ import annotations

import math

import pytest

from restorer.core.errors import CancelledError, RestorerError, SettingError, TrainingError
from restorer.core.progress import CancelToken
from restorer.models.zoo import find_model, list_models
from restorer.training.config import TrainConfig
from restorer.training.data import run_to_end
from restorer.training.loop import train


def tiny_config(photo_folder, tmp_path, **kw):
    base = dict(data=[photo_folder], model="vivid", name="tiny", epochs=2, epoch_size=8, batch=4, size=32,
                val_count=2, workers=0, run_dir=tmp_path / "run", device="cpu")
    base.update(kw)
    return TrainConfig(**base)


def test_training_yields_progress_and_registers_the_model(photo_folder, tmp_path):
    events = []
    generator = train(tiny_config(photo_folder, tmp_path))
    while True:
        try:
            events.append(next(generator))
        except StopIteration as stop:
            result = stop.value
            break
    stages = [e.stage for e in events]
    assert stages[0] == "scan" and stages.count("epoch") == 2 and "train" in stages
    epoch_status = [e.payload for e in events if e.stage == "epoch"][-1]
    assert len(epoch_status.previews) >= 1 and epoch_status.val["psnr"] > 5
    assert result.weights.is_file() and result.card.metrics["val"]
    entry = find_model("tiny")
    assert entry.source == "user" and entry.spec.name == "vivid"
    assert (tmp_path / "run" / "last.pt").is_file()


def test_resume_continues_from_the_last_epoch(photo_folder, tmp_path):
    run_to_end(train(tiny_config(photo_folder, tmp_path, epochs=1)))
    events = []
    generator = train(tiny_config(photo_folder, tmp_path, epochs=2))
    while True:
        try:
            events.append(next(generator))
        except StopIteration:
            break
    epochs = [e.payload.epoch for e in events if e.stage == "epoch"]
    assert epochs == [2]
    assert not any(e.stage == "scan" for e in events)  # the stored split is reused


def test_cancel_stops_at_the_next_step(photo_folder, tmp_path):
    cancel = CancelToken()
    generator = train(tiny_config(photo_folder, tmp_path, epochs=5), cancel)
    with pytest.raises(CancelledError):
        for progress in generator:
            if progress.stage == "train":
                cancel.cancel()
    assert "tiny" not in [e.name for e in list_models()]


@pytest.mark.parametrize("model,size", [("seed004b-skip-unet", 64), ("seed001-unet", 32)])
def test_seed_networks_train_with_their_own_losses(photo_folder, tmp_path, model, size):
    result = run_to_end(train(tiny_config(photo_folder, tmp_path, model=model, name=f"t-{model}", epochs=1,
                                          size=size)))
    assert result.card.arch == model and result.weights.is_file()


def test_fine_tuning_starts_from_installed_weights(photo_folder, tmp_path, tiny_weights_dir):
    config = tiny_config(photo_folder, tmp_path, model="vivid", init_from="vivid", epochs=1, name="ft")
    result = run_to_end(train(config))
    assert result.card.hparams == {"width": 8, "global_dim": 8, "regression": True}


def test_fine_tuning_keeps_the_parents_batch_norm_statistics(photo_folder, tmp_path, tiny_weights_dir):
    from restorer.models.weights import load_state_dict

    config = tiny_config(photo_folder, tmp_path, model="vivid", init_from="vivid", epochs=1, name="ft")
    result = run_to_end(train(config))
    parent, child = load_state_dict(tiny_weights_dir / "vivid.safetensors"), load_state_dict(result.weights)
    statistics = [key for key in parent if key.endswith(("running_mean", "running_var"))]
    assert statistics and all(parent[key].equal(child[key]) for key in statistics)
    assert any(not parent[key].equal(child[key]) for key in parent if key.endswith(".weight"))


def test_fine_tuned_model_keeps_its_parents_colour_read_out(photo_folder, tmp_path, tiny_weights_dir):
    import json

    card_path = tiny_weights_dir / "vivid.json"
    card = json.loads(card_path.read_text())
    card["hparams"].update(temperature=0.9, chroma_gain=1.2, blend=0.5, flip_average=True)
    card.update(render_size=96, render_scales=[0.7, 1.0])
    card_path.write_text(json.dumps(card))  # read-out only: the weights' checksum is unaffected
    for init_from in ("vivid", str(tiny_weights_dir / "vivid.safetensors")):
        config = tiny_config(photo_folder, tmp_path, model="vivid", init_from=init_from, epochs=1, name="ft",
                             run_dir=tmp_path / f"run-{len(init_from)}")
        result = run_to_end(train(config))
        assert result.card.hparams == {"width": 8, "global_dim": 8, "regression": True, "temperature": 0.9,
                                       "chroma_gain": 1.2, "blend": 0.5, "flip_average": True}
        assert (result.card.render_size, result.card.render_scales) == (96, [0.7, 1.0])


def test_epoch_weights_are_kept_only_when_asked(photo_folder, tmp_path):
    from restorer.models.weights import load_state_dict

    run_to_end(train(tiny_config(photo_folder, tmp_path, run_dir=tmp_path / "plain")))
    assert not list((tmp_path / "plain").glob("epoch*"))
    run_to_end(train(tiny_config(photo_folder, tmp_path, run_dir=tmp_path / "kept", keep_epoch_weights=True)))
    kept = sorted(p.name for p in (tmp_path / "kept").glob("epoch*"))
    assert kept == ["epoch001.safetensors", "epoch002.safetensors"]
    first, second = (load_state_dict(tmp_path / "kept" / name) for name in kept)
    assert not all((first[k] == second[k]).all() for k in first)  # each is its own epoch's weights


def test_a_kept_epoch_can_be_imported_as_a_model(photo_folder, tmp_path, tiny_weights_dir):
    from restorer.cli.main import main

    run_to_end(train(tiny_config(photo_folder, tmp_path, run_dir=tmp_path / "kept", keep_epoch_weights=True, epochs=1)))
    assert main(["import-weights", str(tmp_path / "kept" / "epoch001.safetensors"), "--name", "tiny-epoch1"]) == 0
    assert find_model("tiny-epoch1").spec.name == "vivid"


def test_flagship_trains_with_the_colour_ssim_term(photo_folder, tmp_path):
    result = run_to_end(train(tiny_config(photo_folder, tmp_path, epochs=1, loss="rebalanced-ce+ssim")))
    assert result.card.metrics["val"]["psnr"] > 5


def test_colour_bin_loss_on_a_direct_colour_network_is_refused(photo_folder, tmp_path):
    with pytest.raises(RestorerError, match="colour-bin"):
        run_to_end(train(tiny_config(photo_folder, tmp_path, model="seed001-unet", loss="rebalanced-ce+ssim")))


def test_fine_tuned_card_carries_how_its_parent_was_trained(photo_folder, tmp_path, tiny_weights_dir):
    first = run_to_end(train(tiny_config(photo_folder, tmp_path, init_from="vivid", epochs=1, name="ft1",
                                         run_dir=tmp_path / "run1")))
    second = run_to_end(train(tiny_config(photo_folder, tmp_path, init_from="ft1", epochs=1, name="ft2",
                                          run_dir=tmp_path / "run2")))
    stages = second.card.training["earlier_stages"]
    assert [stage["config"]["name"] for stage in stages] == ["ft1"]
    assert stages[0]["history"] == first.card.training["history"]


def test_keep_last_exports_the_last_epoch_and_counts_minutes_over_sessions(photo_folder, tmp_path):
    from restorer.models.weights import load_state_dict
    from restorer.training.checkpoints import RunState

    config = tiny_config(photo_folder, tmp_path, epochs=3, keep="last", keep_epoch_weights=True)
    result = run_to_end(train(config))
    last = load_state_dict(tmp_path / "run" / "epoch003.safetensors")
    exported = load_state_dict(result.weights)
    assert all((exported[key] == last[key]).all() for key in last)
    assert result.card.metrics["val"]["loss"] == pytest.approx(result.card.training["history"][-1]["loss"], abs=1e-4)
    minutes = result.card.training["minutes_total"]
    assert RunState.load(tmp_path / "run").minutes > 0
    resumed = run_to_end(train(tiny_config(photo_folder, tmp_path, epochs=3, keep="last", name="again")))
    assert resumed.card.training["minutes_total"] == minutes  # nothing left to train: the run's time is kept


def _validation_losses(monkeypatch, losses):
    """Make the validation loss of successive epochs ``losses`` (the other metrics stay real)."""
    from restorer.training import validation

    real, remaining = validation.ValidationSet.evaluate, list(losses)

    def evaluate(self, objective, device):
        return {**real(self, objective, device), "loss": remaining.pop(0)}

    monkeypatch.setattr(validation.ValidationSet, "evaluate", evaluate)


@pytest.mark.parametrize("keep, losses, installed", [
    ("best", [math.inf], False), ("best", [0.5, math.nan], True), ("last", [0.5, math.nan], False),
])
def test_only_a_finite_validation_loss_installs_a_model(photo_folder, tmp_path, monkeypatch, keep, losses, installed):
    _validation_losses(monkeypatch, losses)
    generator = train(tiny_config(photo_folder, tmp_path, epochs=len(losses), keep=keep, patience=5))
    if installed:
        assert run_to_end(generator).card.metrics["val"]["loss"] == 0.5
    else:
        with pytest.raises(TrainingError, match="no model was installed"):
            run_to_end(generator)
    assert ("tiny" in [e.name for e in list_models()]) == installed
    assert (tmp_path / "run" / "last.pt").is_file()  # the run's checkpoints stay, to resume or inspect


def test_a_diverged_cli_training_is_one_line_and_installs_nothing(photo_folder, tmp_path, monkeypatch, capsys):
    from restorer.cli.main import main

    _validation_losses(monkeypatch, [math.nan])
    code = main(["train", str(photo_folder), "--scratch", "--name", "x", "--epochs", "1", "--epoch-size", "8", "--batch", "4",
                 "--size", "32", "--workers", "0", "--device", "cpu", "--run-dir", str(tmp_path / "run")])
    captured = capsys.readouterr()
    assert code == 2 and "Saved" not in captured.out
    assert captured.err.strip().splitlines()[-1].startswith("restorer: error: Training ended without a finite")
    assert "x" not in [e.name for e in list_models()]


@pytest.mark.parametrize("field, value, named", [
    ("epochs", -1, "epochs"), ("epochs", 2.5, "epochs"), ("minutes", -5, "minutes"), ("split", (2,), "split"),
    ("split", (0.5, 0.5, 0.5), "split"), ("batch", 0, "batch"), ("lr", math.nan, "lr"), ("size", 3, "size"),
    ("epoch_size", 0, "epoch_size"), ("hint_prob", 1.5, "hint_prob"), ("max_hints", 0, "max_hints"),
    ("sample_weights", {"scan_": -1}, "sample weight of 'scan_'"),
])
def test_settings_outside_the_shared_ranges_are_refused(photo_folder, tmp_path, field, value, named):
    with pytest.raises(SettingError, match=f"^{named} "):
        tiny_config(photo_folder, tmp_path, **{field: value})
