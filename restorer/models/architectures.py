"""Imports every architecture folder so each registers itself, in the order pickers show them."""

from restorer.models import (  # noqa: F401
    vivid2,
    vivid,
    seed000_cae,
    seed001_unet,
    seed002_fusion,
    seed003_plain,
    seed004a_dense_ae,
    seed004b_skip_unet,
    eccv16,
    siggraph17,
)
