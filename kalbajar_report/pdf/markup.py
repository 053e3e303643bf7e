"""Escaping text for ReportLab's paragraph markup (which is XML-like): content is data, never markup."""

from __future__ import annotations

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """``text`` with ``& < >`` escaped, for the body of a paragraph."""
    return text.translate(_TEXT)


def quoteattr(value: str) -> str:
    """``value`` as a double-quoted attribute value."""
    return '"' + value.translate(_ATTR) + '"'
