"""Escaping text for ReportLab's paragraph markup (which is XML-like): content is data, never markup."""

from __future__ import annotations

# (str.replace, each only when needed: str.translate with a table is a hundred times slower on long text)


def escape(text: str) -> str:
    """``text`` with ``& < >`` escaped, for the body of a paragraph."""
    if "&" in text:
        text = text.replace("&", "&amp;")  # first: the entities below hold an ampersand
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def quoteattr(value: str) -> str:
    """``value`` as a double-quoted attribute value."""
    value = escape(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    return '"' + value + '"'
