"""Scales every layer shares: what a network's numbers mean in CIE Lab units."""

AB_SCALE = 110.0  # networks see Lab a, b divided by this, which maps the sRGB gamut into about [-1, 1]
L_SCALE = 100.0  # networks see Lab L divided by this: [0, 1]
