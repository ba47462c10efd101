"""The repair step's settings, apart from its code so the command line can offer them without
loading OpenCV or torch."""

from __future__ import annotations

from dataclasses import dataclass

from restorer.core import ranges

METHOD_NAMES = ("telea", "ns")  # OpenCV's Telea and Navier-Stokes inpainting


@dataclass(frozen=True)
class RepairOptions:
    """``sensitivity`` 0..1: how readily a pixel counts as damage (the mask is where the detector's
    probability exceeds 1 - sensitivity). ``strength`` 0..1: how much of the inpainted value
    replaces a masked pixel. ``grow``: px the mask is widened by (at full size, scaled up with the
    photo). ``radius``: px of surroundings each inpainted pixel is drawn from."""

    sensitivity: float = 0.5
    strength: float = 1.0
    grow: int = 1
    method: str = "ns"  # Navier-Stokes: best PSNR and SSIM in the mask, and fastest (docs/REPAIR.md)
    radius: int = 3
    detect_size: int = 384  # the detector sees at most this long side: best IoU on held-out photos (REPAIR.md)

    def __post_init__(self) -> None:
        """The command line's and the GUI's limits hold for scripts too (SettingError otherwise)."""
        ranges.REPAIR_SENSITIVITY.check("repair sensitivity", self.sensitivity)
        ranges.REPAIR_STRENGTH.check("repair strength", self.strength)
        ranges.REPAIR_GROW.check("repair grow", self.grow)
        ranges.RENDER_SIZE.check("detection size", self.detect_size)
        if self.method not in METHOD_NAMES:
            raise ValueError(f"unknown inpainting method {self.method!r}; use one of {', '.join(METHOD_NAMES)}")
