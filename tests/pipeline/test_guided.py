import cv2
import numpy as np

from restorer.pipeline.guided import guided_upsample


def test_constant_chroma_stays_constant():
    lum = np.random.default_rng(0).uniform(0, 100, (64, 80)).astype(np.float32)
    chroma = np.full((16, 20, 2), (12.0, -30.0), np.float32)
    out = guided_upsample(chroma, lum)
    assert out.shape == (64, 80, 2)
    assert np.allclose(out, (12.0, -30.0), atol=1e-3)


def test_colour_edges_follow_the_luminance_edge():
    # a dark left half that is red, a light right half that is blue; the edge is off the low-res grid
    lum = np.full((64, 64), 30.0, np.float32)
    lum[:, 30:] = 80.0
    truth = np.zeros((64, 64, 2), np.float32)
    truth[:, :30] = (40.0, 20.0)
    truth[:, 30:] = (5.0, -40.0)
    small = cv2.resize(truth, (16, 16), interpolation=cv2.INTER_AREA)
    guided = guided_upsample(small, lum)
    plain = cv2.resize(small, (64, 64), interpolation=cv2.INTER_LINEAR)
    assert np.abs(guided - truth).mean() < 0.8 * np.abs(plain - truth).mean()
    total = truth[0, 0, 0] - truth[0, -1, 0]
    assert guided[0, 29, 0] - guided[0, 30, 0] > 0.5 * total  # most of the change right at the edge
    assert plain[0, 29, 0] - plain[0, 30, 0] < 0.3 * total  # interpolation smears it over columns
