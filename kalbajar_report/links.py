"""Which links an input may give and an output may carry: absolute http(s) URLs with a host, nothing else.

Readers call :func:`url_problem` once, so a bad URL stops the build at its file and line; writers call
:func:`safe_url` as a second guard and escape the URL for their own format.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# characters RFC 3986 lets a URL hold (A-Z a-z 0-9 -._~:/?#[]@!$&'()*+,;=%), plus the non-ASCII ones of
# an IRI from U+00A1 on (Wikipedia's own URLs have them), written as what it excludes: the same set, and
# compiled in a tenth of the time of the range up to U+10FFFF (a cold build compiles it)
_URL_CHARS = re.compile(r"^[^\x00-\x20\"<>\\^`{|}\x7f-\xa0]+$")
_HOST = re.compile(r"^(?:[^\s/@:]+(?::[^\s/@]*)?@)?(?:\[[0-9A-Fa-f:.]+\]|[^\s/?#@:\[\]]+)(?::\d{1,5})?$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_INVISIBLE = re.compile(r"[\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufff0-\uffff]")


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) URL with a host that every format can carry, or None."""
    if not url:
        return "is empty"
    if not url.lower().startswith(("http://", "https://")):
        return "must start with http:// or https://"
    if len(url) > 8000:
        return "is longer than 8,000 characters"
    if _INVISIBLE.search(url) or not _URL_CHARS.match(url):
        bad = next((c for c in url if not _URL_CHARS.match(c) or _INVISIBLE.match(c)), "?")
        return f"holds a character a URL cannot hold ({bad!r})"
    if _BAD_PERCENT.search(url):
        return "holds a '%' that is not followed by two hex digits"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"cannot be read as a URL ({exc})"
    if not parts.netloc or not _HOST.match(parts.netloc):
        return "has no host"
    return None


def safe_url(url: str | None) -> str | None:
    """The URL when it passes :func:`url_problem` (absolute http or https), else None."""
    if url and url_problem(url.strip()) is None:
        return url.strip()
    return None
