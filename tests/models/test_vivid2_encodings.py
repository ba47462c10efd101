"""vivid2 remembers the encoder's features of recent inputs, so a hint edit re-runs only the decoder."""

from __future__ import annotations

import copy

import torch

from restorer.models.vivid2 import ENCODINGS_KEPT, Vivid2Net


def _small_net() -> Vivid2Net:
    torch.manual_seed(0)
    return Vivid2Net(width=8, global_dim=8, hint_width=4).eval()


def _count_encoder_runs(net: Vivid2Net) -> list[int]:
    runs = [0]
    net.encoder.stem.register_forward_pre_hook(lambda *_: runs.__setitem__(0, runs[0] + 1))
    return runs


def _with_hint(lum: torch.Tensor, a: float) -> torch.Tensor:
    hints = torch.zeros(1, 3, *lum.shape[2:])
    hints[:, 0, 20:28, 20:28], hints[:, 2, 20:28, 20:28] = a, 1.0
    return torch.cat([lum, hints], dim=1)


def test_a_hint_edit_reuses_the_encoding_and_gives_the_same_colours_as_a_fresh_run():
    net, lum = _small_net(), torch.rand(1, 1, 64, 64)
    runs = _count_encoder_runs(net)
    with torch.inference_mode():
        net(_with_hint(lum, 0.3))
        edited = net(_with_hint(lum, -0.3))
    assert runs[0] == 1
    fresh = _small_net()
    with torch.no_grad():
        fresh.forget_encodings()
        expected = fresh(_with_hint(lum, -0.3))
    assert torch.allclose(edited, expected, atol=1e-6)


def test_another_photo_or_new_weights_encode_again():
    net, lum = _small_net(), torch.rand(1, 1, 64, 64)
    runs = _count_encoder_runs(net)
    with torch.inference_mode():
        net(lum)
        net(lum + 0.01)
        net.load_state_dict(net.state_dict())
        net(lum)
    assert runs[0] == 3


def test_only_the_last_few_inputs_are_kept_and_training_keeps_none():
    net = _small_net()
    with torch.inference_mode():
        for step in range(ENCODINGS_KEPT + 3):
            net(torch.full((1, 1, 32, 32), step / 10))
    assert len(net._memo) == ENCODINGS_KEPT
    net.train()
    assert len(net._memo) == 0
    runs = _count_encoder_runs(net)
    lum = torch.rand(2, 1, 32, 32)
    net(lum).sum().backward()  # with gradients the encoder runs every time
    net(lum)
    assert runs[0] == 2 and len(net._memo) == 0


def test_a_copy_of_the_network_starts_with_nothing_remembered():
    net = _small_net()
    with torch.inference_mode():
        net(torch.rand(1, 1, 32, 32))
    twin = copy.deepcopy(net)
    assert len(twin._memo) == 0 and len(net._memo) == 1


def test_large_encodings_are_not_kept(monkeypatch):
    import restorer.models.vivid2 as vivid2

    net = _small_net()
    with torch.inference_mode():
        net(torch.rand(1, 1, 32, 32))
        kept = vivid2._bytes_of(next(iter(net._memo.values())))
        monkeypatch.setattr(vivid2, "ENCODING_BYTES", int(kept * 2.5))
        net(torch.rand(1, 1, 32, 32))
        net(torch.rand(1, 1, 32, 32))
        assert len(net._memo) == 2  # the oldest went to keep within the budget
        net(torch.rand(1, 1, 64, 64))  # 4x the bytes of the others: over the budget on its own
    assert len(net._memo) == 2 and all(key[0][-1] == 32 for key in net._memo)
