"""A user's own article is theirs: nothing of the shipped article leaks into its outputs, and every mistake in
it is reported at its own file and line (issue 10)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import bibtexparser
import pytest
from conftest import OFFICE_SUFFIXES, write_document, zipped_text
from pypdf import PdfReader

from kalbajar_report import build_briefing, load_article
from kalbajar_report.cli import main
from kalbajar_report.errors import ContentError

PRESS_BIB = """\
@book{febvre1976,
  author = {Febvre, Lucien and Martin, Henri-Jean},
  title = {The Coming of the Book},
  publisher = {New Left Books},
  address = {London},
  year = {1976},
  marker = {1},
}

@article{eisenstein1968,
  author = {Eisenstein, Elizabeth L.},
  title = {Some Conjectures about the Impact of Printing},
  journal = {The Journal of Modern History},
  volume = {40},
  year = {1968},
}
"""

PRESS = """\
@title: The printing press
@language: en-GB
@source: A history reader | https://example.org/press
@licence: CC BY 4.0 | https://creativecommons.org/licenses/by/4.0/

# Origins {#origins}

Movable type reached Mainz in the 1450s.[1]
Printing changed how scholars worked.[@eisenstein1968]

# Spread {#spread}

By 1500 presses worked in more than two hundred towns.[1]
"""

SHIPPED_WORDS = ("Kalbajar", "kalbajar", "Wikipedia", "Karabakh", "newer revision", "source article’s own")


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages) + str(reader.metadata)


def test_nothing_of_the_shipped_article_in_another_articles_outputs(tmp_path: Path) -> None:
    content, bib = write_document(tmp_path, "", PRESS_BIB)
    content.write_text(PRESS, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--content", str(content), "--bib", str(bib), "-o", str(out), "--format", "all"]) == 0
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) >= 8
    for path in files:
        if path.suffix == ".pdf":
            text = pdf_text(path)
        elif path.suffix in OFFICE_SUFFIXES:
            text = zipped_text(path)
        else:
            text = path.read_text(encoding="utf-8")
        text = text.replace("kalbajar_report", "").replace("kalbajar-report", "")  # the tool's own name
        assert "kalbajar" not in path.name
        for word in SHIPPED_WORDS:
            assert word not in text, (path.name, word)
    pdf = next(p for p in files if p.suffix == ".pdf")
    text = pdf_text(pdf)
    assert "CC BY 4.0" in text and "A history reader" in text
    assert "share alike" not in text  # the CC BY-SA terms are the shipped article's, not this one's
    assert "Edits: ." not in text and "What was edited" not in text  # the author's text, as written
    meta = PdfReader(pdf).metadata
    assert meta is not None and not meta.get("/Author")  # no author given: none invented


def test_shipped_article_keeps_its_attribution(built: object) -> None:
    from kalbajar_report import BuildResult

    assert isinstance(built, BuildResult)
    text = pdf_text(built.pdf)
    assert "written by Wikipedia’s contributors" in text and "share alike" in text
    assert "Raised numbers in the text are the source article’s own reference numbers" in text
    meta = PdfReader(built.pdf).metadata
    assert meta is not None and meta.get("/Author") == "Wikipedia contributors"


def test_no_default_keys_of_the_shipped_article(tmp_path: Path) -> None:
    bib = PRESS_BIB + "@misc{kalbajar-briefing,\n  title = {Not ours},\n}\n"
    content, bib_path = write_document(tmp_path, "", bib)
    content.write_text(PRESS, encoding="utf-8")
    article = load_article(content, bib_path)
    assert article.metadata.article_key is None and article.metadata.briefing_key is None
    assert article.metadata.slug == "the-printing-press"


def build_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, bib: str = PRESS_BIB) -> str:
    content, bib_path = write_document(tmp_path, "", bib)
    content.write_bytes(text.encode("utf-8"))
    out = tmp_path / "out"
    out.mkdir()
    previous = {
        out / f"t{suffix}": f"previous {suffix}".encode() for suffix in ("-briefing.pdf", ".bib", ".md")
    }
    for path, data in previous.items():
        path.write_bytes(data)
    status = main(["--content", str(content), "--bib", str(bib_path), "-o", str(out), "--format", "all"])
    err = capsys.readouterr().err
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert {p: p.read_bytes() for p in out.iterdir()} == previous  # the previous outputs are intact
    return err.strip()


HEAD = "@title: T\n"


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        (
            HEAD + "@source: S | https://example.org/x><script>alert(1)</script>\n# A {#a}\n\nText.\n",
            2,
            "'>'",
        ),
        (HEAD + "@source: S | javascript:alert(1)\n# A {#a}\n\nText.\n", 2, "http"),
        (HEAD + "@licence: L | https:///nohost\n# A {#a}\n\nText.\n", 2, "host"),
        (
            HEAD + '# A {#a}\n\nOne\u2028still one.\nTwo.\n\n@event: 1993-02-31 | E | a | "Two"\n',
            7,
            "not a date",
        ),
        (HEAD + "# A {#a}\n\nOne.\n%% hidden sentence\nTwo.\n", 5, "%%"),
        (HEAD + "# A {#a}\n\nOne\x07 bell.\n", 4, "U+0007"),
        (HEAD + "@article-key: no-such-key\n# A {#a}\n\nText.\n", 2, "no-such-key"),
        (HEAD + "@slug: Not A Slug\n# A {#a}\n\nText.\n", 2, "@slug"),
        (HEAD + '@language: en"><script>\n# A {#a}\n\nText.\n', 2, "@language"),
    ],
)
def test_reader_errors_name_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, needle: str
) -> None:
    err = build_error(tmp_path, capsys, text)
    assert f"doc.article:{line}:" in err and needle in err, err


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEAD + "# A {#a}\n\nText.\n\n@glossary: 漢字 | x | y\n", 6),
        (HEAD + "@note: a note 漢字\n# A {#a}\n\nText.\n", 2),
        (HEAD + "@source: 漢字 source | https://example.org/\n# A {#a}\n\nText.\n", 2),
        ("@title: 漢字\n# A {#a}\n\nText.\n", 1),
        (HEAD + "@short-title: Kəlbəcər\n# A {#a}\n\nText.\n", 2),
        (HEAD + '# A {#a}\n\nOne fact here.\n\n@fact: 漢字 | v | a | "fact"\n', 6),
        (HEAD + '# A {#a}\n\nOne event here.\n\n@event: 1993 | 漢字 | a | "event"\n', 6),
        (HEAD + "# A {#a}\n\n> Quoted.\n> Still quoted.\n>> 漢字 author\n", 6),
    ],
)
def test_uncovered_characters_are_reported_where_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int
) -> None:
    err = build_error(tmp_path, capsys, text)
    assert f"doc.article:{line}:" in err, err


def test_line_numbers_survive_unicode_separators_and_form_feeds(tmp_path: Path) -> None:
    text = HEAD + "# A {#a}\n\nOne\u2028two\u2029three\x0cfour\x85five.\nSecond.\n"
    content, bib = write_document(tmp_path, "", PRESS_BIB)
    content.write_text(text, encoding="utf-8")
    article = load_article(content, bib)
    first, second = article.sentences()
    assert first.text == "One two three four five." and first.location.line == 4
    assert second.location.line == 5


def test_decomposed_accents_are_composed(tmp_path: Path) -> None:
    content, bib = write_document(tmp_path, "", PRESS_BIB)
    content.write_text(HEAD + "# A {#a}\n\nCafe\u0301 society.\n", encoding="utf-8")
    (sentence,) = load_article(content, bib).sentences()
    assert sentence.text == "Café society."


@pytest.mark.parametrize("start", ["#", "@", "~", ">", "%%", "\\"])
def test_a_sentence_may_start_with_any_character(tmp_path: Path, start: str) -> None:
    content, bib = write_document(tmp_path, "", PRESS_BIB)
    content.write_text(HEAD + f"# A {{#a}}\n\n\\{start}1 is a sentence.\n", encoding="utf-8")
    (sentence,) = load_article(content, bib).sentences()
    assert sentence.text == f"{start}1 is a sentence."


def test_comment_lines_between_blocks_still_work(tmp_path: Path) -> None:
    content, bib = write_document(tmp_path, "", PRESS_BIB)
    content.write_text(
        HEAD + "%% a comment\n# A {#a}\n%% another\n\nText.\n\n%% and one more\n", encoding="utf-8"
    )
    assert [s.text for s in load_article(content, bib).sentences()] == ["Text."]


RESERVED = [
    "references",
    "colophon",
    "notes",
    "contents",
    "contents-title",
    "glossary",
    "key-facts",
    "timeline",
]


def test_section_ids_never_collide_with_the_documents_own(tmp_path: Path) -> None:
    body = "".join(f"# Section {sid} {{#{sid}}}\n\nText of {sid}.\n\n" for sid in RESERVED)
    content, bib = write_document(tmp_path, body, PRESS_BIB, header="@glossary: T | V | D\n")
    out = tmp_path / "out"
    assert main(["--content", str(content), "--bib", str(bib), "-o", str(out), "--format", "all"]) == 0
    pdf = next(out.glob("*.pdf"))
    reader = PdfReader(pdf)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [t for t in outline if t.startswith(tuple("0123456789"))] == [
        f"{i} Section {sid}" for i, sid in enumerate(RESERVED, start=1)
    ]
    assert outline[-3:] == ["References", "Glossary of names and spellings", "Colophon"]
    contents = reader.pages[0].extract_text()
    # every contents line ends with its own page number: the section's, not the back matter's
    for sid in RESERVED:
        assert f"Section {sid}" in contents
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


def test_contents_page_numbers_point_at_their_sections(tmp_path: Path) -> None:
    from kalbajar_report.pdf import render_pdf

    body = "".join(f"# Section {sid} {{#{sid}}}\n\n" + "Text. " * 700 + "\n\n" for sid in RESERVED[:4])
    content, bib = write_document(tmp_path, body, PRESS_BIB)
    article = load_article(content, bib)
    result = render_pdf(article, date_text="1 January 2000", tool="test")
    reader = PdfReader(io.BytesIO(result.data))
    for sid in RESERVED[:4]:
        page = result.section_pages[sid]
        assert f"Section {sid}" in reader.pages[page - 1].extract_text()
    assert len({result.section_pages[sid] for sid in RESERVED[:4]}) == 4


def test_a_section_named_with_its_parent_prints_once(tmp_path: Path) -> None:
    body = "# Parent {#parent}\n\nParent text.\n\n## Child {#child}\n\nChild text only once.\n"
    content, bib = write_document(tmp_path, body, PRESS_BIB)
    article = load_article(content, bib).excerpt(["child", "parent"])
    assert [s.id for s in article.walk()] == ["parent", "child"]
    out = tmp_path / "out"
    args = ["--content", str(content), "--bib", str(bib), "-o", str(out), "--format", "all"]
    assert main([*args, "--section", "child", "--section", "parent"]) == 0
    model = next(p for p in out.glob("*.json") if not p.name.endswith(("schema.json", "csl.json")))
    data = json.loads(model.read_text(encoding="utf-8"))
    assert json.dumps(data).count("Child text only once.") == 1
    assert pdf_text(next(out.glob("*.pdf"))).count("Child text only once.") == 1
    assert next(out.glob("*.md")).read_text(encoding="utf-8").count("Child text only once.") == 1


def test_bad_source_url_is_never_linked_in_any_export(tmp_path: Path) -> None:
    # the reader refuses it, so no writer ever sees it; the writers' own guard refuses it too
    from kalbajar_report.links import safe_url

    assert safe_url("https://example.org/x><script>alert(1)</script>") is None
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://example.org/a b") is None


def test_reader_error_type(tmp_path: Path) -> None:
    content, bib = write_document(tmp_path, "", PRESS_BIB)
    content.write_text(HEAD + "@source: S | ftp://example.org/\n# A {#a}\n\nText.\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_article(content, bib)
    assert info.value.line == 2


def test_exported_bib_of_a_user_article_has_no_shipped_header(tmp_path: Path) -> None:
    content, bib = write_document(tmp_path, "", PRESS_BIB)
    content.write_text(PRESS, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--content", str(content), "--bib", str(bib), "-o", str(out)]) == 0
    bib_out = next(out.glob("*.bib"))
    library = bibtexparser.parse_string(bib_out.read_text(encoding="utf-8"))
    assert {e.key for e in library.entries} == {"febvre1976", "eisenstein1968"}


def test_a_paragraph_longer_than_a_line_may_be_is_set_whole(tmp_path: Path) -> None:
    """Only a line has a length cap: a paragraph of many lines (here over 100,000 characters, some
    fifteen pages) is set, its line breaks computed once."""
    from kalbajar_report.reader import MAX_LINE_CHARS

    sentence = "A sentence of a paragraph that goes on, written again and again.\n"
    count = MAX_LINE_CHARS // (len(sentence) - 1) + 2
    content, bib = write_document(tmp_path, "# A {#a}\n\nFirst paragraph.\n\n" + sentence * count + "Last.\n")
    article = load_article(content, bib)
    assert sum(len(s.text) for s in article.sections[0].blocks[1].sentences) > MAX_LINE_CHARS
    result = build_briefing(article, tmp_path / "out")
    reader = PdfReader(str(result.pdf))
    assert len(reader.pages) >= 10
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    # every word there (a word broken at a line's end joined; no page ends on a hyphen)
    assert text.replace("- ", "").split().count("written") == count


@pytest.mark.parametrize("line", ["[1]" * 30_000 + "x", "x" * 200_000, "Text." + "[999]" * 19_000])
def test_hostile_long_lines_end_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    # the citation split is linear: these would take minutes with a regular expression anchored at the end
    err = build_error(tmp_path, capsys, HEAD + "# A {#a}\n\n" + line + "\n")
    assert "doc.article:4:" in err


def test_trailing_citations_are_split_like_the_format_says() -> None:
    from kalbajar_report.reader import _trailing_citations

    assert _trailing_citations("Text.[14][@a]") == ("Text.", ["14", "@a"])
    assert _trailing_citations("Text [to the Azeris].[1]") == ("Text [to the Azeris].", ["1"])
    assert _trailing_citations("Text [x y]") == ("Text [x y]", [])
    assert _trailing_citations("Text.[@a b]") == ("Text.[@a b]", [])


def test_the_attribution_is_in_every_text_export_of_the_shipped_article(tmp_path: Path) -> None:
    from kalbajar_report import export

    article = load_article()
    attribution = article.metadata.attribution
    assert "Wikipedia’s contributors" in attribution
    for fmt in ("md", "latex", "html"):
        (path, *_) = export(article, fmt, tmp_path)
        text = path.read_text(encoding="utf-8")
        if fmt == "latex":
            assert "Wikipedia{\\textquoteright}s contributors" in text
        elif fmt == "md":
            assert "Wikipedia’s contributors" in text.replace("\\", "")
        else:
            assert "Wikipedia’s contributors" in text
        assert "CC BY-SA 4.0" in text.replace("\\", "")
