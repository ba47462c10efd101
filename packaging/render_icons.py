"""Render resources/icons/restorer.svg into the PNG, ICO and ICNS icons the packages need.

Run from anywhere (PySide6 and Pillow from the project's venv):

    .venv/bin/python packaging/render_icons.py

Writes resources/icons/hicolor/<N>x<N>/apps/org.restorer.Restorer.png for the XDG sizes,
resources/icons/restorer.ico (Windows) and resources/icons/restorer.icns (macOS).
The PNGs are committed, so a build never needs to run this; rerun it after editing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "restorer.svg"
APP_ID = "org.restorer.Restorer"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SUPERSAMPLE_BELOW = 64  # small sizes: draw 4x larger, then downscale (crisper than direct rasterising)


def render(size: int):
    """The SVG drawn into a transparent size x size Pillow image."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not an SVG Qt can draw")
    scale = 4 if size < SUPERSAMPLE_BELOW else 1
    canvas = QImage(size * scale, size * scale, QImage.Format.Format_ARGB32_Premultiplied)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    canvas.save(buffer, "PNG")
    buffer.close()
    from io import BytesIO

    image = Image.open(BytesIO(bytes(data))).convert("RGBA")
    if scale != 1:
        image = image.resize((size, size), Image.Resampling.LANCZOS)
    return image


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    images = {}
    for size in SIZES:
        image = render(size)
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, optimize=True)
        images[size] = image
        print(f"wrote {target.relative_to(ROOT)}")
    largest = images[max(SIZES)]
    ico = ICONS / "restorer.ico"
    images[256].save(ico, sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    print(f"wrote {ico.relative_to(ROOT)}")
    icns = ICONS / "restorer.icns"
    largest.save(icns)
    print(f"wrote {icns.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
