"""Colour hints a user places on a photo (click-to-colour): the JSON file, its sidecar, checks.

A hints file (``photo.jpg.hints.json`` beside the photo, or any name given to ``--hints``)::

    {
      "format": "restorer-hints",
      "version": 1,
      "hints": [
        {"x": 0.42, "y": 0.31, "color": "#3a5fcd", "radius": 0.01},
        {"x": 0.70, "y": 0.80, "color": "#c03020", "lab": [48.2, 52.0, 38.5]}
      ]
    }

``x``, ``y``: the hint's centre as fractions of the photo's width and height (0, 0 is the
top-left corner, 1, 1 the bottom-right), so one file fits the photo at any resolution.
``radius`` (default 0.01): half the side of the hinted square, as a fraction of the photo's long
side (0 = one pixel of the network's working size). ``color``: the sRGB colour picked, ``#rrggbb``.
``lab`` (optional): ``[L, a, b]`` (CIE Lab, D65); when present its ``a``, ``b`` are what the
network gets, else the colour's own. Only the chroma is used: the photo keeps its own lightness.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from restorer.core import ranges
from restorer.core.errors import HintsError
from restorer.pipeline.color import lab_to_rgb, rgb_to_lab
from restorer.pipeline.inference import ColorHint

FORMAT = "restorer-hints"
VERSION = 1
SIDECAR_SUFFIX = ".hints.json"  # photo.jpg -> photo.jpg.hints.json (photo.png's stays apart)
DEFAULT_RADIUS = 0.01
MAX_HINTS = 1000
MAX_FILE_BYTES = 1_000_000
_HEX = re.compile(r"#?([0-9a-fA-F]{6})")


def sidecar_path(photo: str | os.PathLike) -> Path:
    """The hints file kept beside ``photo``: its full name plus ``.hints.json``."""
    photo = Path(photo)
    return photo.with_name(photo.name + SIDECAR_SUFFIX)


def lab_of_hex(color: str) -> tuple[float, float, float]:
    """(L, a, b) of an sRGB ``#rrggbb`` colour."""
    match = _HEX.fullmatch(color.strip()) if isinstance(color, str) else None
    if match is None:
        raise ValueError(f"colour must be '#rrggbb', not {color!r}")
    rgb = np.array([int(match.group(1)[i: i + 2], 16) for i in (0, 2, 4)], np.float32) / 255.0
    return tuple(float(v) for v in rgb_to_lab(rgb[None, None])[0, 0])


def hex_of_lab(lightness: float, a: float, b: float) -> str:
    """``#rrggbb`` of a Lab colour (clipped into sRGB)."""
    rgb = lab_to_rgb(np.array([[[lightness, a, b]]], np.float32))[0, 0]
    return "#" + "".join(f"{round(float(v) * 255):02x}" for v in rgb)


def hint_of_color(x: float, y: float, color: str, radius: float = DEFAULT_RADIUS) -> ColorHint:
    """A hint at (``x``, ``y``) with the chroma of the sRGB ``color``."""
    _, a, b = lab_of_hex(color)
    return ColorHint(x, y, a, b, radius, _normal_hex(color))


def hint_of_lab(x: float, y: float, a: float, b: float, radius: float = DEFAULT_RADIUS,
                lightness: float = 60.0) -> ColorHint:
    """A hint at (``x``, ``y``) with chroma ``a``, ``b``; its display colour at ``lightness``."""
    return ColorHint(x, y, a, b, radius, hex_of_lab(lightness, a, b))


def _normal_hex(color: str) -> str:
    return "#" + color.strip().lstrip("#").lower()


# ----------------------------------------------------------------------------- reading


def parse_hints(data, source: str = "hints") -> tuple[ColorHint, ...]:
    """The hints of a parsed hints file; :class:`HintsError` in one line naming ``source`` otherwise."""
    if isinstance(data, dict) and data.get("format", FORMAT) != FORMAT:
        raise HintsError(f"{source}: not a Restorer hints file (format {data.get('format')!r})")
    if not isinstance(data, dict) or not isinstance(data.get("hints"), list):
        raise HintsError(f"{source}: expected an object with a \"hints\" list (see `restorer colorize --help`)")
    version = data.get("version", VERSION)
    if not isinstance(version, int) or version > VERSION:
        raise HintsError(f"{source}: hints format version {version!r} is newer than this Restorer reads ({VERSION})")
    if len(data["hints"]) > MAX_HINTS:
        raise HintsError(f"{source}: {len(data['hints'])} hints; at most {MAX_HINTS} are allowed")
    hints = []
    for index, item in enumerate(data["hints"], start=1):
        try:
            hints.append(_parse_one(item))
        except (ValueError, TypeError) as err:
            raise HintsError(f"{source}: hint {index}: {err}") from None
    return tuple(hints)


def _parse_one(item) -> ColorHint:
    if not isinstance(item, dict):
        raise ValueError("expected an object like {\"x\": 0.5, \"y\": 0.5, \"color\": \"#3a5fcd\"}")
    x = ranges.HINT_POSITION.check("x", item.get("x"))
    y = ranges.HINT_POSITION.check("y", item.get("y"))
    radius = ranges.HINT_RADIUS.check("radius", item.get("radius", DEFAULT_RADIUS))
    color, lab = item.get("color"), item.get("lab")
    if color is None and lab is None:
        raise ValueError("needs a \"color\" ('#rrggbb') or a \"lab\" ([L, a, b])")
    if lab is None:
        return hint_of_color(x, y, color, radius)
    lightness, a, b = _parse_lab(lab)
    return ColorHint(x, y, a, b, radius, hex_of_lab(lightness, a, b) if color is None else _checked_hex(color))


def _parse_lab(lab) -> tuple[float, float, float]:
    if not isinstance(lab, list) or len(lab) != 3:
        raise ValueError(f"lab must be [L, a, b], not {lab!r}")
    return (ranges.LAB_LIGHTNESS.check("lab L", lab[0]), ranges.LAB_CHROMA.check("lab a", lab[1]),
            ranges.LAB_CHROMA.check("lab b", lab[2]))


def _checked_hex(color) -> str:
    lab_of_hex(color)
    return _normal_hex(color)


def load_hints(path: str | os.PathLike) -> tuple[ColorHint, ...]:
    """The hints in the file ``path``; :class:`HintsError` in one line when it is missing or bad."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise HintsError(f"{path}: too large for a hints file (over {MAX_FILE_BYTES // 1000} kB)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HintsError(f"{path}: no such hints file") from None
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else "not a UTF-8 text file"
        raise HintsError(f"{path}: cannot be read ({reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise HintsError(f"{path}: not valid JSON ({err.msg}, line {err.lineno} column {err.colno})") from None
    return parse_hints(data, str(path))


def load_sidecar(photo: str | os.PathLike) -> tuple[ColorHint, ...]:
    """The hints saved beside ``photo``; none when it has no sidecar."""
    path = sidecar_path(photo)
    return load_hints(path) if path.is_file() else ()


# ----------------------------------------------------------------------------- writing


def hints_document(hints) -> dict:
    """The JSON object a hints file holds."""
    items = []
    for hint in hints:
        color = hint.color or hex_of_lab(60.0, hint.a, hint.b)
        lightness = lab_of_hex(color)[0]
        items.append({"x": hint.x, "y": hint.y, "radius": hint.radius, "color": color,
                      "lab": [round(lightness, 2), hint.a, hint.b]})
    return {"format": FORMAT, "version": VERSION, "hints": items}


def save_hints(path: str | os.PathLike, hints) -> Path:
    """Write ``hints`` to ``path`` atomically (the old file stays whole if anything fails)."""
    from restorer.core.atomic import write_text_atomic
    from restorer.pipeline.io.write import _os_reason

    path = Path(path)
    try:
        write_text_atomic(path, json.dumps(hints_document(hints), indent=1) + "\n")
    except OSError as err:
        raise HintsError(f"Cannot save the hints {path}: {_os_reason(err)}") from None
    return path


def save_sidecar(photo: str | os.PathLike, hints) -> Path | None:
    """Keep ``hints`` beside ``photo``; with none, remove its sidecar. The sidecar's path, or None."""
    path = sidecar_path(photo)
    if hints:
        return save_hints(path, hints)
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise HintsError(f"Cannot remove the hints {path}: {err.strerror or err}") from None
    return None


# ----------------------------------------------------------------------------- models


def hint_support_problem(spec) -> str | None:
    """Why the network ``spec`` cannot use colour hints, or None when it can."""
    if spec.accepts_hints:
        return None
    from restorer.models.registry import all_archs

    able = ", ".join(s.name for s in all_archs() if s.accepts_hints)
    return f"{spec.name} takes no colour hints (the networks that do: {able})"


def with_photo_hints(settings, photo: str | os.PathLike, use_sidecar: bool = True):
    """``settings`` (ColorizeSettings) with the photo's sidecar hints when it has none of its own."""
    if settings.hints or not use_sidecar:
        return settings
    hints = load_sidecar(photo)
    return replace(settings, hints=tuple(hints)) if hints else settings
