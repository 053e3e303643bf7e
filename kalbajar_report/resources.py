"""Locating the data that ships with the package (content, references, templates) and reading inputs."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import ReportError

_SOURCE_TREE = Path(__file__).resolve().parent.parent


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


def read_input(path: Path, error: type[ReportError]) -> str:
    """Read a user's UTF-8 input file; I/O and decoding failures become one-line ``error``s."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror or exc}", str(path), None) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", str(path), line) from None
