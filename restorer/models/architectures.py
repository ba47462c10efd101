"""Every architecture Restorer knows, in the order pickers show them: the registry is this list."""

from restorer.models import (
    damage_unet,
    eccv16,
    seed000_cae,
    seed001_unet,
    seed002_fusion,
    seed003_plain,
    seed004a_dense_ae,
    seed004b_skip_unet,
    siggraph17,
    vivid,
    vivid2,
)

ARCHITECTURES = (
    vivid2.SPEC,
    vivid.SPEC,
    seed000_cae.SPEC,
    seed001_unet.SPEC,
    seed002_fusion.SPEC,
    seed003_plain.SPEC,
    seed004a_dense_ae.SPEC,
    seed004b_skip_unet.SPEC,
    eccv16.SPEC,
    siggraph17.SPEC,
    damage_unet.SPEC,  # not a colorizer (kind "damage-detector"): colorizer lists filter it out
)
