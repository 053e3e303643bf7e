"""The MediaWiki reader: wikitext (or a Special:Export file) in, the same model out, every output read back.

The wikitext here is written to exercise every construct the reader knows, as featured articles use them:
an infobox citing a book, named refs reused, {{sfn}} into a list of sources, {{rp}}, {{efn}} and grouped
notes, citation templates of every family, quotations, lists, inline templates, and page furniture that
must be left out and counted.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
from conftest import OFFICE_SUFFIXES, zipped_text
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from test_exports import parse_ris

from kalbajar_report import load_article, note_map
from kalbajar_report.cli import main
from kalbajar_report.errors import ContentError
from kalbajar_report.mediawiki import load_wikitext
from kalbajar_report.model import Article, BlockQuote, ListBlock, Paragraph

PAGE = """\
{{Short description|Battle of a test war}}
{{Use dmy dates|date=May 2020}}
{{Infobox military conflict
| conflict = Battle of Testville
| partof = the [[First Test War]]
| image = [[File:Testville.jpg|300px]]
| caption = The valley in 1993
| date = 27 March – 3 April 1993<ref name="dewaal">{{cite book |last=de Waal |first=Thomas \
|title=Black Garden: \
Armenia and Azerbaijan Through Peace and War |publisher=New York University Press |location=New York \
|year=2003 |isbn=0-8147-1945-7 |page=212}}</ref>
| place = [[Testville District|Testville]], Testland
| result = Testland victory{{efn|Disputed by [[Other side|the other side]].}}
}}
The '''Battle of Testville''' was fought in March and April 1993.<ref name="dewaal"/> It covered \
{{convert|1900|km2}} of ground,{{sfn|Croissant|1998|p=87}} and ''[[Le Monde]]'' reported it.<ref>{{cite news \
|last=Smith |first=John |title=Offensive in the mountains |work=The Times |date=4 April 1993 \
|url=https://example.org/times/1993 |access-date=2 May 2020}}</ref>

== Background ==
By {{circa|1991}} the region{{snd}}a [[rayon]]{{snd}}was contested.<ref>Interview with a veteran, \
Testville, 1994.</ref>{{rp|12}} {{As of|2020|5}} it is quiet.<!-- hidden remark -->
{{Main|History of Testville}}
* First point<ref name="dewaal"/>
** Nested point with {{lang|fr|une phrase}}
* Second point with [https://example.org/x a link] and {{nowrap|1 000 men}}
# Numbered one{{sfn|Croissant|1998|p=87}}
# Numbered two, {{frac|1|2}} of them{{citation needed|date=May 2020}}

=== Forces ===
{{quote|text=We will hold the line.|author=General Test|title=Interview}}
<blockquote>An older saying, quoted.</blockquote>
{| class="wikitable"
| a || b
|}
Tanks moved in.<ref group="note">A note of the ''note'' group.</ref> Journals wrote of it.<ref>\
{{cite journal |last1=Doe |first1=Jane |last2=Roe |first2=Richard |title=Mountain warfare \
|journal=Journal of Tests |volume=12 |issue=3 |pages=45–67 |year=1995 |doi=10.1234/jt.1995.45}}</ref> \
A website said so.<ref>{{cite web |title=Testville in 1993 |website=Test Archive \
|url=https://example.org/archive |access-date=1 June 2021}}</ref>

== Aftermath ==
The war ended.{{refn|group=note|A second explanatory note citing a book.<ref name="dewaal"/>}}

== Notes ==
{{notelist}}
{{reflist|group=note}}

== References ==
{{reflist}}

=== Sources ===
* {{cite book |last=Croissant |first=Michael P. |title=The Armenia-Azerbaijan Conflict: Causes and \
Implications |publisher=Praeger |location=London |year=1998 |isbn=0-275-96241-5}}

{{Campaignbox Test War}}
{{Authority control}}
[[Category:1993 battles]]
[[fr:Bataille de Testville]]
"""

LEAKS = ("{{", "}}", "[[", "]]", "''", "<ref", "</ref", "|page=", "|title=", "cite book", "cite news")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wiki") / "Battle_of_Testville.wiki"
    path.write_text(PAGE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wiki(page: Path) -> Article:
    return load_article(page)


@pytest.fixture(scope="module")
def outputs(page: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    result = subprocess.run(
        [sys.executable, "-m", "kalbajar_report", "--content", str(page), "-o", str(out), "--format", "all"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"SOURCE_DATE_EPOCH": "1700000000", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def texts(article: Article) -> list[str]:
    return [s.text for s in article.sentences()]


# --- text ----------------------------------------------------------------------------------------------
def test_sections_follow_the_headings(wiki: Article) -> None:
    assert [(s.id, s.title, s.level) for s in wiki.walk()] == [
        ("overview", "Overview", 1),
        ("background", "Background", 1),
        ("forces", "Forces", 2),
        ("aftermath", "Aftermath", 1),
    ]
    assert wiki.metadata.title == "Battle of Testville"
    assert wiki.metadata.slug == "battle-of-testville"


def test_running_text_is_read_as_a_reader_reads_it(wiki: Article) -> None:
    joined = " ".join(texts(wiki))
    assert "The Battle of Testville was fought in March and April 1993." in joined
    assert "It covered 1,900 km² (734 sq mi) of ground," in joined
    assert "By c. 1991 the region – a rayon – was contested." in joined
    assert "As of May 2020 it is quiet." in joined
    assert "Nested point with une phrase" in joined
    assert "1 000 men" in joined and "1⁄2 of them" in joined
    for leak in LEAKS:
        assert leak not in joined, leak


def test_bold_italic_and_links_are_spans(wiki: Article) -> None:
    first = next(wiki.sentences())
    assert [(first.text[sp.start : sp.end], sp.style) for sp in first.spans] == [
        ("Battle of Testville", "bold")
    ]
    monde = next(s for s in wiki.sentences() if "Le Monde" in s.text)
    assert ("Le Monde", "italic") in [(monde.text[sp.start : sp.end], sp.style) for sp in monde.spans]
    link = next(s for s in wiki.sentences() if "a link" in s.text)
    assert [(link.text[sp.start : sp.end], sp.url) for sp in link.spans if sp.style == "link"] == [
        ("a link", "https://example.org/x")
    ]


def test_lists_and_quotations(wiki: Article) -> None:
    background = wiki.section("background")
    lists = [b for b in background.blocks if isinstance(b, ListBlock)]
    assert [(b.ordered, [(i.depth, i.text) for i in b.items]) for b in lists] == [
        (
            False,
            [
                (1, "First point"),
                (2, "Nested point with une phrase"),
                (1, "Second point with a link and 1 000 men"),
            ],
        ),
        (True, [(1, "Numbered one"), (1, "Numbered two, 1⁄2 of them")]),
    ]
    quotes = [b for b in wiki.section("forces").blocks if isinstance(b, BlockQuote)]
    assert [(q.text, q.attribution) for q in quotes] == [
        ("We will hold the line.", "General Test, Interview"),
        ("An older saying, quoted.", None),
    ]


def test_a_marker_inside_a_sentence_joins_the_pieces(wiki: Article) -> None:
    pieces = [s for s in wiki.section("overview").sentences()]
    assert [p.text for p in pieces[1:3]] == [
        "It covered 1,900 km² (734 sq mi) of ground,",
        "and Le Monde reported it.",
    ]
    assert not pieces[2].joined  # a space stood after the marker
    paragraph = wiki.section("overview").blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text.startswith("The Battle of Testville was fought in March and April 1993. It covered")


# --- citations -----------------------------------------------------------------------------------------
def test_refs_are_numbered_as_wikipedia_numbers_them(wiki: Article) -> None:
    numbers = note_map(wiki)
    # the infobox's ref comes first; a named ref keeps its number; one {{sfn}} place is one note
    assert numbers["1"] == "de-waal-2003-black"
    assert numbers["2"] == numbers["2"]  # the sfn, resolved to the work its anchor names
    assert (
        wiki.bibliography[numbers["2"]]
        .text(
            "title",
        )
        .startswith("The Armenia-Azerbaijan Conflict")
    )
    assert wiki.bibliography[numbers["3"]].text("title") == "Offensive in the mountains"
    labels = [c.label for c in wiki.citations() if c.kind == "numbered" and c.key == numbers["1"]]
    assert set(labels) == {"1"}  # the reused name, everywhere
    sfn = [c for c in wiki.citations() if c.key == numbers["2"]]
    assert {(c.label, c.locator) for c in sfn} == {("2", "p. 87")}


def test_locators_from_page_rp_and_sfn(wiki: Article) -> None:
    first = next(wiki.sentences())
    assert [(c.label, c.locator) for c in first.citations] == [("1", "p. 212")]  # |page= of the cite book
    veteran = next(s for s in wiki.sentences() if s.text.startswith("By c. 1991"))
    assert [c.locator for c in veteran.citations] == ["p. 12"]  # {{rp|12}}


def test_explanatory_notes_have_their_own_labels(wiki: Article) -> None:
    notes = {n.label: n for n in wiki.explanatory}
    assert notes["a"].text == "Disputed by the other side."  # {{efn}}: lower-alpha
    assert notes["note 1"].text == "A note of the note group."
    assert notes["note 2"].text == "A second explanatory note citing a book."
    assert [c.key for s in notes["note 2"].sentences for c in s.citations] == ["de-waal-2003-black"]
    war = next(s for s in wiki.sentences() if s.text == "The war ended.")
    assert [(c.kind, c.label) for c in war.citations] == [("note", "note 2")]


def test_every_citation_template_is_an_entry_with_its_fields(wiki: Article) -> None:
    bib = wiki.bibliography
    book = bib["de-waal-2003-black"]
    assert (book.entry_type, book.text("author"), book.text("publisher"), book.text("isbn")) == (
        "book",
        "de Waal, Thomas",
        "New York University Press",
        "0-8147-1945-7",
    )
    assert book.field("pages") is None  # |page= was the citation's locator, not the book's
    journal = next(e for e in bib.entries if e.text("title") == "Mountain warfare")
    assert journal.entry_type == "article"
    assert (journal.text("journal"), journal.text("volume"), journal.text("number")) == (
        "Journal of Tests",
        "12",
        "3",
    )
    assert journal.text("pages") == "45–67" and journal.field("doi") == "10.1234/jt.1995.45"
    assert journal.text("author") == "Doe, Jane and Roe, Richard"
    web = next(e for e in bib.entries if e.text("title") == "Testville in 1993")
    assert web.field("urldate") == "2021-06-01" and web.field("url") == "https://example.org/archive"
    free = next(e for e in bib.entries if (e.text("note") or "").startswith("Interview with a veteran"))
    assert free.entry_type == "misc"
    keys = [e.key for e in bib.entries]
    assert len(keys) == len(set(keys)) == 6  # identical works cited twice are one entry


def test_the_infobox_becomes_key_facts_cited_where_it_cites(wiki: Article) -> None:
    facts = {f.label: f for f in wiki.facts}
    assert set(facts) == {"Conflict", "Date", "Place", "Result"}  # image, caption, partof left out
    assert facts["Date"].value == "27 March – 3 April 1993"
    assert [c.label for c in facts["Date"].sentence.citations] == ["1"]
    assert facts["Place"].value == "Testville, Testland"


def test_what_is_left_out_is_counted_and_named(wiki: Article) -> None:
    omitted = {kind: (count, names) for kind, count, names in wiki.omitted}
    assert omitted["tables"][0] == 1
    assert omitted["categories"][0] == 1 and omitted["interwiki links"][0] == 1
    assert omitted["hatnotes"] == (1, ("Main",))
    assert omitted["maintenance templates"] == (1, ("citation needed",))
    assert omitted["navigation boxes"] == (1, ("Campaignbox Test War",))
    assert omitted["comments"][0] == 1
    assert "images" not in omitted or omitted["images"][0] >= 1
    assert any(n.startswith("Left out of the text:") for n in wiki.metadata.notes)


# --- outputs -------------------------------------------------------------------------------------------
def test_no_wikitext_in_any_output(outputs: tuple[Path, str]) -> None:
    out, stdout = outputs
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".pdf", ".bib", ".md", ".tex", ".html", ".json", ".ris"}
    for path in files:
        if path.suffix == ".pdf":
            text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        elif path.name.endswith("schema.json"):
            continue
        elif path.suffix in OFFICE_SUFFIXES:
            text = zipped_text(path)
        else:
            text = path.read_text(encoding="utf-8")
        body = text
        if path.suffix == ".bib":  # BibTeX's own braces are syntax; the values must hold no wikitext
            body = " ".join(v for e in bibtexparser.parse_string(text).entries for v in e.fields_dict)
        for leak in ("[[", "]]", "''", "<ref", "|page=", "|title=", "{{cite", "{{sfn", "{{efn"):
            if path.suffix == ".md" and leak == "]]":
                body = body.replace("]]", "] ]")  # Markdown's own: a citation closing an inline note
            assert leak not in body, (path.name, leak)
        if path.suffix in (".pdf", ".html", ".md", ".ris", ".json"):
            assert "{{" not in body.replace("{{ ", "") or path.suffix == ".md", path.name
    summary = [line for line in stdout.splitlines() if line.startswith("left out of the text:")]
    assert len(summary) == 1 and "1 table" in summary[0] and "{{Campaignbox Test War}}" in summary[0]


def test_the_pdf_sets_every_note_on_its_page(outputs: tuple[Path, str], wiki: Article) -> None:
    out, _ = outputs
    reader = PdfReader(out / "battle-of-testville-briefing.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "ISBN 0-8147-1945-7. (p. 212)" in text  # the locator in the note
    assert "Disputed by the other side." in text  # an explanatory note (of the infobox: in the panel)
    assert "Left out of the text:" in text  # the colophon lists it
    assert "Wikipedia" not in text  # a .wiki file says nothing of where it came from


def test_the_bib_reads_back_in_bibtexparser_pybtex_and_our_reader(
    outputs: tuple[Path, str], wiki: Article
) -> None:
    from pybtex.database import parse_file

    from kalbajar_report import load_bibliography

    out, _ = outputs
    bib = out / "battle-of-testville.bib"
    library = bibtexparser.parse_file(str(bib))
    assert not library.failed_blocks
    assert {e.key for e in library.entries} == {e.key for e in wiki.bibliography.entries}
    assert set(parse_file(str(bib), bib_format="bibtex").entries) == {
        e.key for e in wiki.bibliography.entries
    }
    assert [e.key for e in load_bibliography(bib).entries] == [e.key for e in wiki.bibliography.entries]


def test_csl_and_ris_read_back(outputs: tuple[Path, str], wiki: Article) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    out, _ = outputs
    items = json.loads((out / "battle-of-testville.csl.json").read_text(encoding="utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = " ".join(str(b) for b in bibliography.bibliography())
    assert "Black Garden" in rendered and "Mountain warfare" in rendered
    records = parse_ris((out / "battle-of-testville.ris").read_text(encoding="utf-8"))
    assert [dict(r)["ID"] for r in records] == [e.key for e in wiki.bibliography.entries]


def test_json_carries_the_note_table(outputs: tuple[Path, str]) -> None:
    out, _ = outputs
    data = json.loads((out / "battle-of-testville.json").read_text(encoding="utf-8"))
    numbered = {n["label"]: n["key"] for n in data["notes"] if n["kind"] == "numbered"}
    assert numbered["1"] == "de-waal-2003-black"
    assert {"kind": "tables", "count": 1, "names": []} in data["omitted"]
    assert [n["label"] for n in data["explanatory_notes"]] == ["a", "note 1", "note 2"]


def test_markdown_and_latex_carry_locators_and_notes(outputs: tuple[Path, str]) -> None:
    out, _ = outputs
    md = (out / "battle-of-testville.md").read_text(encoding="utf-8")
    assert "[@de-waal-2003-black, p. 212]" in md
    assert "^[A note of the note group.]" in md.replace("\\", "").replace("*note*", "note")
    assert "The **Battle of Testville** was fought" in md  # the spaces around a styled piece are kept
    tex = (out / "battle-of-testville.tex").read_text(encoding="utf-8")
    assert r"The \textbf{Battle of Testville} was fought" in tex
    assert r"\emph{Black Garden: Armenia and Azerbaijan Through Peace and War}" in tex and "(p. 212)}" in tex
    fragments = "".join(p.read_text(encoding="utf-8") for p in (out / "sections").glob("*.tex"))
    assert r"\footcite[p. 212]{de-waal-2003-black}" in fragments  # biblatex's, for \input
    assert r"\footnote{" in tex and r"\begin{enumerate}" in tex and r"\begin{itemize}" in tex


# --- Special:Export, source and licence ----------------------------------------------------------------
EXPORT = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <base>https://en.wikipedia.org/wiki/Main_Page</base>
  </siteinfo>
  <page>
    <title>Battle of Testville</title>
    <revision>
      <id>1</id>
      <text bytes="99" xml:space="preserve">Text of the page.&lt;ref&gt;{{{{cite web |title=A page |url=https://example.org/p}}}}&lt;/ref&gt;
{BROKEN}
</text>
    </revision>
  </page>
</mediawiki>
"""


def test_a_special_export_file_names_its_wiki_and_licence(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(EXPORT.format(BROKEN="Second line."), encoding="utf-8")
    article = load_article(path)
    assert article.metadata.title == "Battle of Testville"
    assert article.metadata.source_url == "https://en.wikipedia.org/wiki/Battle_of_Testville"
    assert article.metadata.licence_name == "CC BY-SA 4.0"
    assert "Wikipedia’s contributors" in article.metadata.attribution
    assert texts(article) == ["Text of the page.", "Second line."]


def test_errors_in_an_export_file_name_the_files_line(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(EXPORT.format(BROKEN="{{Unknown template here}}"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_article(path, strict=True)
    assert info.value.line == 11 and "Unknown template here" in info.value.message


def test_a_wikipedia_source_url_brings_the_attribution(page: Path) -> None:
    article = load_article(page, source_url="https://en.wikipedia.org/wiki/Battle_of_Testville")
    assert (
        article.metadata.licence_name == "CC BY-SA 4.0"
        and article.metadata.author == "Wikipedia contributors"
    )
    other = load_article(page, source_url="https://wiki.example.org/wiki/Battle_of_Testville")
    assert other.metadata.licence_name == "" and "Wikipedia" not in other.metadata.attribution


# --- malformed wikitext --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Text {{cite book |title=Unclosed and the rest of the line\nNext line.",
        "Text <ref>an unclosed ref\nNext line.",
        "Text.<ref name=nowhere/> Next line.",
        "Text.<ref></ref> Next line.",
        "Text ]] stray [[ brackets }} and braces.",
        "| leftover = infobox line\nNext line.",
        "{{Infobox thing\n| name = X\n",
        "Text <ref name=a>{{cite web}}</ref> and {{sfn}} and {{rp}}.",
        "'''''Bold italic''' only italic'' end.",
        "== Heading ==\n=== Deeper ===\n==== Deeper still ====\nText.",
        "<ref>Only a ref</ref>",
        "{{efn}} {{refn|}} {{quote}} {{convert}} {{lang}} {{frac}} {{as of}}",
        "[[File:x.jpg|thumb|A caption with [[a link]]]] After.",
        "{{" * 50 + "deep" + "}}" * 50,
    ],
)
def test_malformed_wikitext_never_fails_and_never_leaks(text: str, tmp_path: Path) -> None:
    try:
        article = load_wikitext(text, str(tmp_path / "bad.wiki"))
    except ContentError as exc:  # a clean one-line error is allowed, a traceback is not
        assert "\n" not in str(exc)
        return
    for sentence in article.sentences():
        for leak in LEAKS:
            assert leak not in sentence.text, (leak, sentence.text)


def test_strict_names_the_line_of_an_unknown_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "page.wiki"
    path.write_text("First line.\n\nSecond {{Mystery template|x}} line.\n", encoding="utf-8")
    assert main(["--content", str(path), "-o", str(tmp_path / "out"), "--strict"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "page.wiki:3:" in err and "Mystery template" in err
    assert main(["--content", str(path), "-o", str(tmp_path / "out")]) == 0
    assert "1 template ({{Mystery template}})" in capsys.readouterr().out


def test_an_undefined_ref_name_is_an_error_only_when_strict(tmp_path: Path) -> None:
    path = tmp_path / "page.wiki"
    path.write_text("Text.<ref name=ghost/>\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_article(path, strict=True)
    assert info.value.line == 1 and "ghost" in info.value.message
    article = load_article(path)
    assert ("empty or undefined refs", 1, ("ghost",)) in article.omitted


def test_from_mediawiki_reads_any_extension(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("''Italic'' text.<ref>A source.</ref>\n", encoding="utf-8")
    article = load_article(path, fmt="mediawiki")
    assert texts(article) == ["Italic text."]
    with pytest.raises(ContentError):
        load_article(path)  # as an .article it has no @title


def test_a_wikitext_article_needs_no_bib_and_never_gets_the_shipped_one(page: Path, wiki: Article) -> None:
    assert not any(e.key.startswith("kalbajar") for e in wiki.bibliography.entries)


def test_reading_is_linear_enough_for_long_articles(tmp_path: Path) -> None:
    # not a timing test: the same page repeated gives proportionally many notes and entries
    body = PAGE.split("== Notes ==")[0]
    article = load_wikitext(body * 20, str(tmp_path / "long.wiki"))
    single = load_wikitext(body, str(tmp_path / "one.wiki"))
    assert len(list(article.sentences())) == 20 * len(list(single.sentences()))
    assert len(article.bibliography.entries) == len(single.bibliography.entries)  # the same works, once


def test_section_ids_are_unique_and_valid(tmp_path: Path) -> None:
    text = "Lead.\n== Notes ==\nA.\n== Notes ==\nB.\n== Ça va? ==\nC.\n== 日本 ==\nD.\n"
    article = load_wikitext(text, str(tmp_path / "p.wiki"))
    ids = [s.id for s in article.walk()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids), ids


def _naive_normalise(raw: str, spans: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """The reference: character by character."""
    out: list[str] = []
    index: list[int] = []
    space = False
    for ch in raw:
        index.append(len(out))
        if ch.isspace() and ch != "\u00a0":
            if out and not space:
                out.append(" ")
            space = True
        else:
            out.append(ch)
            space = False
    index.append(len(out))
    text = "".join(out).rstrip(" ")
    pieces = []
    for a, b in spans:
        piece = text[min(index[a], len(text)) : min(index[b], len(text))].strip(" ")
        if piece:
            pieces.append(piece)
    return text, pieces


@given(
    st.text(alphabet=st.sampled_from("ab \n\t\u00a0\u2003x"), max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=4),
)
def test_whitespace_collapsing_moves_spans_with_the_text(raw: str, pairs: list[tuple[int, int]]) -> None:
    from kalbajar_report.mediawiki import _normalise
    from kalbajar_report.model import Span

    spans = [(min(a, b, len(raw)), min(max(a, b), len(raw))) for a, b in pairs]
    spans = [(a, b) for a, b in spans if b > a]
    text, moved = _normalise(raw, [Span(a, b, "bold") for a, b in spans])
    expected_text, expected_pieces = _naive_normalise(raw, spans)
    assert text == expected_text
    assert [text[sp.start : sp.end] for sp in moved] == expected_pieces


def test_html_shows_an_infobox_note_beside_its_fact(outputs: tuple[Path, str]) -> None:
    import html5lib

    out, _ = outputs
    doc = html5lib.parse((out / "battle-of-testville.html").read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/1999/xhtml}"
    values = ["".join(dd.itertext()) for dd in doc.iter(f"{ns}dd")]
    assert any("Testland victory (a: Disputed by the other side.)" in v for v in values), values


# --- a page in the style of a featured article's harvard citations (constructs as real articles use them)
HARVARD = Path(__file__).parent / "data" / "harvard-style.wiki"


def test_harvard_style_citations_as_featured_articles_write_them() -> None:
    article = load_article(HARVARD)
    sentences = texts(article)
    assert (
        "full name Abū ʿAlī al-Ḥasan; c. 965 – 1040) was a mathematician." in sentences
    )  # {{transl}}, {{c.}}
    assert "family in Basra." in sentences
    numbers = note_map(article)
    assert numbers["1"] == "falco-2007-ibn"  # "{{Harvnb|Falco|2007}}." is that work, at the list's entry
    assert article.bibliography["falco-2007-ibn"].entry_type == "book"
    facts = {f.label: f for f in article.facts}
    assert facts["Birth date"].value == "c. 965 (c. 354 AH)"  # {{birth-date|0965|{{circa}} 965}}: its text
    assert facts["Fields"].value == "Optics, Astronomy, Mathematics"  # {{hlist}}
    isbn = next(e for e in article.bibliography.entries if "Prisoner" in (e.text("note") or ""))
    assert "ISBN 1682060160" in (isbn.text("note") or "")  # {{ISBN}} inside a free-text ref
    again = [c for s in article.sentences() for c in s.citations if c.key == "lindberg-1976-theories"]
    assert {(c.label, c.locator) for c in again} == {("10", "p. 73")}  # a name with braces, reused
    quote = next(b for sec in article.walk() for b in sec.blocks if isinstance(b, BlockQuote))
    assert quote.attribution == "Alhazen" and [c.key for c in quote.attribution_citations] == [
        "sabra-1989-1989"
    ]
    omitted = {kind: count for kind, count, _ in article.omitted}
    assert omitted["short citations with no full citation"] == 6  # cited, but not in the page's sources
    for sentence in article.sentences():
        for leak in LEAKS:
            assert leak not in sentence.text


@pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
def test_biber_validates_the_bib_of_a_wikitext_article(outputs: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = outputs
    bib = tmp_path / "w.bib"
    bib.write_bytes((out / "battle-of-testville.bib").read_bytes())
    harvard = tmp_path / "h"
    assert main(["--content", str(HARVARD), "-o", str(harvard), "--format", "bib"]) == 0
    for path in (bib, next(harvard.glob("*.bib"))):
        result = subprocess.run(
            ["biber", "--tool", "--validate-datamodel", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        log = result.stdout + result.stderr
        assert result.returncode == 0 and "ERROR" not in log, log
        # warnings only for what the source does not give (a date, a title); nothing made up to hush them
        for line in log.splitlines():
            if "WARN - Datamodel" in line:
                assert "Missing mandatory field" in line or "must be datatype" in line, line


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("<ref>" * 2000 + "x" + "</ref>" * 2000, "nested more than 40 deep"),
        ("[[a|" * 3000 + "x" + "]]" * 3000, "nested more than 40 deep"),
        ("''a '''b " * 5000, "nested more than 40 deep"),
        ("{{a|" * 3000 + "x" + "}}" * 3000, "no text"),
    ],
)
def test_hostile_nesting_is_a_clean_error(text: str, needle: str, tmp_path: Path) -> None:
    with pytest.raises(ContentError) as info:
        load_wikitext(text, str(tmp_path / "hostile.wiki"))
    assert needle in info.value.message and "\n" not in str(info.value)


def test_internal_links_are_linked_to_the_wiki_when_its_url_is_known(page: Path) -> None:
    linked = load_article(page, source_url="https://en.wikipedia.org/wiki/Battle_of_Testville")
    monde = next(s for s in linked.sentences() if "Le Monde" in s.text)
    assert [(monde.text[sp.start : sp.end], sp.url) for sp in monde.spans if sp.style == "link"] == [
        ("Le Monde", "https://en.wikipedia.org/wiki/Le_Monde")
    ]
    plain = load_article(page)  # a .wiki file alone does not say which wiki it is from
    assert not [sp for s in plain.sentences() for sp in s.spans if sp.url and "wiki/" in sp.url]
