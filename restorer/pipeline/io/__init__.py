"""Photos in and out: reading any common format, finding photos in folders, naming and writing results.

``read`` (decode to upright sRGB arrays, with the metadata a faithful output needs), ``metadata``
(orientation, EXIF, DPI, ICC), ``colour`` (is this photo already in colour?), ``formats`` (every
suffix list), ``find`` (walking folders), ``naming`` (where results go: the one naming policy) and
``write`` (atomic saves that keep 16 bits, alpha and metadata). Import from here.
"""

from restorer.pipeline.io.colour import CHROMA_THRESHOLD, classify_colour, mean_chroma
from restorer.pipeline.io.find import iter_image_files
from restorer.pipeline.io.formats import (
    IMAGE_SUFFIXES,
    PHOTO_SUFFIXES,
    WRITABLE_SUFFIXES,
    file_dialog_filter,
    is_image_file,
)
from restorer.pipeline.io.naming import OutputOptions, output_path, output_path_for, unique_path
from restorer.pipeline.io.read import MAX_PIXELS, LoadedImage, load_image, read_rgb8
from restorer.pipeline.io.write import save_image

__all__ = [
    "CHROMA_THRESHOLD",
    "IMAGE_SUFFIXES",
    "MAX_PIXELS",
    "PHOTO_SUFFIXES",
    "WRITABLE_SUFFIXES",
    "LoadedImage",
    "OutputOptions",
    "classify_colour",
    "file_dialog_filter",
    "is_image_file",
    "iter_image_files",
    "load_image",
    "mean_chroma",
    "output_path",
    "output_path_for",
    "read_rgb8",
    "save_image",
    "unique_path",
]
