"""Errors whose message is shown to the user as it is (no traceback)."""


class RestorerError(Exception):
    """Base of every error Restorer reports to a user; ``str(err)`` is the message."""


class ImageReadError(RestorerError):
    """An input image cannot be read (missing, truncated, not an image, too large)."""


class ImageWriteError(RestorerError):
    """An output image cannot be written (read-only folder, disk full, bad format)."""


class ModelLoadError(RestorerError):
    """A weights file is missing, corrupt, of the wrong shape or not for this architecture."""


class UnsafeWeightsError(ModelLoadError):
    """A weights file tries to run code when loaded (a malicious pickle)."""


class CancelledError(RestorerError):
    """Long work stopped because the user cancelled it."""


class DatasetError(RestorerError):
    """A training/evaluation folder has no usable photos or a broken layout."""


class SettingError(RestorerError, ValueError):
    """A number or choice a user set is outside what Restorer accepts (a ValueError too, so code
    that validates its arguments the usual way still catches it)."""


class TrainingError(RestorerError):
    """Training ended without a model worth installing (no finished epoch, no finite score)."""


class HintsError(RestorerError):
    """A colour-hints file cannot be read or written, or the model takes no hints."""
