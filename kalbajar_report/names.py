"""Person lists of BibTeX (``Melkonian, Markar and {Human Rights Watch}``) split into names."""

from __future__ import annotations

from dataclasses import dataclass

from .bibliography import bibtex_to_text


@dataclass(frozen=True)
class Name:
    """A person (family and given names) or an institution (``literal``), as plain text."""

    family: str = ""
    given: str = ""
    literal: str = ""


def _split_top_level(value: str, separator: str) -> list[str]:
    """Split at ``separator`` where it stands outside braces (BibTeX protects names with braces)."""
    parts, depth, start, i = [], 0, 0, 0
    lowered = value.lower()
    while i < len(value):
        ch = value[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and lowered.startswith(separator, i):
            parts.append(value[start:i])
            i += len(separator)
            start = i
            continue
        i += 1
    parts.append(value[start:])
    return [p.strip() for p in parts]


def split_names(value: str) -> list[Name]:
    """The BibTeX value of ``author``/``editor`` as names; a name wholly in braces is an institution."""
    names: list[Name] = []
    for raw in (p for p in _split_top_level(" ".join(value.split()), " and ") if p):
        if raw.startswith("{") and raw.endswith("}") and _balanced_inside(raw):
            names.append(Name(literal=bibtex_to_text(raw[1:-1])))
            continue
        parts = _split_top_level(raw, ",")
        if len(parts) >= 2:
            names.append(Name(family=bibtex_to_text(parts[0]), given=bibtex_to_text(parts[-1])))
        else:
            words = raw.split()
            if len(words) == 1:
                names.append(Name(family=bibtex_to_text(words[0])))
            else:
                names.append(
                    Name(family=bibtex_to_text(words[-1]), given=bibtex_to_text(" ".join(words[:-1])))
                )
    return names


def _balanced_inside(value: str) -> bool:
    depth = 0
    for ch in value[1:-1]:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0
