"""Writing outputs: every file of a build rendered first, then committed together, atomically.

A build's files are a set: :func:`commit` checks every target, writes each to a temporary file in its
own directory, and only when all of them exist renames them into place, under an exclusive lock on the
output directory so that concurrent builds into one directory commit one after the other. If a rename
still fails, the files already renamed are put back as they were.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import OutputError

#: the lock file used where a directory itself cannot be locked (see :func:`directory_lock`)
LOCK_NAME = ".kalbajar-report.lock"


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


@contextmanager
def directory_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``folder`` (the directory itself; a lock file in it where the file
    system cannot lock a directory) until the block ends. Builds committing into one directory wait for
    each other here."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(f"cannot open output directory: {exc.strerror or exc}", str(folder)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            if exc.errno not in (errno.EBADF, errno.EINVAL, errno.ENOLCK, errno.EOPNOTSUPP):
                raise OutputError(f"cannot lock output directory: {exc.strerror}", str(folder)) from None
            os.close(fd)
            fd = _lock_file(folder)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _lock_file(folder: Path) -> int:
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create lock file: {exc.strerror or exc}", str(path)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        os.close(fd)
        raise OutputError(f"cannot lock: {exc.strerror or exc}", str(path)) from None
    return fd


class _Step:
    __slots__ = ("backup", "renamed", "target", "temp")

    def __init__(
        self, target: Path, temp: Path | None = None, backup: Path | None = None, renamed: bool = False
    ) -> None:
        self.target = target
        self.temp = temp
        self.backup = backup  # a second name of the previous file while the commit runs
        self.renamed = renamed


def _check_target(target: Path) -> None:
    """A target must be a file (or nothing) in a writable directory; checked before anything changes."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write file: {exc.strerror or exc}", str(target)) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError("cannot write file: a directory has this name", str(target))
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OutputError("cannot write file: something that is not a file has this name", str(target))


def _check_dirs(folder: Path, names: list[str]) -> list[Path]:
    """The subdirectories the files need (``sections/``): each must be a directory or be creatable."""
    needed: list[Path] = []
    for name in names:
        for parent in reversed(Path(name).parents[:-1]):  # "sections" of "sections/a.tex"
            path = folder / parent
            if path in needed:
                continue
            if path.exists() and not path.is_dir():
                raise OutputError("cannot make a directory here: a file has this name", str(path))
            if path.is_dir() and not os.access(path, os.W_OK | os.X_OK):
                raise OutputError("directory is not writable", str(path))
            needed.append(path)
    return needed


def _write_temp(step: _Step, data: bytes) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=step.target.parent, prefix=f".{step.target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(
            f"cannot write in this directory: {exc.strerror or exc}", str(step.target.parent)
        ) from None
    step.temp = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot write file: {exc.strerror or exc}", str(step.target)) from None


def _keep_previous(step: _Step) -> None:
    """Give the file about to be replaced a second name, so that a failed commit can put it back."""
    if not os.path.lexists(step.target):
        return
    backup = Path(f"{step.temp}.old")
    try:
        os.link(step.target, backup, follow_symlinks=False)
    except OSError:
        try:  # a file system without hard links, or a file another user owns: a copy will do
            shutil.copy2(step.target, backup, follow_symlinks=False)
        except OSError as exc:
            backup.unlink(missing_ok=True)
            raise OutputError(
                f"cannot keep the previous file: {exc.strerror or exc}", str(step.target)
            ) from None
    step.backup = backup


def _undo(steps: list[_Step]) -> None:
    """Put back what a failed commit changed (best effort: this runs while an error is on its way)."""
    for step in reversed(steps):
        try:
            if step.renamed and step.backup is not None:
                os.replace(step.backup, step.target)
                step.backup = None
            elif step.renamed:
                step.target.unlink(missing_ok=True)
        except OSError:
            pass


def _clean(steps: list[_Step]) -> None:
    for step in steps:
        for leftover in (step.temp if not step.renamed else None, step.backup):
            if leftover is not None:
                with suppress(OSError):
                    leftover.unlink(missing_ok=True)


def commit(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative name → bytes) into ``folder`` as one set; returns their paths in order.

    Readers see each file old or new, never a part. Every target is checked before any file changes;
    all temporary files are written before the first rename; if a rename fails, the files renamed before
    it get their previous contents back (or go, if they did not exist). Concurrent commits into one
    directory take turns (an exclusive lock on the directory), so each leaves a complete set.
    """
    names = list(files)
    for name in names:
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise ValueError(f"output name {name!r} must stay inside the output directory")
    steps = [_Step(folder / name) for name in names]
    with directory_lock(folder):
        directories = _check_dirs(folder, names)
        for step in steps:
            _check_target(step.target)
        for directory in directories:
            if not directory.is_dir():
                try:
                    directory.mkdir()
                except OSError as exc:
                    raise OutputError(
                        f"cannot create directory: {exc.strerror or exc}", str(directory)
                    ) from None
        try:
            for step, name in zip(steps, names, strict=True):
                _write_temp(step, files[name])
            for step in steps:
                _keep_previous(step)
            for step in steps:
                assert step.temp is not None
                try:
                    os.replace(step.temp, step.target)
                except OSError as exc:
                    raise OutputError(f"cannot write file: {exc.strerror or exc}", str(step.target)) from None
                step.renamed = True
        except BaseException:
            _undo(steps)
            raise
        finally:
            _clean(steps)
    return [step.target for step in steps]


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    return commit(path.parent, {path.name: data})[0]
