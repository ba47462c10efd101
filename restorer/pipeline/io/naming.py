"""Where results go: output names, and what happens when a file of that name exists (one policy)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from restorer.core.errors import ImageWriteError
from restorer.core.ranges import name_part_problem
from restorer.pipeline.io.formats import FALLBACK_SUFFIX, WRITABLE_SUFFIXES, WRITE_FORMATS

NAME_MAX_BYTES = 255  # the usual file-name limit (ext4, APFS, NTFS: 255 UTF-16 units <= UTF-8 bytes)
IF_EXISTS = ("fail", "overwrite", "number")


@dataclass(frozen=True)
class OutputOptions:
    """Where results go and what happens when a file of that name exists: the one naming policy.

    ``if_exists``: "fail" refuses (the command line's default: a re-run never piles up copies),
    "overwrite" replaces (never an original), "number" picks a free ``name (2).ext`` (the app).
    ``source_roots`` are folders the user chose: their sub-folders are mirrored in ``folder``,
    so 1950/img001.jpg and 1951/img001.jpg never collide.
    """

    folder: Path | None = None  # None: beside each original
    suffix: str = "_colorized"
    ext: str | None = None  # None: the input's (PNG for formats we cannot write well)
    quality: int = 95
    if_exists: str = "fail"
    source_roots: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        if self.if_exists not in IF_EXISTS:
            raise ValueError(f"if_exists must be one of {IF_EXISTS}, not {self.if_exists!r}")


def output_path(source: str | os.PathLike, options: OutputOptions) -> Path:
    """Where ``source``'s result goes under ``options`` (a free numbered name when asked for)."""
    folder = options.folder
    if folder is not None:
        for root in options.source_roots:
            try:
                folder = Path(folder) / Path(source).parent.relative_to(root)
                break
            except ValueError:
                continue
    path = output_path_for(source, folder, options.suffix, options.ext)
    return unique_path(path) if options.if_exists == "number" else path


def unique_path(path: Path) -> Path:
    """``path`` itself when free, else ``stem (2).ext``, ``stem (3).ext``..."""
    if not path.exists():
        return path
    for number in range(2, 10_000):
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        if not candidate.exists():
            return candidate
    raise ImageWriteError(f"Too many files named like {path.name} in {path.parent}")


def output_path_for(
    input_path: str | os.PathLike,
    out_dir: str | os.PathLike | None = None,
    suffix: str = "_colorized",
    ext: str | None = None,
) -> Path:
    """``<out_dir or input folder>/<stem><suffix><ext>``; never the input file itself.

    ``ext`` defaults to the input's extension (its case kept) when we can write that format,
    else ``.png``. Raises ``ImageWriteError`` for an unwritable ``ext`` or when the result would
    be the input, or a ``suffix`` that would lead into another folder.
    """
    input_path = Path(input_path)
    bad_suffix = name_part_problem(suffix)
    if bad_suffix is not None:
        raise ImageWriteError(f"The output suffix {bad_suffix}")
    if ext is None:
        ext = input_path.suffix if input_path.suffix.lower() in WRITE_FORMATS else FALLBACK_SUFFIX
    elif not ext.startswith("."):
        ext = "." + ext
    if ext.lower() not in WRITE_FORMATS:
        choices = ", ".join(WRITABLE_SUFFIXES)
        raise ImageWriteError(f"Cannot write {ext} files; choose one of {choices}")
    folder = Path(out_dir) if out_dir is not None else input_path.parent
    result = folder / f"{input_path.stem}{suffix}{ext}"
    if same_file(result, input_path, ignore_case=True):
        raise ImageWriteError(f"The output name for {input_path} would overwrite the original")
    if len(os.fsencode(result.name)) > NAME_MAX_BYTES:
        raise ImageWriteError(
            f"The output name for {input_path.name} would be too long for the file system "
            f"(more than {NAME_MAX_BYTES} bytes); rename the photo or use a shorter suffix"
        )
    return result



def same_file(a: Path, b: Path, ignore_case: bool = False) -> bool:
    """Whether ``a`` and ``b`` are the same file (existing or not); case-blind if asked, since
    macOS and Windows folders usually are."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    ra, rb = os.path.normcase(a.resolve()), os.path.normcase(b.resolve())
    return ra.casefold() == rb.casefold() if ignore_case else ra == rb
