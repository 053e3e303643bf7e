"""Writing outputs atomically: a temporary file in the target directory, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def ensure_dir(path: Path, create: bool = True) -> Path:
    """The output directory, created when missing (if ``create``) but not its parents; OutputError when
    unusable."""
    if path.exists() and not path.is_dir():
        raise OutputError("output path exists and is not a directory", str(path))
    if not path.exists():
        if not create:
            raise OutputError("output directory does not exist", str(path))
        try:
            path.mkdir(exist_ok=True)  # only the folder itself: a missing parent is more likely a typo
        except FileNotFoundError:
            raise OutputError("its parent directory does not exist", str(path)) from None
        except OSError as exc:
            raise OutputError(f"cannot create output directory: {exc.strerror or exc}", str(path)) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError("output directory is not writable", str(path))
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(
            f"cannot write in this directory: {exc.strerror or exc}", str(path.parent)
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write file: {exc.strerror or exc}", str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
