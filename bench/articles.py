"""Documents for the benchmark: longer ``.article`` files made from the default one, and Typst sources.

A scaled article repeats the default article's sections ``factor`` times. The copies get fresh section ids
(``background`` → ``background-x2``) and keep their sentences, citations and provenance lines, so the
density of notes (markers per sentence, notes per page) is the same at every length. Header directives and
``@fact``/``@event``/``@glossary``/``@note`` lines stay once, with the first copy.

The Typst source is written from the loaded Article (the real reader's output), so both engines typeset the
same text with the same notes: headings, paragraphs, block quotes, one ``#footnote[...]`` per marker with
the note's text, a contents list, the references and a key-facts table, on A4.
"""

from __future__ import annotations

import re
from pathlib import Path

from kalbajar_report.citestyle import format_entry, note_labels, plain
from kalbajar_report.model import Article, BlockQuote, Citation, Section

_HEADING = re.compile(r"^(?P<hashes>#{1,3})\s+(?P<title>.+?)\s*\{#(?P<id>[^}]*)\}\s*$")
_ONCE = ("@fact:", "@event:", "@glossary:", "@note:")


def split_article(text: str) -> tuple[list[str], list[str]]:
    """The header lines (before the first heading) and the body lines of an ``.article`` text."""
    lines = text.lstrip("\ufeff").splitlines()
    first = next((i for i, line in enumerate(lines) if _HEADING.match(line)), None)
    if first is None:
        raise ValueError("the article has no heading")
    return lines[:first], lines[first:]


def scale_article(text: str, factor: int) -> str:
    """The article with its sections repeated ``factor`` times under fresh unique section ids."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    header, body = split_article(text)
    out = list(header)
    for copy in range(1, factor + 1):
        out.append("")
        for line in body:
            if copy > 1 and line.startswith(_ONCE):
                continue
            match = _HEADING.match(line)
            if match and copy > 1:
                line = f"{match['hashes']} {match['title']} {{#{match['id']}-x{copy}}}"
            out.append(line)
    return "\n".join(out) + "\n"


def write_scaled(text: str, factor: int, folder: Path) -> Path:
    """Write the scaled article into ``folder`` and return its path."""
    path = folder / f"kalbajar-x{factor}.article"
    path.write_text(scale_article(text, factor), encoding="utf-8")
    return path


# --- Typst ------------------------------------------------------------------------------------------------

_TYPST_SPECIAL = frozenset("\\#*_$@<>[]`~=-+/\"'")


def typst_text(text: str) -> str:
    """Plain text as Typst markup: every markup character escaped, line breaks made spaces."""
    return "".join("\\" + c if c in _TYPST_SPECIAL else c for c in " ".join(text.split()))


def typst_string(text: str) -> str:
    """Plain text as a Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class TypstWriter:
    """Writes the Typst peer of one briefing; every marker becomes a footnote with the note's text."""

    def __init__(self, article: Article, font: str) -> None:
        self.article = article
        self.font = font
        self.labels = note_labels(article)
        self.notes = {
            key: typst_text(plain(format_entry(article.bibliography[key]))) for key in article.cited_keys()
        }

    def footnotes(self, citations: tuple[Citation, ...]) -> str:
        return "".join(f"#footnote[{self.notes[c.key]}]" for c in citations)

    def section(self, section: Section) -> list[str]:
        out = [f"{'=' * section.level} {typst_text(section.title)} <sec-{section.id}>", ""]
        for block in section.blocks:
            body = " ".join(typst_text(s.text) + self.footnotes(s.citations) for s in block.sentences)
            if isinstance(block, BlockQuote):
                attribution = ""
                if block.attribution:
                    cites = self.footnotes(block.attribution_citations)
                    attribution = f"attribution: [{typst_text(block.attribution)}{cites}], "
                out.append(f"#quote(block: true, {attribution}quotes: false)[{body}]")
            else:
                out.append(body)
            out.append("")
        for sub in section.subsections:
            out += self.section(sub)
        return out

    def source(self) -> str:
        a = self.article
        m = a.metadata
        short = typst_string(m.short_title or m.title)
        lines = [
            f"#set document(title: {typst_string(m.title)}, author: {typst_string(m.author or 'Wikipedia')})",
            '#set page(paper: "a4", margin: (left: 25mm, right: 25mm, top: 24mm, bottom: 22mm),',
            f"  header: context {{ if here().page() > 1 {{ emph(text(8.2pt, {short})) }} }},",
            "  footer: context align(center, text(8.2pt)[Page #counter(page).display() of "
            "#counter(page).final().first()]))",
            f'#set text(font: ({typst_string(self.font)}, "Libertinus Serif"), size: 10.2pt, lang: "en", '
            'region: "GB")',
            "#set par(justify: true, leading: 0.68em, spacing: 1.25em)",
            '#set heading(numbering: "1.1")',
            '#show heading: set text(fill: rgb("#7a2e1f"))',
            "#set footnote.entry(separator: line(length: 120pt, stroke: 0.4pt))",
            "#show footnote.entry: set text(7.8pt)",
            "#show quote.where(block: true): set text(9.4pt)",
            "",
            f'#text(24pt, weight: "bold", fill: rgb("#7a2e1f"))[{typst_text(m.title)}]',
            "",
        ]
        if m.subtitle:
            lines += [f'#text(12.5pt, style: "italic")[{typst_text(m.subtitle)}]', ""]
        if a.facts:
            cells = []
            for fact in a.facts:
                cells += [f"[*{typst_text(fact.label)}*]", f"[{typst_text(fact.value)}]",
                          f"[{typst_text(a.section(fact.section_id).title)}]"]  # fmt: skip
            lines += [
                '#table(columns: (20%, 50%, 30%), stroke: none, fill: rgb("#f4efe6"),',
                "  [*Key facts*], [], [Source in this briefing],",
                "  " + ", ".join(cells) + ")",
                "",
            ]
        lines += ["#outline(title: [Contents])", ""]
        for section in a.sections:
            lines += self.section(section)
        lines += ["#heading(numbering: none)[References]", ""]
        for key in a.cited_keys():
            lines += [f"\\[{typst_text(self.labels[key])}\\] {self.notes[key]}", ""]
        return "\n".join(lines) + "\n"


def typst_source(article: Article, font: str = "Source Serif Pro") -> str:
    """The Typst peer of the briefing of ``article``."""
    return TypstWriter(article, font).source()
