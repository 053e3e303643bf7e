"""Which links an output may carry: only http and https (no javascript:, data: or file:)."""

from __future__ import annotations


def safe_url(url: str | None) -> str | None:
    """The URL when its scheme is http or https, else None (no javascript:, data: or file: links)."""
    if (
        url
        and url.strip().lower().startswith(("http://", "https://"))
        and not any(c.isspace() for c in url.strip())
    ):
        return url.strip()
    return None
