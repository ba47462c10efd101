"""The model zoo: one folder per architecture, one registry, safe weight loading.

Networks share one tensor convention. Input ``(N, C, H, W)`` float: channel 0 is the
luminance L/100 in [0, 1] (gray-input networks read it as their grey image); hint-aware
networks take two more ab-hint channels (ab/110) and a hint mask. Output is either
``(N, 2, h, w)`` chroma in ab/110 units ("ab" networks; h, w may be a fraction of H, W) or
``(N, 3, H, W)`` sRGB in [0, 1] ("rgb" networks).
"""

from restorer.models.registry import REGISTRY, ArchSpec, get_arch

__all__ = ["REGISTRY", "ArchSpec", "get_arch"]
