"""Every internal link of the briefing lands on the right page, next to what it names."""

from __future__ import annotations

import re
from typing import Any

import pdfplumber
import pytest

from kalbajar_report import Article, BuildResult


def text_in(
    chars: list[dict[str, Any]], x0: float, top: float, x1: float, bottom: float, bold: bool = False
) -> str:
    inside = [
        c
        for c in chars
        if (not bold or "Bold" in c["fontname"])
        and c["x0"] >= x0 - 1
        and c["x1"] <= x1 + 1
        and c["top"] >= top - 2
        and c["bottom"] <= bottom + 2
    ]
    inside.sort(key=lambda c: (round(c["top"]), c["x0"]))
    return "".join(c["text"] for c in inside).replace("\xa0", " ").strip()


@pytest.fixture(scope="module")
def links(built: BuildResult) -> list[tuple[int, str, int, str, str]]:
    """(page, link text, target page, text at the target, its bold part) for every internal link."""
    out = []
    with pdfplumber.open(built.pdf) as pdf:
        page_of = {p.page_obj.pageid: i + 1 for i, p in enumerate(pdf.pages)}
        chars = [list(p.chars) for p in pdf.pages]
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.annots:
                dest = annot["data"].get("Dest")
                if dest is None:
                    continue
                target = page_of[dest[0].objid]
                y = float(dest[3])
                top = float(page.height) - y
                label = text_in(chars[number - 1], annot["x0"], annot["top"], annot["x1"], annot["bottom"])
                landing = text_in(chars[target - 1], 0, top - 4, float(page.width), top + 40)
                labels = text_in(chars[target - 1], 0, top - 4, float(page.width), top + 12, bold=True)
                out.append((number, label, target, landing, labels))
    return out


def test_every_internal_link_lands_where_it_says(
    links: list[tuple[int, str, int, str, str]], article: Article
) -> None:
    titles = {s.title for s in article.walk()} | {
        "Contents",
        "References",
        "Glossary of names and spellings",
        "Colophon",
    }
    kinds: dict[str, int] = {}
    for page, label, target, landing, bold in links:
        if re.fullmatch(r"[0-9a-z]{1,2}", label):  # a note marker: its note at the foot of the same page
            kind = "marker"
            assert target == page, (label, page, target)
            assert bold == label, (label, bold, landing[:40])
        elif label.startswith("↓"):  # from a note to its entry in the references list
            kind = "note→reference"
            assert "BibTeX key" in landing or "Reference [" in landing, landing[:60]
        elif m := re.fullmatch(r"p\. (\d+)", label):  # from the references list back to a marker
            kind = "back"
            assert target == int(m.group(1))
        elif m := re.fullmatch(r"\[(\w+)\]", label):  # key facts → references list
            kind = "fact→reference"
            assert landing.startswith(f"[{m.group(1)}]"), landing[:40]
        else:  # contents lines and key-fact sources → the section heading
            kind = "section"
            title = next(t for t in sorted(titles, key=len, reverse=True) if t in label)
            assert title in landing, (label, target, landing[:60])
        kinds[kind] = kinds.get(kind, 0) + 1
    citations = sum(1 for _ in article.citations())
    assert kinds["marker"] == citations
    assert kinds["section"] >= len(article.section_ids)
    assert kinds["note→reference"] >= 10 and kinds["back"] >= 10 and kinds["fact→reference"] >= 1
