"""The .article syntax of issue 11 (point 6): locators, inline styling, explanatory notes and lists, read into
the model, refused at their lines when malformed, and printed by the PDF, the HTML and the Markdown (read
back with pypdf, html5lib and Pandoc); plain text without the new markup reads as before."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import html5lib
import pytest
from conftest import write_document
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kalbajar_report import Article, load_bibliography, parse_article
from kalbajar_report.cli import main
from kalbajar_report.errors import ContentError
from kalbajar_report.model import Bibliography, BlockQuote, ListBlock, Paragraph, Span
from kalbajar_report.notes import NoteTable
from kalbajar_report.reader import _trailing_citations

BIB = r"""@misc{one,
  title = {Reference one},
  marker = {1},
  keywords = {numbered-reference},
}

@misc{two,
  title = {Reference two},
  marker = {2},
  keywords = {numbered-reference},
}

@book{work,
  author = {Melkonian, Markar},
  title = {My Brother's Road},
  publisher = {I.B. Tauris},
  year = {2005},
  keywords = {named-work},
}
"""
HEAD = "@title: T\n\n# A {#a}\n\n"  # the body's first line is line 5
FIRST = 5


@pytest.fixture(scope="module")
def bib(tmp_path_factory: pytest.TempPathFactory) -> Bibliography:
    path = tmp_path_factory.mktemp("bib") / "t.bib"
    path.write_text(BIB, encoding="utf-8")
    return load_bibliography(path)


def read(bib: Bibliography, body: str) -> Article:
    return parse_article(HEAD + body, "t.article", bib)


def only(article: Article) -> tuple[Paragraph | BlockQuote | ListBlock, ...]:
    return article.sections[0].blocks


# --- locators ---------------------------------------------------------------------------------------
def test_locators_are_read_as_written_and_trimmed(bib: Bibliography) -> None:
    article = read(bib, "Text.[1, p. 12][@work,   pp. 3–5  ][2][@work, ch. 3, n. 4]\n")
    (sentence,) = article.sentences()
    assert sentence.text == "Text."
    assert [(c.key, c.kind, c.locator) for c in sentence.citations] == [
        ("one", "numbered", "p. 12"),
        ("work", "named", "pp. 3–5"),
        ("two", "numbered", None),
        ("work", "named", "ch. 3, n. 4"),
    ]
    assert sentence.citations[0].source_text == "[1, p. 12]"
    # each locator of a work is its own note
    table = NoteTable.of(article)
    assert [(n.key, n.locator) for n in table.notes] == [
        ("one", "p. 12"),
        ("work", "pp. 3–5"),
        ("two", None),
        ("work", "ch. 3, n. 4"),
    ]


def test_an_attribution_and_a_list_item_take_locators(bib: Bibliography) -> None:
    article = read(bib, "> Quoted.\n>> Someone, a book[@work, p. 9]\n\n- An item.[1, fol. 2r]\n")
    quote, items = only(article)
    assert isinstance(quote, BlockQuote) and isinstance(items, ListBlock)
    assert quote.attribution_citations[0].locator == "p. 9"
    assert items.items[0].sentences[0].citations[0].locator == "fol. 2r"


def test_the_citation_split_keeps_locators_and_text_brackets() -> None:
    assert _trailing_citations("Text.[14, p. 12][@a]") == ("Text.", ["14, p. 12", "@a"])
    assert _trailing_citations("Text.[^why][@a, pp. 3–5]") == ("Text.", ["^why", "@a, pp. 3–5"])
    assert _trailing_citations("Text [x, y]") == ("Text [x, y]", [])
    assert _trailing_citations("Text.[@a b, p. 3]") == ("Text.[@a b, p. 3]", [])
    assert _trailing_citations("Text.[p. 3, 14]") == ("Text.[p. 3, 14]", [])


@pytest.mark.parametrize(
    "line",
    [
        "Text." + "[1, p. 2]" * 30_000,
        "[1, p. 2]" * 30_000 + "x",
        "Text." + "[1, " * 30_000 + "p. 2]",
        "Text." + "[@work, p. 2]" * 20_000 + "[9, p. 1]",
    ],
)
def test_the_citation_split_stays_linear_with_locators(bib: Bibliography, line: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(ContentError):
        read(bib, line + "\n")
    assert time.perf_counter() - started < 10  # quadratic would take minutes


# --- inline styling ---------------------------------------------------------------------------------
def test_tags_become_spans_over_the_plain_text(bib: Bibliography) -> None:
    line = (
        "A {em}Zartonk{/em} and {strong}bold {link https://example.org/r?a=1&b=2}linked{/link}{/strong} "
        "text.[1]\n"
    )
    (sentence,) = read(bib, line).sentences()
    assert sentence.text == "A Zartonk and bold linked text."
    spans = {(sentence.text[s.start : s.end], s.style, s.url) for s in sentence.spans}
    assert spans == {
        ("Zartonk", "italic", None),
        ("bold linked", "bold", None),
        ("linked", "link", "https://example.org/r?a=1&b=2"),
    }
    assert [c.key for c in sentence.citations] == ["one"]


def test_tags_in_a_quotation_a_list_item_and_a_note(bib: Bibliography) -> None:
    article = read(
        bib,
        "@explanatory: n | A {em}styled{/em} note.\n> A {strong}quoted{/strong} line.[^n]\n\n"
        "- An {em}item{/em}.\n",
    )
    quote, items = only(article)
    assert isinstance(quote, BlockQuote) and isinstance(items, ListBlock)
    assert quote.sentences[0].spans == (Span(2, 8, "bold"),)
    assert items.items[0].sentences[0].spans == (Span(3, 7, "italic"),)
    assert article.explanatory[0].sentences[0].spans == (Span(2, 8, "italic"),)


@pytest.mark.parametrize(
    "text",
    [
        "\\textbf{b} and \\textit{italic} and x_{i} and a^{b} stay text.",
        "{{ 7*7 }} {% if x %} {i} {b} {/i} {EM} { em } {emph} {links} set {1, 2}.",
        "*stars* and _underscores_ and //slashes// and <i>tags</i> stay text.",
        "Braces {em and strong} and {/ em} and {/link x} stay text.",
        "The test article's \\textbf{b} & done, and 50% {{ x }}.",
    ],
)
def test_text_that_only_looks_like_markup_is_text(bib: Bibliography, text: str) -> None:
    (sentence,) = read(bib, text + "\n").sentences()
    assert sentence.text == text and sentence.spans == ()


def test_a_backslash_before_a_tag_makes_it_text(bib: Bibliography) -> None:
    (sentence,) = read(
        bib, "Write \\{em}word\\{/em} or \\{link https://x.org}, {em}really{/em}.\n"
    ).sentences()
    assert sentence.text == "Write {em}word{/em} or {link https://x.org}, really."
    start = len("Write {em}word{/em} or {link https://x.org}, ")
    assert sentence.spans == (Span(start, start + len("really"), "italic"),)


def test_a_heading_may_hold_an_escaped_tag(bib: Bibliography) -> None:
    article = parse_article("@title: T\n\n# The \\{em} tag {#a}\n\nText.\n", "t.article", bib)
    assert article.sections[0].title == "The {em} tag"


# --- explanatory notes -------------------------------------------------------------------------------
def test_explanatory_notes_are_labelled_in_order_of_first_use(bib: Bibliography) -> None:
    article = read(
        bib,
        "@explanatory: first-defined | Cited second.[@work, p. 3]\n"
        "One.[^second-defined][1]\n"
        "Two.[^first-defined]\n"
        "Three.[^second-defined]\n"
        "@explanatory: second-defined | Cited {em}first{/em}, defined after its use.\n",
    )
    assert [(n.key, n.label, n.text) for n in article.explanatory] == [
        ("second-defined", "A", "Cited first, defined after its use."),
        ("first-defined", "B", "Cited second."),
    ]
    assert article.explanatory[1].location is not None and article.explanatory[1].location.line == FIRST
    cites = [c for s in article.sentences() for c in s.citations if c.kind == "note"]
    assert [(c.key, c.label) for c in cites] == [
        ("second-defined", "A"),
        ("first-defined", "B"),
        ("second-defined", "A"),
    ]
    table = NoteTable.of(article)
    assert [n.label for n in table.notes if n.kind == "note"] == ["A", "B"]
    assert "work" in article.cited_keys()  # a note's own citations reach the references


# --- lists --------------------------------------------------------------------------------------------
def test_lists_nest_by_two_spaces_and_end_at_a_blank_line(bib: Bibliography) -> None:
    article = read(
        bib,
        '- Top one.[1]\n~ editor; inserted "test"\n  - Nested.[@work, p. 2]\n    - Deeper.\n- Top two.\n\n'
        "1. Numbered one.\n  2. Nested numbered.\n3. Numbered two.\n\n"
        "\\- Not an item.\n\\1. Not an item either.\n",
    )
    bullets, numbers, para = only(article)
    assert isinstance(bullets, ListBlock) and isinstance(numbers, ListBlock)
    assert not bullets.ordered and numbers.ordered
    assert [(i.text, i.depth) for i in bullets.items] == [
        ("Top one.", 1),
        ("Nested.", 2),
        ("Deeper.", 3),
        ("Top two.", 1),
    ]
    assert bullets.items[0].sentences[0].provenance.origin == "editor"
    assert [c.locator for c in bullets.items[1].sentences[0].citations] == ["p. 2"]
    assert [(i.text, i.depth) for i in numbers.items] == [
        ("Numbered one.", 1),
        ("Nested numbered.", 2),
        ("Numbered two.", 1),
    ]
    assert isinstance(para, Paragraph)
    assert [s.text for s in para.sentences] == ["- Not an item.", "1. Not an item either."]
    assert [s.location.line for s in bullets.sentences] == [FIRST, FIRST + 2, FIRST + 3, FIRST + 4]


def test_year_and_negative_number_lines_are_sentences(bib: Bibliography) -> None:
    (para,) = only(
        read(bib, "1993. The year the district fell.\n-5 degrees that night.\n1.5 million left.\n")
    )
    assert isinstance(para, Paragraph) and len(para.sentences) == 3


# --- errors at their lines ---------------------------------------------------------------------------
ERRORS = [
    ("Text.[1, ]\n", 0, "empty locator"),
    ("Text.[@work,]\n", 0, "empty locator"),
    ("One.\nText.[^n, p. 3]\n@explanatory: n | x\n", 1, "no locator"),
    ("One.\nA {em}open.\n", 1, "not closed"),
    ("A {/em} closes.\n", 0, "closes nothing"),
    ("A {strong}{em}x{/strong}{/em}.\n", 0, "tags nest"),
    ("A {em}{/em} empty.\n", 0, "holds no text"),
    ("A {em}a {em}b{/em}{/em}.\n", 0, "inside"),
    ("A {link javascript:alert(1)}x{/link}.\n", 0, "http"),
    ("A {link https://exa mple.org/}x{/link}.\n", 0, "cannot hold"),
    ("A {link}x{/link}.\n", 0, "empty"),
    ("{em} {/em}[1]\n", 0, "only markup"),
    ("Text.\n\n## B {em}x{/em} {#b}\n\nMore.\n", 2, "heading cannot be styled"),
    ("> Quoted.\n>> {em}Work{/em}\n", 1, "attribution cannot be styled"),
    ("Text.\nMore.[^nope]\nAgain.[^nope]\n", 1, "[^nope] is not defined"),
    ("Text.\n@explanatory: unused | Never cited.\n", 1, "never cited"),
    ("@explanatory: n | x\n@explanatory: n | y\nText.[^n]\n", 1, f"already defined on line {FIRST}"),
    ("@explanatory: n | x[^m]\n@explanatory: m | y\nText.[^n][^m]\n", 0, "cannot cite another note"),
    ("@explanatory: n x\n", 0, "NAME | text"),
    ("@explanatory: a name | x\n", 0, "note name"),
    ("Text [^n] more.\n@explanatory: n | x\n", 0, "end of the sentence"),
    ("> Quoted.\n>> Someone[^n]\n@explanatory: n | x\n", 1, "attribution cannot cite"),
    ("Para.\n- item\n", 1, "a paragraph and a list"),
    ("- item\nPara.\n", 1, "a list and a paragraph"),
    ("> Quoted.\n- item\n", 1, "a quotation and a list"),
    ("- item\n> Quoted.\n", 1, "a list and a quotation"),
    ("  - item\n", 0, "first item is not indented"),
    ("- a\n    - b\n", 1, "indented 2 levels under one of 0"),
    ("- a\n   - b\n", 1, "unexpected indentation"),
    ("- a\n - b\n", 1, "unexpected indentation"),
    ("  Indented sentence.\n", 0, "unexpected indentation"),
    ("- a\n1. b\n", 1, "numbered item in a bulleted list"),
    ("1. a\n  - b\n", 1, "bulleted item in a numbered list"),
    ("- a\n%% c\n", 1, "%%"),
    ("- [1]\n", 0, "only citations"),
]


@pytest.mark.parametrize(("body", "offset", "needle"), ERRORS)
def test_mistakes_are_errors_at_their_line(bib: Bibliography, body: str, offset: int, needle: str) -> None:
    with pytest.raises(ContentError) as caught:
        read(bib, body)
    assert caught.value.line == FIRST + offset, str(caught.value)
    assert needle in caught.value.message, str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_mistake_is_one_line_and_exit_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content, bib_path = write_document(tmp_path, "# A {#a}\n\nA {em}open sentence.\n", BIB)
    status = main(["--content", str(content), "--bib", str(bib_path), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and f"{content}:6:" in err and "{em}" in err


# --- the documentation's examples ---------------------------------------------------------------------
DOCS = Path(__file__).resolve().parents[1] / "docs" / "content-format.md"


@pytest.mark.parametrize("heading", ["## Explanatory notes", "## Lists"])
def test_the_documented_examples_read(heading: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    part = text[text.index(heading) :]
    example = re.search(r"```\n(.*?)```", part, flags=re.S)
    assert example
    article = parse_article(HEAD + example.group(1), "docs", load_bibliography())
    assert article.sentences()


# --- property: plain text is read as before ----------------------------------------------------------
ALPHABET = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789" * 2
    + "&%$#_{}~^\\<>\"'.,;:!?()[]/*=+-–—“”ÖəçéIembolsrngtik "
)
PLAIN = (
    st.tuples(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZÖƏ“("), st.text(ALPHABET, max_size=80))
    .map(lambda parts: " ".join("".join(parts).split()))
    .filter(lambda s: not s.endswith("]"))  # a trailing bracket may be a citation
    .filter(lambda s: not re.search(r"\{/?(?:em|strong|link)[} ]|\[(?:\d+|@\S+|\^\S+)\]", s))
)


@settings(max_examples=300, deadline=None)
@given(text=PLAIN)
def test_plain_sentences_read_back_unchanged(bib: Bibliography, text: str) -> None:
    (sentence,) = read(bib, text + "\n").sentences()
    assert sentence.text == text and sentence.spans == () and sentence.citations == ()


@settings(max_examples=300, deadline=None)
@given(text=PLAIN, data=st.data())
def test_an_emphasised_run_lands_on_its_characters(bib: Bibliography, text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    # a backslash just before a tag makes it text, so a run can neither follow nor end with one
    assume(text[start:end].strip() and not text[:start].endswith("\\"))
    assume(not text[:end].endswith("\\"))
    marked = text[:start] + "{em}" + text[start:end] + "{/em}" + text[end:]
    (sentence,) = read(bib, marked + "\n").sentences()
    assert sentence.text == text
    assert sentence.spans == (Span(start, end, "italic"),)


# --- every output shows the constructs ---------------------------------------------------------------
SHOWCASE = """@explanatory: district | The district, not the {em}town{/em}.[@work, p. 212]

# Styled {#styled}

A sentence with {em}Zartonk{/em}, {strong}three villages{/strong} and LINK.[1, p. 12]
Kalbajar district lay between two places.[^district]

- First bullet.[@work, pp. 3–5]
  - Nested bullet.
- Second bullet.

1. First numbered.
2. Second numbered.
""".replace("LINK", "{link https://example.org/report}the report{/link}")


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("showcase")
    content, bib_path = write_document(folder, SHOWCASE, BIB, "@slug: showcase\n")
    out = folder / "out"
    args = ["--content", str(content), "--bib", str(bib_path), "-o", str(out)]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*args, "--format", "pdf", "--format", "html", "--format", "md"]) == 0
    return {
        "pdf": out / "showcase-briefing.pdf",
        "html": out / "showcase.html",
        "md": out / "showcase.md",
    }


def test_the_pdf_shows_styles_link_locators_note_and_lists(showcase: dict[str, Path]) -> None:
    reader = PdfReader(str(showcase["pdf"]))
    runs: list[tuple[str, str]] = []
    texts = []
    uris = []
    for page in reader.pages:
        texts.append(page.extract_text())
        page.extract_text(
            visitor_text=lambda t, cm, tm, font, size: runs.append(
                (t, str(font.get("/BaseFont", "")) if font else "")
            )
        )
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    text = "\n".join(texts)
    flat = " ".join(text.split())
    assert "A sentence with Zartonk, three villages and the report." in flat
    fonts = {t.strip(): f for t, f in runs if t.strip()}
    assert re.search(r"-(It|Italic)$", fonts["Zartonk"]), fonts
    assert fonts["three villages"].endswith("-Bold"), fonts
    assert "https://example.org/report" in uris
    assert "(p. 12)" in flat and "(pp. 3–5)" in flat
    assert "The district, not the town." in flat
    assert re.search(r"^A\s+The district", text, flags=re.M), text  # the note's label, then its text
    assert "{em}" not in flat and "[^" not in flat and "[1, p. 12]" not in flat
    for item in (
        "• First bullet.",
        "• Nested bullet.",
        "• Second bullet.",
        "1. First numbered.",
        "2. Second numbered.",
    ):
        assert item in flat, flat


def test_the_html_shows_styles_link_locators_note_and_lists(showcase: dict[str, Path]) -> None:
    page = showcase["html"].read_text(encoding="utf-8")
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    body = tree.find("body")
    assert body is not None
    em = [e.text for e in body.iter() if e.tag in ("em", "i")]
    strong = [e.text for e in body.iter() if e.tag in ("strong", "b")]
    assert "Zartonk" in em and "town" in em and "three villages" in strong
    links = {e.get("href"): "".join(e.itertext()) for e in body.iter("a")}
    assert links.get("https://example.org/report") == "the report"
    ul = [e for e in body.iter("ul") if "First bullet." in "".join(e.itertext())]
    assert ul and any("Nested bullet." in "".join(n.itertext()) for n in ul[0].iter("ul") if n is not ul[0])
    (ol,) = [e for e in body.iter("ol") if "First numbered." in "".join(e.itertext())]
    assert [" ".join("".join(li.itertext()).split()) for li in ol.findall("li")] == [
        "First numbered.",
        "Second numbered.",
    ]
    flat = " ".join("".join(body.itertext()).split())
    assert "p. 12" in flat and "pp. 3–5" in flat and "The district, not the town." in flat


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_markdown_styles_link_note_and_lists(showcase: dict[str, Path]) -> None:
    html = subprocess.run(
        ["pandoc", "-f", "markdown", "-t", "html", str(showcase["md"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    em = [e.text for e in tree.iter("em")]
    strong = [e.text for e in tree.iter("strong")]
    assert "Zartonk" in em and "town" in em and "three villages" in strong
    assert {e.get("href"): "".join(e.itertext()) for e in tree.iter("a")}.get(
        "https://example.org/report"
    ) == "the report"
    (ul,) = [
        # the citation stands before the full stop: "First bullet [@work, pp. 3–5]."
        e
        for e in tree.iter("ul")
        if "First bullet" in "".join(e.itertext()) and e.find("li/ul") is not None
    ]
    assert "Nested bullet." in "".join(ul.find("li/ul").itertext())  # type: ignore[union-attr]
    (ol,) = [e for e in tree.iter("ol") if "First numbered." in "".join(e.itertext())]
    assert ["".join(li.itertext()).strip() for li in ol.findall("li")] == [
        "First numbered.",
        "Second numbered.",
    ]
    cites = [
        (e.get("data-cites"), " ".join("".join(e.itertext()).split()))
        for e in tree.iter("span")
        if e.get("data-cites")
    ]
    assert any("p. 12" in text for key, text in cites if key == "one"), cites
    assert any("pp. 3–5" in text for key, text in cites if key == "work"), cites
    notes = [e for e in tree.iter("section") if "footnotes" in (e.get("class") or "").split()]
    # Pandoc's idiom: the citation before the full stop (this test runs pandoc without --citeproc)
    assert notes and "The district, not the town [@work, p. 212]." in " ".join(
        "".join(notes[0].itertext()).split()
    )


def test_url_characters_are_rfc_3986_and_iri_letters() -> None:
    """A URL may hold exactly RFC 3986's characters and any character from U+00A1 on: every code point of
    the Basic Multilingual Plane and the first and last 256 of every other plane is tried, each in a URL
    that is otherwise good."""
    from kalbajar_report.links import url_problem

    rfc3986 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%")
    codes = [*range(0x10000)]
    for plane in range(1, 17):
        codes += [*range(plane << 16, (plane << 16) + 256), *range((plane << 16) + 0xFF00, (plane + 1) << 16)]
    refused = []
    for code in codes:
        char = chr(code)
        if char == "%":
            continue  # allowed, but only before two hex digits (its own test)
        problem = url_problem(f"https://example.org/a{char}b")
        if problem is not None and "cannot hold" in problem:
            refused.append(code)
    invisible = {c for c in refused if c >= 0xA1}  # spaces and format characters are refused on their own
    assert invisible
    spaces = {0x1680, 0x3000, 0xFEFF, *range(0x2000, 0x2070), *range(0xFFF0, 0x10000)}
    assert invisible <= spaces
    allowed_ascii = {chr(c) for c in range(0xA1) if c not in refused}
    assert allowed_ascii == rfc3986
