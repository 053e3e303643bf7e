"""Person lists of BibTeX (``Melkonian, Markar and {Human Rights Watch}``) split into names.

Names are split as BibTeX splits them (``First von Last``, ``von Last, First``, ``von Last, Jr, First``),
by bibtexparser v2's ``split_multiple_persons_names`` and ``parse_single_name_into_parts``; a name
wholly in braces is an institution (``literal``) and ``and others`` is kept as :attr:`Name.others`.
"""

from __future__ import annotations

from typing import NamedTuple

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from .bibliography import bibtex_to_text


class Name(NamedTuple):
    """A person (given, von, family and jr parts) or an institution (``literal``), as plain text.

    ``others`` marks BibTeX's ``and others`` (printed "et al."): it has no name parts.
    """

    family: str = ""
    given: str = ""
    literal: str = ""
    von: str = ""
    jr: str = ""
    others: bool = False

    def display(self) -> str:
        """The name as it is read: ``Ludwig van Beethoven``, ``Henry Ford Jr.``, ``Human Rights Watch``."""
        if self.others:
            return "et al."
        if self.literal:
            return self.literal
        return " ".join(p for p in (self.given, self.von, self.family, self.jr) if p)

    def inverted(self) -> str:
        """The name family first, as RIS and library catalogues write it: ``van Beethoven, Ludwig``."""
        if self.others or self.literal:
            return self.display()
        family = " ".join(p for p in (self.von, self.family) if p)
        return ", ".join(p for p in (family, self.given, self.jr) if p) if self.given or self.jr else family


def _is_literal(word: str) -> bool:
    """True for ``{Human Rights Watch}``: one brace group around the whole word."""
    if not (word.startswith("{") and word.endswith("}")):
        return False
    depth = 0
    for i, ch in enumerate(word):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and i < len(word) - 1:
            return False
    return depth == 0


def split_names(value: str) -> list[Name]:
    """The BibTeX value of ``author``/``editor``/… as names, in order.

    Never raises: the reader has already rejected lists BibTeX cannot read (bibliography.names_problem).
    """
    names: list[Name] = []
    for raw in split_multiple_persons_names(" ".join(value.split())):
        if raw.strip() == "others":
            names.append(Name(others=True))
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        if not (parts.first or parts.von or parts.jr) and len(parts.last) == 1 and _is_literal(parts.last[0]):
            names.append(Name(literal=bibtex_to_text(parts.last[0][1:-1])))
            continue

        def text(words: list[str]) -> str:
            return bibtex_to_text(" ".join(words))

        name = Name(family=text(parts.last), given=text(parts.first), von=text(parts.von), jr=text(parts.jr))
        if name.family or name.given or name.von or name.jr:
            names.append(name)
    return names
