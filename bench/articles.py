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
from collections.abc import Sequence
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


# --- wikitext ---------------------------------------------------------------------------------------------
# A Wikipedia-like article, made up from fixed word lists with a seeded random generator: the same
# arguments give the same text on every machine (random.Random with an integer seed; only choice, randint,
# random and sample).

_SURNAMES = (
    "Croissant|de Waal|Goltz|Melkonian|Cornell|Chorbajian|Rost|Hovannisian|Suny|Swietochowski|Altstadt|"
    "Zürcher|Kaufman|Libaridian|Cox|Eibner|Laitin|Kuzio|Walker|Hunter|Karny|Balayan|Rutland|Fuller|"
    "Bournoutian|Panossian|Broers|Kucera|Abasov|Ohanyan|Potier|Petrosyan|Mamedov|Aliyev|Shahnazaryan|Freire"
).split("|")
_FIRST = (
    "Thomas Michael Markar Svante Audrey Thomas Caroline Patrick Stuart Gerard Ronald Tadeusz Rachel "
    "Christopher Ali Eleanor Ara George Ronald Anna Laurence Kristina Yuri Arman Nina David Elizabeth Taline"
).split()
_PLACES = (
    "Kalbajar Lachin Shusha Stepanakert Agdam Fizuli Jabrayil Kubatly Zangilan Martakert Goris Vardenis "
    "Ganja Terter Barda Yerevan Baku Murov Omar Charektar Zulfugarli Istisu Karvachar Tartar Hadrut Askeran"
).split()
_NOUNS = (
    "offensive brigade column village pass valley road convoy ceasefire front ridge garrison battalion "
    "corridor district delegation refugee camp report militia artillery observer commission bridge tunnel "
    "airfield governor ministry agreement withdrawal resolution"
).split()
_ADJ = (
    "mountainous northern western heavy renewed limited provisional strategic isolated fortified civilian "
    "retreating advancing regional disputed exhausted ill-equipped reinforced"
).split()
_VERBS = (
    "captured encircled reached shelled defended abandoned crossed reported announced evacuated negotiated "
    "reinforced blocked secured condemned surveyed"
).split()
_PAPERS = (
    "The New York Times|The Times|Los Angeles Times|The Washington Post|The Independent|The Guardian|"
    "Le Monde|Associated Press|Reuters|Christian Science Monitor"
).split("|")
_JOURNALS = (
    "Central Asian Survey|Europe-Asia Studies|Nationalities Papers|Caucasus Survey|Journal of Peace Research|"
    "Security Dialogue|Slavic Review"
).split("|")
_PUBLISHERS = (
    "New York University Press|Praeger|Routledge|Oxford University Press|Columbia University Press|"
    "I.B. Tauris|Hurst|Cambridge University Press"
).split("|")
_MONTHS_EN = "January February March April May June July August September October November December".split()
_UNITS_USED = ("km", "km2", "m", "mi")
_EXTRAS = ("list", "quote", "table", "list")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _template(name: str, *params: str, sep: str = " |") -> str:
    return "{{" + sep.join((name, *params)) + "}}"


class _WikiWriter:
    """Writes the article, counting the reference markers so they keep pace with the bytes."""

    def __init__(self, seed: int, target_bytes: int, target_refs: int) -> None:
        import random

        self.rng = random.Random(seed)
        self.target_bytes = target_bytes
        self.target_refs = target_refs
        self.body_bytes = target_bytes  # where the running text ends (set by write(): before the tail)
        self.out: list[str] = []
        self.size = 0  # bytes of UTF-8 written so far
        self.refs = 0  # reference markers: <ref>…</ref>, <ref name=…/>, {{sfn}} (not {{efn}})
        self.named: list[str] = []  # names of refs with content, reusable as <ref name=x/>
        self.efns = 0
        works = [(self.c(_SURNAMES), self.c(_FIRST), str(self.n(1985, 2015))) for _ in range(40)]
        self.sources = list({(w[0], w[2]): w for w in works}.values())  # the works {{sfn}} points at

    # --- output
    def emit(self, text: str) -> None:
        self.out.append(text)
        self.size += len(text.encode("utf-8"))

    # --- words
    def c(self, seq: Sequence[str]) -> str:
        return self.rng.choice(seq)

    def n(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def date(self) -> str:
        return f"{self.n(1, 28)} {self.c(_MONTHS_EN)} {self.n(1988, 1994)}"

    def place(self) -> str:
        p = self.c(_PLACES)
        r = self.rng.random()
        if r < 0.25:
            return f"[[{p} District|{p}]]"
        if r < 0.5:
            return f"[[{p}]]"
        return p

    def sentence(self) -> str:
        r, c, n, place = self.rng.random(), self.c, self.n, self.place
        if r < 0.15:
            s = (
                f"In {c(_MONTHS_EN)} {n(1988, 1994)}, the {c(_ADJ)} {c(_NOUNS)} near {place()} "
                f"{c(_VERBS)} the {c(_NOUNS)} of {place()}"
            )
        elif r < 0.30:
            convert = _template("convert", str(n(2, 1900)), c(_UNITS_USED), sep="|")
            s = f"The {c(_NOUNS)} covered {convert} of {c(_ADJ)} terrain between {place()} and {place()}"
        elif r < 0.45:
            s = (
                f"According to '''{c(_FIRST)} {c(_SURNAMES)}''', the {c(_ADJ)} {c(_NOUNS)} had "
                f"{c(_VERBS)} ''the {c(_NOUNS)}'' before {self.date()}"
            )
        elif r < 0.60:
            s = (
                f"Some {n(2, 60) * 100} men of the {_ordinal(n(1, 900))} {c(_NOUNS)} {c(_VERBS)} the "
                f"{c(_ADJ)} {c(_NOUNS)} on the road to {place()}, while the {c(_NOUNS)} {c(_VERBS)} the "
                f"{c(_ADJ)} {c(_NOUNS)}"
            )
        elif r < 0.75:
            s = (
                f"''{c(_PAPERS)}'' wrote that the {c(_NOUNS)} of [[{c(_PLACES)}]] was {c(_ADJ)} and that "
                f"the {c(_NOUNS)} had been {c(_VERBS)} by the {c(_ADJ)} {c(_NOUNS)}"
            )
        else:
            s = (
                f"After the {c(_NOUNS)} was {c(_VERBS)}, the {c(_ADJ)} {c(_NOUNS)} of {place()} and the "
                f"{c(_NOUNS)} at {place()} were {c(_VERBS)} within {n(2, 14)} days"
            )
        return s + "."

    # --- citations
    def cite_book(self) -> str:
        c, n = self.c, self.n
        return _template(
            "cite book",
            f"last={c(_SURNAMES)}",
            f"first={c(_FIRST)}",
            f"title=The {c(_ADJ).title()} {c(_NOUNS).title()}: {c(_PLACES)} and {c(_PLACES)}",
            f"publisher={c(_PUBLISHERS)}",
            "location=London",
            f"year={n(1990, 2020)}",
            f"isbn=978-0-{n(100, 999)}-{n(10000, 99999)}-{n(0, 9)}",
            f"page={n(3, 400)}",
        )

    def cite_news(self) -> str:
        c, n = self.c, self.n
        return _template(
            "cite news",
            f"last={c(_SURNAMES)}",
            f"first={c(_FIRST)}",
            f"title={c(_ADJ).title()} {c(_NOUNS)} {c(_VERBS)} near {c(_PLACES)}",
            f"work={c(_PAPERS)}",
            f"date={self.date()}",
            f"url=https://news.example.org/{n(1, 10**6)}",
            "access-date=2 May 2020",
        )

    def cite_journal(self) -> str:
        c, n = self.c, self.n
        start = n(1, 300)
        return _template(
            "cite journal",
            f"last1={c(_SURNAMES)}",
            f"first1={c(_FIRST)}",
            f"last2={c(_SURNAMES)}",
            f"first2={c(_FIRST)}",
            f"title=The {c(_NOUNS)} of {c(_PLACES)}",
            f"journal={c(_JOURNALS)}",
            f"volume={n(1, 40)}",
            f"issue={n(1, 4)}",
            f"pages={start}–{start + n(5, 30)}",
            f"year={n(1990, 2020)}",
            f"doi=10.{n(1000, 9999)}/x.{n(1, 10**5)}",
        )

    def citation(self) -> str:
        """One reference marker: a full citation in a <ref> (sometimes named), a reused named ref, or
        an {{sfn}} into the Sources list."""
        self.refs += 1
        r = self.rng.random()
        if r < 0.15 and self.named:
            return f'<ref name="{self.c(self.named)}" />'
        if r < 0.40:
            last, _, year = self.rng.choice(self.sources)
            return _template("sfn", last, year, f"p={self.n(1, 350)}", sep="|")
        body = self.rng.choice((self.cite_book, self.cite_news, self.cite_news, self.cite_journal))()
        if self.rng.random() < 0.3:
            name = f"r{len(self.named) + 1}"
            self.named.append(name)
            return f'<ref name="{name}">{body}</ref>'
        return f"<ref>{body}</ref>"

    def due(self, planned: int) -> bool:
        """Whether a reference is due: references keep pace with bytes towards both targets."""
        return self.refs < self.target_refs * min(1.0, (self.size + planned) / self.body_bytes)

    def paragraph_text(self, sentences: int) -> str:
        parts: list[str] = []
        for _ in range(sentences):
            parts.append(self.sentence())
            if self.due(len(" ".join(parts))):
                parts[-1] += self.citation()
            elif self.efns < 12 and self.rng.random() < 0.02:
                self.efns += 1
                note = f"The figure given by {self.c(_SURNAMES)} differs from {self.place()}’s own."
                parts[-1] += _template("efn", note, sep="|")
        return " ".join(parts)

    # --- blocks
    def paragraph(self) -> None:
        self.emit(self.paragraph_text(self.n(3, 7)) + "\n\n")

    def bullet_list(self) -> None:
        items = [f"* {self.paragraph_text(1)}" for _ in range(self.n(3, 6))]
        self.emit("\n".join(items) + "\n\n")

    def quote(self) -> None:
        text = f"text={self.sentence()} {self.sentence()}"
        who = f"author={self.c(_FIRST)} {self.c(_SURNAMES)}"
        self.emit(_template("quote", text, who, f"title=Interview, {self.date()}", sep="|") + "\n\n")

    def table(self) -> None:
        places = self.rng.sample(_PLACES, 5)
        rows = "\n".join(f"|-\n| {p} || {self.n(100, 60000)} || {self.n(1, 99)}%" for p in places)
        head = '{| class="wikitable"\n|+ Population by village\n! Village !! People !! Share\n'
        self.emit(f"{head}{rows}\n|}}\n\n")

    def write(self) -> str:
        first_book = self.cite_book()
        self.emit(
            "{{Short description|Battle of the First Test War}}\n{{Use dmy dates|date=May 2020}}\n"
            "{{Infobox military conflict\n| conflict = Battle of Testville\n"
            "| partof = the [[First Test War]]\n"
            "| image = [[File:Testville.jpg|300px]]\n| caption = The valley in 1993\n"
            f'| date = 27 March – 3 April 1993<ref name="infobox">{first_book}</ref>\n'
            "| place = [[Testville District|Testville]], Testland\n"
            "| result = Testland victory{{efn|Disputed by [[Other side|the other side]].}}\n"
            "| combatant1 = {{flag|Testland}}\n| combatant2 = {{flag|Otherland}}\n"
            '| strength1 = 2,000<ref name="infobox"/>\n| strength2 = 1,500\n}}\n'
        )
        self.refs += 2
        self.named.append("infobox")
        self.efns += 1
        lead = "The '''Battle of Testville''' was fought in the [[First Test War]]. "
        self.emit(lead + self.paragraph_text(5) + "\n\n")
        self.paragraph()
        tail = self.tail()
        self.body_bytes = self.target_bytes - len(tail.encode("utf-8")) - 1500
        section = 0
        while self.size < self.body_bytes:
            section += 1
            self.emit(f"== {self.c(_ADJ).title()} {self.c(_NOUNS)} of {self.c(_PLACES)} ({section}) ==\n")
            if section % 4 == 1:
                self.emit(_template("Main", f"History of {self.c(_PLACES)}", sep="|") + "\n")
            self.paragraph()
            for sub in range(self.n(1, 3)):
                if self.size >= self.body_bytes:
                    break
                self.emit(f"=== {self.c(_ADJ).title()} {self.c(_NOUNS)} {section}.{sub + 1} ===\n")
                for _ in range(self.n(2, 4)):
                    self.paragraph()
                extra = _EXTRAS[(section + sub) % len(_EXTRAS)] if self.rng.random() < 0.35 else ""
                if extra == "list":
                    self.bullet_list()
                elif extra == "quote":
                    self.quote()
                elif extra == "table" and section % 5 == 0:
                    self.table()
        self.emit(tail)
        return "".join(self.out)

    def tail(self) -> str:
        sources = "\n".join(
            "* "
            + _template(
                "cite book",
                f"last={last}",
                f"first={first}",
                f"title={self.c(_ADJ).title()} {self.c(_NOUNS).title()}s of the Caucasus",
                f"publisher={self.c(_PUBLISHERS)}",
                "location=New York",
                f"year={year}",
                f"isbn=978-1-{i:03d}-55555-0",
            )
            for i, (last, first, year) in enumerate(self.sources)
        )
        return (
            "== Notes ==\n{{notelist}}\n\n== References ==\n{{reflist}}\n\n=== Sources ===\n{{refbegin}}\n"
            f"{sources}\n{{{{refend}}}}\n\n"
            "{{Navbox\n| name = First Test War\n| title = [[First Test War]]\n"
            "| list1 = [[Battle of Testville]] · [[Battle of Otherville]] · [[Siege of Thirdtown]]\n}}\n"
            "{{Campaignbox First Test War}}\n{{Authority control}}\n[[Category:1993 battles]]\n"
            "[[Category:Battles of the First Test War]]\n[[Category:Conflicts in 1993]]\n"
            "[[fr:Bataille de Testville]]\n"
        )


def wikitext_article(size_bytes: int = 300_000, refs: int = 700, seed: int = 11) -> str:
    """A Wikipedia-like wikitext article of about ``size_bytes`` bytes (UTF-8) with about ``refs`` reference
    markers (``<ref>``, ``<ref name=x/>`` and ``{{sfn}}``; ``{{efn}}`` not counted), the same for the same
    arguments. It has an infobox citing a book, a lead, sections with subsections, paragraphs with bold,
    italic, internal links and ``{{convert}}``, ``{{cite book|news|journal}}`` refs, named refs reused,
    ``{{sfn}}`` into a Sources list of ``{{cite book}}``, a few ``{{efn}}``, lists, ``{{quote}}``, tables,
    ``{{Main}}`` hatnotes, a navbox, categories and an interwiki link."""
    return _WikiWriter(seed, size_bytes, refs).write()


def count_markers(wikitext: str) -> int:
    """Reference markers in wikitext: ``<ref …>`` openings (with content or self-closed) and ``{{sfn``."""
    return len(re.findall(r"<ref[\s>]", wikitext)) + wikitext.count("{{sfn|")


def write_wikitext(folder: Path, size_bytes: int = 300_000, refs: int = 700, seed: int = 11) -> Path:
    """Write :func:`wikitext_article` into ``folder`` (a ``.wiki`` file: ``load_article`` reads it as
    MediaWiki) and return its path."""
    path = folder / f"Battle_of_Testville_{size_bytes // 1000}k.wiki"
    path.write_text(wikitext_article(size_bytes, refs, seed), encoding="utf-8")
    return path


# --- the same text as an .article ----------------------------------------------------------------------
_LINE_START = ("#", "@", "~", ">", "%", "\\")


def _sentence_line(text: str, markers: str) -> str:
    text = " ".join(text.split())  # tabs and other control characters are errors in an .article
    return ("\\" + text if text.startswith(_LINE_START) else text) + markers


def article_twin(wiki: Article) -> tuple[str, str]:
    """An ``.article`` and its ``.bib`` holding what the loaded wikitext ``wiki`` holds: "the same length".

    Same: every sentence's text (so the same characters of body text), the sections and their levels, block
    quotations with their attributions, and every note marker in the same place, each distinct note of the
    wikitext (a ``<ref>``, a reused named ref, an ``{{sfn}}`` page) one numbered ``[N]`` marker with the
    same number, resolved through a BibTeX entry with ``marker = {N}`` holding the work's fields and the
    locator as ``pages``; an ``{{efn}}`` a ``[@note-x]`` citation of a ``@misc`` entry holding the note's
    text (it prints the same letter). So the footnotes are as many and say as much.
    Different, as the ``.article`` format has no such things: no bold, italic or links; a list item is a
    paragraph of its own; an explanatory note's own citations are left out; the references list has one
    entry per numbered note instead of one per work (it is longer); the infobox facts point at the lead's
    first sentence. :func:`twin_stats` counts both sides.
    """
    from kalbajar_report.bibtex import write_bibtex
    from kalbajar_report.model import Bibliography, Entry, ListBlock
    from kalbajar_report.notes import NoteTable

    table = NoteTable.of(wiki)
    works = {e.key: e for e in wiki.bibliography.entries}
    explanatory = {n.key: n for n in wiki.explanatory}
    entries: dict[str, Entry] = {}

    def marker(cite: Citation) -> str:
        note = table.note(cite)
        if note.kind == "note":
            key = f"note-{note.label}"
            if key not in entries:
                text = " ".join(s.text for s in explanatory[note.key].sentences)
                title = (("title", text.replace("{", "(").replace("}", ")")),)
                entries[key] = Entry(key, "misc", title, title)
            return f"[@{key}]"
        if not note.label.isdigit():
            raise ValueError(f"a numbered note labelled {note.label!r}")
        key = f"ref{note.label}"
        if key not in entries:
            work = works[note.key]
            fields: list[tuple[str, str]] = [
                (k, v) for k, v in work.fields if not (note.locator and k == "pages")
            ]
            if note.locator:
                fields.append(("pages", re.sub(r"^(?:pp?\.|at)\s*", "", note.locator)))
            fields.append(("marker", note.label))
            entries[key] = Entry(key, work.entry_type, tuple(fields), tuple(fields))
        return f"[{note.label}]"

    def markers(cites: tuple[Citation, ...]) -> str:
        return "".join(marker(c) for c in cites)

    body: list[str] = []
    first_sentence = next(iter(wiki.sentences()))
    for section in wiki.walk():
        body += [f"{'#' * section.level} {section.title} {{#{section.id}}}", ""]
        for block in section.blocks:
            if isinstance(block, BlockQuote):
                body += [f"> {_sentence_line(s.text, markers(s.citations))}" for s in block.sentences]
                if block.attribution:
                    body.append(
                        f">> {_sentence_line(block.attribution, markers(block.attribution_citations))}"
                    )
                body.append("")
            elif isinstance(block, ListBlock):
                for item in block.items:
                    body += [_sentence_line(s.text, markers(s.citations)) for s in item.sentences]
                    body.append("")
            else:
                body += [_sentence_line(s.text, markers(s.citations)) for s in block.sentences]
                body.append("")
    phrase = " ".join(first_sentence.text.split()[:4]).replace('"', "")
    header = [
        f"%% The .article twin of {wiki.source} (bench/articles.py: article_twin)",
        f"@title: {wiki.metadata.title}",
        "@language: en",
        *(
            f'@fact: {f.label} | {f.value} | {wiki.sections[0].id} | "{phrase}"'
            for f in wiki.facts
            if "|" not in f.label + f.value
        ),
        "",
    ]
    bib = write_bibtex(Bibliography(tuple(entries.values()), "twin.bib"))
    return "\n".join(header + body) + "\n", bib


def twin_stats(article: Article) -> dict[str, int]:
    """What "the same length" compares: characters of body text, markers, distinct notes, entries."""
    from kalbajar_report.notes import NoteTable

    return {
        "body_chars": sum(len(s.text) for s in article.sentences()),
        "sentences": sum(1 for _ in article.sentences()),
        "markers": sum(1 for _ in article.citations()),
        "notes": len(NoteTable.of(article).notes),
        "entries": len(article.bibliography.entries),
        "sections": sum(1 for _ in article.walk()),
    }


def write_twin(wiki: Article, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write :func:`article_twin` of ``wiki`` into ``folder``; return the ``.article`` and ``.bib`` paths."""
    text, bib = article_twin(wiki)
    article_path, bib_path = folder / f"{stem}.article", folder / f"{stem}.bib"
    article_path.write_text(text, encoding="utf-8")
    bib_path.write_text(bib, encoding="utf-8")
    return article_path, bib_path
