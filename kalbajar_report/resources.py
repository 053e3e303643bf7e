"""Locating the data that ships with the package (content, references, templates) and reading inputs."""

from __future__ import annotations

import os
import stat
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import ReportError

_SOURCE_TREE = Path(__file__).resolve().parent.parent

#: the largest input file read (an .article, a .bib, a template): 8 MiB, some 300 times the shipped
#: article; a larger file is refused before it is read (a 200x generated article is about 5 MiB)
MAX_INPUT_BYTES = 8 * 1024 * 1024
_LIMIT_TEXT = "8 MiB"


def data_dir(kind: str) -> Traversable:
    """The folder of shipped data ``kind`` ("references", "templates" or "content").

    In an installed wheel, ``references/`` and ``templates/`` are the subpackages
    ``kalbajar_report.references`` and ``kalbajar_report.templates``; in a checkout, top-level folders.
    """
    if kind == "content":
        return resources.files("kalbajar_report") / "content"
    try:
        return resources.files(f"kalbajar_report.{kind}")
    except ModuleNotFoundError:
        return _SOURCE_TREE / kind


def read_text(kind: str, name: str) -> tuple[str, str]:
    """The text of a shipped data file and a display name for error messages."""
    item = data_dir(kind) / name
    return item.read_text(encoding="utf-8"), f"{kind}/{name}"


def _kind(mode: int) -> str:
    """What a non-regular file is, for an error message."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


def _refuse(mode: int, size: int, path: Path, error: type[ReportError]) -> None:
    if not stat.S_ISREG(mode):
        raise error(f"not a regular file but {_kind(mode)}; give a text file", str(path), None)
    if size > MAX_INPUT_BYTES:
        raise error(
            f"file too large ({size:,} bytes; the limit is {MAX_INPUT_BYTES:,} bytes, {_LIMIT_TEXT})",
            str(path),
            None,
        )


def read_input_bytes(path: Path, error: type[ReportError]) -> bytes:
    """The bytes of a user's input file: a regular file of at most MAX_INPUT_BYTES, else an ``error``.

    A FIFO, device, directory or socket is refused before it is read (checked with ``stat`` before
    opening, opened with ``O_NONBLOCK`` so a FIFO cannot block, and checked again on the open file);
    at most MAX_INPUT_BYTES + 1 bytes are ever read, so a file that grows meanwhile is refused too."""
    try:
        info = os.stat(path)
        _refuse(info.st_mode, info.st_size, path, error)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", str(path), None) from None
    try:
        info = os.fstat(fd)
        _refuse(info.st_mode, info.st_size, path, error)
        chunks: list[bytes] = []
        left = MAX_INPUT_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", str(path), None) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_INPUT_BYTES:
        raise error(f"file too large (more than {MAX_INPUT_BYTES:,} bytes, {_LIMIT_TEXT})", str(path), None)
    return data


def read_input(path: Path, error: type[ReportError]) -> str:
    """Read a user's UTF-8 input file; I/O and decoding failures, non-regular and over-large files
    become one-line ``error``s (see :func:`read_input_bytes`)."""
    data = read_input_bytes(path, error)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", str(path), line) from None
