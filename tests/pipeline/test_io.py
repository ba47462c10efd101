"""Reading and writing photos: formats, bit depths, orientation, colour profiles, bad files."""

from __future__ import annotations

import errno
import os
import struct
import time
import warnings
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageCms

from restorer.core.errors import ImageReadError, ImageWriteError
from restorer.core import atomic
from restorer.pipeline.io import (
    IMAGE_SUFFIXES,
    MAX_PIXELS,
    LoadedImage,
    is_image_file,
    iter_image_files,
    load_image,
    output_path_for,
    save_image,
)

# ------------------------------------------------------------------------------------ helpers


def gradient_rgb(height: int = 24, width: int = 32, dtype=np.uint8) -> np.ndarray:
    """A smooth, asymmetric colour image ``(H, W, 3)``: lossy codecs keep it close."""
    top = 65535 if dtype == np.uint16 else 255
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = x / max(1, width - 1)
    g = y / max(1, height - 1)
    b = 1.0 - (r + g) / 2
    return np.rint(np.stack([r, g, b], axis=2) * top).astype(dtype)


def asymmetric_rgb() -> np.ndarray:
    """A 3x5 image whose every pixel differs, so any flip or turn shows."""
    return (np.arange(3 * 5 * 3, dtype=np.uint8).reshape(3, 5, 3) * 5).astype(np.uint8)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def hand_made_png(width: int, height: int, rows: int = 1) -> bytes:
    """A PNG whose header claims ``width x height`` (8-bit grey) but carries only ``rows`` rows."""
    raw = (b"\0" + b"\0" * min(width, 64)) * rows
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )


def linear_rgb_profile() -> bytes:
    """A minimal ICC v2 RGB profile: sRGB primaries but a linear (gamma 1.0) tone curve."""

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + struct.pack(">3i", *(round(v * 65536) for v in (x, y, z)))

    text = b"Linear RGB test"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0"
    desc += struct.pack(">IIHB", 0, 0, 0, 0) + b"\0" * 67
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 256) + b"\0\0"  # gamma 1.0 (u8.8)
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">II", size, 0) + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
    header += b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
    header += struct.pack(">3i", *(round(v * 65536) for v in (0.9642, 1.0, 0.8249)))
    header += b"\0" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + data


def assert_one_line(err: pytest.ExceptionInfo, path: Path) -> None:
    message = str(err.value)
    assert "\n" not in message and "Traceback" not in message
    assert path.name in message


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# ----------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("ext", [".png", ".tif", ".bmp", ".jpg", ".webp"])
def test_8bit_round_trip(tmp_path, ext):
    rgb = gradient_rgb()
    path = save_image(rgb, tmp_path / f"out{ext}")
    loaded = load_image(path)
    assert loaded.pixels.dtype == np.uint8 and loaded.pixels.shape == rgb.shape
    assert loaded.bit_depth == 8 and loaded.alpha is None
    error = np.abs(loaded.pixels.astype(int) - rgb)
    if ext in (".png", ".tif", ".bmp"):
        assert error.max() == 0
    else:
        assert error.mean() < 3


@pytest.mark.parametrize("ext", [".png", ".tif"])
def test_16bit_round_trip_is_exact(tmp_path, ext):
    rgb = gradient_rgb(dtype=np.uint16)
    rgb[0, 0] = (1, 2, 65534)  # values no 8-bit path could keep
    alpha = np.linspace(0, 65535, rgb[..., 0].size).astype(np.uint16).reshape(rgb.shape[:2])
    loaded = load_image(save_image(rgb, tmp_path / f"out{ext}", alpha=alpha))
    assert loaded.bit_depth == 16
    np.testing.assert_array_equal(loaded.pixels, rgb)
    np.testing.assert_array_equal(loaded.alpha, alpha)


@pytest.mark.parametrize("ext", [".jpg", ".webp", ".bmp"])
def test_16bit_to_8bit_format_is_reduced(tmp_path, ext):
    rgb = gradient_rgb(dtype=np.uint16)
    loaded = load_image(save_image(rgb, tmp_path / f"out{ext}"))
    assert loaded.pixels.dtype == np.uint8
    assert np.abs(loaded.pixels.astype(float) - rgb / 257.0).mean() < 3


def test_16bit_grey_png_stays_16bit(tmp_path):
    grey = np.arange(0, 65535, 65535 // 40, dtype=np.uint16)[:40].reshape(5, 8)
    Image.fromarray(grey).save(tmp_path / "grey16.png")
    loaded = load_image(tmp_path / "grey16.png")
    assert loaded.pixels.dtype == np.uint16
    np.testing.assert_array_equal(loaded.pixels, np.repeat(grey[..., None], 3, axis=2))
    assert loaded.is_color is False


def test_gif_is_read_and_written_as_png(tmp_path):
    rgb = np.zeros((6, 7, 3), np.uint8)
    rgb[:, :3] = (255, 0, 0)
    Image.fromarray(rgb).save(tmp_path / "flag.gif")
    loaded = load_image(tmp_path / "flag.gif")
    np.testing.assert_array_equal(loaded.pixels, rgb)
    assert loaded.format == "GIF"
    assert output_path_for(tmp_path / "flag.gif").suffix == ".png"


def test_float_tiff_is_clipped_to_16bit(tmp_path):
    values = np.array([[-0.5, 0.0, 0.25, 1.0, 3.0]], np.float32)
    Image.fromarray(values, "F").save(tmp_path / "hdr.tif")
    loaded = load_image(tmp_path / "hdr.tif")
    assert loaded.pixels.dtype == np.uint16
    np.testing.assert_array_equal(loaded.pixels[0, :, 0], [0, 0, 16384, 65535, 65535])
    assert any("floating-point" in note for note in loaded.notes)


def test_float_rgb_tiff_pillow_cannot_open(tmp_path):
    bgr = np.zeros((4, 4, 3), np.float32)
    bgr[..., 2] = 0.5  # red channel in OpenCV's order
    cv2.imwrite(str(tmp_path / "hdr_rgb.tif"), bgr)
    loaded = load_image(tmp_path / "hdr_rgb.tif")
    np.testing.assert_array_equal(loaded.pixels[0, 0], [32768, 0, 0])


def test_one_bit_image(tmp_path):
    bits = Image.new("1", (8, 4))
    bits.putpixel((2, 1), 1)
    bits.save(tmp_path / "bits.png")
    loaded = load_image(tmp_path / "bits.png")
    assert loaded.pixels.dtype == np.uint8
    assert tuple(loaded.pixels[1, 2]) == (255, 255, 255) and loaded.pixels.sum() == 3 * 255


@pytest.mark.parametrize("shape", [(1, 1), (1, 5000), (5000, 1)])
def test_tiny_and_thin_images(tmp_path, shape):
    rgb = np.full(shape + (3,), 77, np.uint8)
    loaded = load_image(save_image(rgb, tmp_path / "thin.png"))
    np.testing.assert_array_equal(loaded.pixels, rgb)
    assert loaded.is_color is False


# ---------------------------------------------------------------------------- orientation

_UNDO = {  # the stored pixels for each orientation are the upright ones turned the other way
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_gives_upright_pixels(tmp_path, orientation):
    upright = asymmetric_rgb()
    stored = Image.fromarray(upright)
    if _UNDO[orientation] is not None:
        stored = stored.transpose(_UNDO[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(tmp_path / "turned.png", exif=exif.tobytes(), dpi=(300, 100))
    loaded = load_image(tmp_path / "turned.png")
    np.testing.assert_array_equal(loaded.pixels, upright)
    reread = Image.Exif()
    reread.load(loaded.exif)
    assert reread[0x0112] == 1
    swapped = orientation >= 5
    assert loaded.dpi == pytest.approx((100, 300) if swapped else (300, 100), rel=1e-3)


def test_jpeg_orientation_and_metadata_survive_a_save(tmp_path):
    upright = gradient_rgb(16, 40)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "TestCam"
    exif.get_ifd(0x8769)[0x9003] = "1950:06:01 12:00:00"
    Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90).save(
        tmp_path / "scan.jpg", exif=exif.tobytes(), dpi=(600, 600), quality=98
    )
    loaded = load_image(tmp_path / "scan.jpg")
    assert loaded.pixels.shape == upright.shape
    assert np.abs(loaded.pixels.astype(int) - upright).mean() < 3
    out = save_image(loaded.pixels, tmp_path / "scan_colorized.jpg", like=loaded)
    with Image.open(out) as written:
        written_exif = written.getexif()
        assert written_exif[0x010F] == "TestCam"
        assert written_exif[0x0112] == 1
        assert written_exif.get_ifd(0x8769)[0x9003] == "1950:06:01 12:00:00"
        assert written.info["dpi"] == pytest.approx((600, 600))
        assert written.size == (40, 16)


# ------------------------------------------------------------------------------- ICC profiles


@pytest.mark.parametrize("ext", [".png", ".jpg", ".tif"])
def test_non_srgb_profile_is_converted_and_kept_in_the_output(tmp_path, ext):
    profile = linear_rgb_profile()
    Image.new("RGB", (8, 8), (128, 128, 128)).save(tmp_path / f"linear{ext}", icc_profile=profile)
    loaded = load_image(tmp_path / f"linear{ext}")
    # linear 0.502 is sRGB-encoded ~0.735 -> 188: the profile was honoured, not ignored
    assert abs(int(loaded.pixels[4, 4, 0]) - 188) <= 3
    assert "ICC profile converted to sRGB" in loaded.notes
    assert loaded.icc_profile == profile
    out = save_image(loaded.pixels, tmp_path / f"out{ext}", like=loaded)
    with Image.open(out) as written:
        assert written.info["icc_profile"] == profile  # the original's own profile, not a generic sRGB one
        assert abs(int(np.asarray(written.convert("RGB"))[4, 4, 0]) - 128) <= 3  # pixels back in its space
    assert abs(int(load_image(out).pixels[4, 4, 0]) - 188) <= 3  # so the output looks like the input


def test_srgb_profile_is_kept_and_reembedded(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    rgb = gradient_rgb()
    Image.fromarray(rgb).save(tmp_path / "srgb.png", icc_profile=srgb)
    loaded = load_image(tmp_path / "srgb.png")
    np.testing.assert_array_equal(loaded.pixels, rgb)  # no needless round trip through lcms
    assert loaded.icc_profile == srgb
    assert not any("ICC" in note for note in loaded.notes)
    for ext in (".png", ".tif"):
        deep = save_image(rgb.astype(np.uint16) * 257, tmp_path / f"deep{ext}", like=loaded)
        with Image.open(deep) as written:
            assert written.info.get("icc_profile")
        assert load_image(deep).bit_depth == 16


def test_plain_image_gets_no_profile(tmp_path):
    loaded = load_image(save_image(gradient_rgb(), tmp_path / "a.png"))
    out = save_image(loaded.pixels, tmp_path / "b.png", like=loaded)
    with Image.open(out) as written:
        assert "icc_profile" not in written.info


def test_profile_on_16bit_colour_is_noted(tmp_path):
    rgb = gradient_rgb(dtype=np.uint16)
    png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()
    profile_chunk = png_chunk(b"iCCP", b"linear\0\0" + zlib.compress(linear_rgb_profile()))
    (tmp_path / "deep_linear.png").write_bytes(png[:33] + profile_chunk + png[33:])
    loaded = load_image(tmp_path / "deep_linear.png")
    assert loaded.bit_depth == 16
    np.testing.assert_array_equal(loaded.pixels, rgb)  # kept as they are, and said so
    assert any("not applied" in note for note in loaded.notes)
    assert loaded.icc_profile == linear_rgb_profile()
    for ext in (".png", ".tif"):  # the output keeps the original's profile, and its pixels that profile's
        out = save_image(loaded.pixels, tmp_path / f"out{ext}", like=loaded)
        with Image.open(out) as written:
            assert written.info["icc_profile"] == linear_rgb_profile()
        np.testing.assert_array_equal(load_image(out).pixels, rgb)


# ----------------------------------------------------------------------- modes and frames


def test_cmyk_jpeg_loads_as_rgb(tmp_path):
    Image.new("CMYK", (8, 8), (255, 0, 0, 0)).save(tmp_path / "cmyk.jpg", quality=100)
    loaded = load_image(tmp_path / "cmyk.jpg")
    assert loaded.pixels.shape == (8, 8, 3)
    r, g, b = loaded.pixels[4, 4].astype(int)
    assert r < 30 and g > 225 and b > 225  # cyan
    assert "CMYK converted to RGB" in loaded.notes


def test_palette_transparency_gives_alpha(tmp_path):
    image = Image.new("P", (4, 2))
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.putpixel((0, 0), 1)
    image.save(tmp_path / "pal.png", transparency=0)
    loaded = load_image(tmp_path / "pal.png")
    assert loaded.alpha is not None and loaded.alpha.dtype == np.uint8
    assert loaded.alpha[0, 0] == 255 and loaded.alpha[1, 3] == 0
    assert tuple(loaded.pixels[0, 0]) == (0, 0, 255)


def test_grey_with_alpha(tmp_path):
    grey = np.full((3, 4), 90, np.uint8)
    alpha = np.full((3, 4), 200, np.uint8)
    Image.fromarray(np.dstack([grey, alpha]), "LA").save(tmp_path / "la.png")
    loaded = load_image(tmp_path / "la.png")
    np.testing.assert_array_equal(loaded.pixels, np.dstack([grey] * 3))
    np.testing.assert_array_equal(loaded.alpha, alpha)
    assert loaded.is_color is False


def test_rgba_alpha_reaches_png_but_not_jpeg(tmp_path):
    rgb = gradient_rgb()
    alpha = np.zeros(rgb.shape[:2], np.uint8)
    alpha[:, ::2] = 255
    Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(tmp_path / "rgba.png")
    loaded = load_image(tmp_path / "rgba.png")
    png = load_image(save_image(loaded.pixels, tmp_path / "o.png", alpha=loaded.alpha, like=loaded))
    np.testing.assert_array_equal(png.alpha, alpha)
    np.testing.assert_array_equal(png.pixels, rgb)
    jpeg = load_image(save_image(loaded.pixels, tmp_path / "o.jpg", alpha=loaded.alpha))
    assert jpeg.alpha is None


def test_animated_gif_uses_first_frame(tmp_path):
    colours = ((255, 0, 0), (0, 255, 0), (0, 0, 255))
    frames = [Image.new("RGB", (6, 6), colour) for colour in colours]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=50)
    loaded = load_image(tmp_path / "anim.gif")
    assert tuple(loaded.pixels[3, 3]) == (255, 0, 0)
    assert "animated GIF: first frame used" in loaded.notes


def test_multipage_tiff_uses_first_page(tmp_path):
    pages = [Image.new("L", (5, 5), value) for value in (10, 200)]
    pages[0].save(tmp_path / "pages.tif", save_all=True, append_images=pages[1:])
    loaded = load_image(tmp_path / "pages.tif")
    assert loaded.pixels[2, 2, 0] == 10
    assert "multi-page TIFF: first page used" in loaded.notes


def test_colour_detection(tmp_path):
    colour = load_image(save_image(gradient_rgb(), tmp_path / "colour.png"))
    assert colour.is_color is True
    assert any("already a colour photo" in note for note in colour.notes)
    grey_values = np.tile(np.linspace(0, 255, 32).astype(np.uint8), (24, 1))
    grey = load_image(save_image(np.dstack([grey_values] * 3), tmp_path / "grey.png"))
    assert grey.is_color is False and grey.notes == []
    sepia = np.dstack([grey_values, grey_values * 0.8, grey_values * 0.6]).astype(np.uint8)
    toned = load_image(save_image(sepia, tmp_path / "sepia.png"))
    assert toned.is_color is False
    assert any("sepia" in note for note in toned.notes)


# ------------------------------------------------------------------------------- bad inputs


def test_missing_file(tmp_path):
    with pytest.raises(ImageReadError, match="no such file") as err:
        load_image(tmp_path / "nope.jpg")
    assert_one_line(err, tmp_path / "nope.jpg")


def test_directory(tmp_path):
    (tmp_path / "album.jpg").mkdir()
    with pytest.raises(ImageReadError, match="folder") as err:
        load_image(tmp_path / "album.jpg")
    assert_one_line(err, tmp_path / "album.jpg")


def test_zero_byte_file(tmp_path):
    (tmp_path / "empty.png").touch()
    with pytest.raises(ImageReadError, match="empty") as err:
        load_image(tmp_path / "empty.png")
    assert_one_line(err, tmp_path / "empty.png")


@pytest.mark.parametrize("name", ["notes.jpg", "notes.tif"])
def test_text_named_as_image(tmp_path, name):
    (tmp_path / name).write_text("this is not a photo\nsecond line\n")
    with pytest.raises(ImageReadError) as err:
        load_image(tmp_path / name)
    assert_one_line(err, tmp_path / name)


@pytest.mark.parametrize("ext", [".jpg", ".png", ".tif"])
def test_truncated_file(tmp_path, ext):
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(noise).save(tmp_path / f"whole{ext}")
    data = (tmp_path / f"whole{ext}").read_bytes()
    (tmp_path / f"cut{ext}").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageReadError) as err:
        load_image(tmp_path / f"cut{ext}")
    assert_one_line(err, tmp_path / f"cut{ext}")


def test_truncated_16bit_png(tmp_path):
    save_image(gradient_rgb(64, 64, np.uint16), tmp_path / "whole.png")
    data = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageReadError):
        load_image(tmp_path / "cut.png")


@pytest.mark.parametrize("size", [(100_000, 100_000), (15_000, 15_000)])
def test_decompression_bomb_fails_fast(tmp_path, size):
    assert size[0] * size[1] > MAX_PIXELS
    (tmp_path / "bomb.png").write_bytes(hand_made_png(*size))
    start = time.perf_counter()
    # Pillow itself refuses beyond twice its limit, and only warns below that: ours comes first
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with pytest.raises(ImageReadError, match="pixels") as err:
            load_image(tmp_path / "bomb.png")
    assert time.perf_counter() - start < 1.0
    assert_one_line(err, tmp_path / "bomb.png")


def test_unreadable_file(tmp_path):
    path = save_image(gradient_rgb(), tmp_path / "secret.png")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        with pytest.raises(ImageReadError, match="permission") as err:
            load_image(path)
        assert_one_line(err, path)
    finally:
        path.chmod(0o644)


# -------------------------------------------------------------------------------- saving


def test_save_refuses_existing_file_unless_overwrite(tmp_path):
    target = tmp_path / "out.png"
    target.write_bytes(b"keep me")
    with pytest.raises(ImageWriteError, match="exists"):
        save_image(gradient_rgb(), target)
    assert target.read_bytes() == b"keep me"
    save_image(gradient_rgb(), target, overwrite=True)
    assert load_image(target).pixels.shape == (24, 32, 3)
    assert leftovers(tmp_path) == []


def test_save_never_overwrites_the_original(tmp_path):
    original = save_image(gradient_rgb(), tmp_path / "photo.png")
    before = original.read_bytes()
    loaded = load_image(original)
    with pytest.raises(ImageWriteError, match="original"):
        save_image(loaded.pixels, tmp_path / "." / "photo.png", like=loaded, overwrite=True)
    assert original.read_bytes() == before


def test_save_creates_missing_folders(tmp_path):
    out = save_image(gradient_rgb(), tmp_path / "a" / "b" / "c.png")
    assert out.is_file()


def test_save_rejects_unknown_extension(tmp_path):
    with pytest.raises(ImageWriteError, match=r"\.xyz"):
        save_image(gradient_rgb(), tmp_path / "out.xyz")
    with pytest.raises(ValueError):
        save_image(np.zeros((4, 4), np.uint8), tmp_path / "grey.png")


def test_save_into_read_only_folder_leaves_nothing(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running with privileges that ignore folder permissions")
        with pytest.raises(ImageWriteError, match="permission") as err:
            save_image(gradient_rgb(), folder / "out.png")
        assert "\n" not in str(err.value)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("step", ["open", "rename"])
def test_permission_denied_is_reported_and_cleaned(tmp_path, monkeypatch, step):
    """The same as a read-only folder, simulated so it also runs as root."""

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    names = ["open"] if step == "open" else ["link", "replace"]
    for name in names:
        monkeypatch.setattr(atomic.os, name, denied)
    with pytest.raises(ImageWriteError, match="permission denied") as err:
        save_image(gradient_rgb(), tmp_path / "out.png")
    monkeypatch.undo()
    assert "\n" not in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_encoder_failure_leaves_nothing(tmp_path):
    too_wide = np.zeros((1, 20_000, 3), np.uint8)  # WebP's limit is 16383 pixels a side
    with pytest.raises(ImageWriteError, match="encoded"):
        save_image(too_wide, tmp_path / "wide.webp")
    assert list(tmp_path.iterdir()) == []


def test_disk_full_leaves_nothing(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(ImageWriteError, match="disk is full"):
        save_image(gradient_rgb(), tmp_path / "out.png")
    assert list(tmp_path.iterdir()) == []


def test_interrupt_while_encoding_leaves_nothing(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Image.Image, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_image(gradient_rgb(), tmp_path / "out.jpg")
    assert list(tmp_path.iterdir()) == []


def test_saved_file_has_normal_permissions(tmp_path):
    out = save_image(gradient_rgb(), tmp_path / "out.png")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_deep_tiff_keeps_dpi_and_exif(tmp_path):
    rgb = gradient_rgb(dtype=np.uint16)
    exif = Image.Exif()
    exif[0x013B] = "Grandma"  # Artist, in the first directory
    exif.get_ifd(0x8769)[0x9003] = "1962:07:14 10:00:00"  # DateTimeOriginal, in the Exif sub-directory
    like = LoadedImage(rgb, None, tmp_path / "in.tif", "TIFF", dpi=(1200.0, 1200.0), exif=exif.tobytes())
    out = save_image(rgb, tmp_path / "out.tif", like=like)
    loaded = load_image(out)
    assert loaded.dpi == pytest.approx((1200, 1200)) and loaded.bit_depth == 16
    np.testing.assert_array_equal(loaded.pixels, rgb)
    with Image.open(out) as written:
        assert written.getexif().get(0x013B) == "Grandma"
        assert written.getexif().get_ifd(0x8769).get(0x9003) == "1962:07:14 10:00:00"


# ----------------------------------------------------------------------------- output names


def test_output_path_for(tmp_path):
    photo = tmp_path / "Grandma.JPG"
    assert output_path_for(photo) == tmp_path / "Grandma_colorized.JPG"
    assert output_path_for(photo, tmp_path / "out") == tmp_path / "out" / "Grandma_colorized.JPG"
    assert output_path_for(photo, ext="png") == tmp_path / "Grandma_colorized.png"
    assert output_path_for(tmp_path / "a.gif").name == "a_colorized.png"
    with pytest.raises(ImageWriteError):
        output_path_for(photo, suffix="")
    with pytest.raises(ImageWriteError):
        output_path_for(photo, suffix="", ext=".jpg")  # same file on case-blind disks
    with pytest.raises(ImageWriteError):
        output_path_for(photo, ext=".gif")


# ----------------------------------------------------------------------------- finding files


def test_is_image_file():
    assert all(is_image_file(f"x{suffix.upper()}") for suffix in IMAGE_SUFFIXES)
    assert not is_image_file("notes.txt") and not is_image_file(".a.png.1234.part")


def test_iter_image_files_walks_tree_once(tmp_path):
    root = tmp_path / "album"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for rel in ["b10.jpg", "b2.PNG", "notes.txt", ".secret.jpg", ".b2.PNG.abcd.part",
                "sub/c.tif", "sub/deeper/d.webp", ".hidden/e.jpg"]:
        (root / rel).write_bytes(b"x")
    os.symlink(root, root / "sub" / "loop")  # a cycle back to the top
    os.symlink(root / "sub", root / "zz_alias")  # the same folder reached twice
    found = list(iter_image_files([root, root / "b2.PNG"]))
    assert [p.relative_to(root).as_posix() for p in found] == [
        "b2.PNG", "b10.jpg", "sub/c.tif", "sub/deeper/d.webp"
    ]
    flat = list(iter_image_files(root, recursive=False))
    assert [p.name for p in flat] == ["b2.PNG", "b10.jpg"]
    assert list(iter_image_files(root / "notes.txt")) == []
