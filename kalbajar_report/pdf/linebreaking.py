"""ReportLab's own line breaker, run with a fragment comparison that raises no exceptions.

Every paragraph with a note marker or a link takes ReportLab's multi-fragment line breaker
(``Paragraph.breakLines``), which asks ``sameFrag(line_frag, word_frag)`` for every word it sets. With
rl-accel installed that is the C version, which probes attributes a fragment does not have (``link``,
``backColor``, ``nobr``, ``us_lines``, ``cbDefn``, ``lineBreak``) by raising and clearing AttributeError:
about 4 µs a call, a seventh of a long build. :func:`break_lines` is ReportLab's code object itself, given
a namespace that is ReportLab's module namespace with ``sameFrag`` replaced by :func:`same_frag`, which
answers exactly as the C version does (``getattr`` with a default raises nothing). ReportLab's module is
not changed: other code using ReportLab, in this process too, keeps its own ``sameFrag``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import reportlab.platypus.paragraph as rl_paragraph
from reportlab.platypus import Paragraph

# the attributes rl-accel's sameFrag compares, in its order
STYLE_ATTRIBUTES = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")
_MISSING = object()


def same_frag(f: Any, g: Any) -> bool:
    """True when two fragments can share one run of text: rl-accel's ``sameFrag``, without exceptions.

    As the C version: a fragment with ``cbDefn`` or ``lineBreak`` is never the same as another; an
    attribute both lack is equal, one only one has differs, two values are compared with ``!=`` unless
    they are the same object."""
    if hasattr(f, "cbDefn") or hasattr(g, "cbDefn") or hasattr(f, "lineBreak") or hasattr(g, "lineBreak"):
        return False
    for name in STYLE_ATTRIBUTES:
        a = getattr(f, name, _MISSING)
        b = getattr(g, name, _MISSING)
        if a is not b and (a is _MISSING or b is _MISSING or a != b):
            return False
    return True


def _rebound(method: Callable[..., Any]) -> Callable[..., Any] | None:
    """``method`` (a function of ReportLab's paragraph module) with ``sameFrag`` resolved to ours; None when
    ReportLab's code no longer has the shape this relies on (then its own method is used)."""
    code = getattr(method, "__code__", None)
    if code is None or code.co_freevars or "sameFrag" not in code.co_names:
        return None
    if getattr(method, "__globals__", None) is not vars(rl_paragraph):
        return None
    namespace = {**vars(rl_paragraph), "sameFrag": same_frag}
    function = types.FunctionType(code, namespace, method.__name__, method.__defaults__, method.__closure__)
    function.__kwdefaults__ = method.__kwdefaults__
    function.__qualname__ = f"{__name__}.{method.__name__}"
    return function


# derived once from ReportLab's code at import; never changed afterwards
_BREAK_LINES = _rebound(Paragraph.breakLines)


def break_lines(paragraph: Paragraph, width: Any) -> Any:
    """``paragraph.breakLines(width)`` as ReportLab computes it, with :func:`same_frag` for ``sameFrag``."""
    if _BREAK_LINES is None:
        return Paragraph.breakLines(paragraph, width)
    return _BREAK_LINES(paragraph, width)
