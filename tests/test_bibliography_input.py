"""Hostile .bib inputs: each either builds correctly or stops with one line "file:line: problem" and exit
status 2 (never a traceback); the .bib a build writes always reads back with our own reader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import numbered_entry, write_document

from kalbajar_report import load_article
from kalbajar_report.bibliography import bibtex_to_text, load_bibliography, parse_bibliography
from kalbajar_report.bibtex import write_bibtex
from kalbajar_report.cli import main
from kalbajar_report.errors import BibliographyError

BODY = "# A {#a}\n\nA claim.[1]\n"


def build(
    tmp_path: Path, bib: str, body: str = BODY, formats: tuple[str, ...] = ()
) -> tuple[int, Path, Path]:
    content, bib_path = write_document(tmp_path, body, bib)
    out = tmp_path / "out"
    args = ["--content", str(content), "--bib", str(bib_path), "-o", str(out)]
    for fmt in formats:
        args += ["--format", fmt]
    return main(args), bib_path, out


def one_line_error(capsys: pytest.CaptureFixture[str], bib_path: Path, line: int, *needles: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert f" {bib_path}:{line}: " in f" {lines[0]}", lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


ERRORS = [
    # (name, bib text, line of the problem, words the message holds)
    ("undefined macro", numbered_entry(1) + "@misc{x,\n  title = nosuchmacro,\n}\n", 8, ["nosuchmacro"]),
    (
        "undefined macro in concatenation",
        numbered_entry(1) + '@misc{x,\n  note = "a",\n  title = "A" # nope # " B",\n}\n',
        9,
        ["nope", "title"],
    ),
    ("undefined macro in @string", '@string{a = "x" # b}\n' + numbered_entry(1), 1, ["@string", "'b'"]),
    ("a field of only {", numbered_entry(1) + '@misc{x,\n  title = "{",\n}\n', 8, ["unbalanced"]),
    ("a lone close brace", numbered_entry(1) + '@misc{x,\n  title = "a } b",\n}\n', 8, ["unbalanced"]),
    (
        "escaped brace BibTeX counts",
        numbered_entry(1) + "@misc{x,\n  title = {a \\{ b},\n}\n",
        8,
        ["unbalanced"],
    ),
    ("unclosed entry", numbered_entry(1) + "@misc{x,\n  title = {x}\n", 7, ["malformed"]),
    ("NUL byte", numbered_entry(1) + "@misc{x,\n  title = {a\x00b},\n}\n", 8, ["U+0000"]),
    ("empty key", numbered_entry(1) + "@misc{,\n  title = {x},\n}\n", 7, ["no key"]),
    ("key with %", numbered_entry(1) + "@misc{a%b,\n  title = {x},\n}\n", 7, ["'a%b'", "LaTeX and Pandoc"]),
    ("key with #", numbered_entry(1) + "@misc{a#b,\n  title = {x},\n}\n", 7, ["'a#b'"]),
    ("key with a quote", numbered_entry(1) + '@misc{a"b,\n  title = {x},\n}\n', 7, []),
    ("key with a backslash", numbered_entry(1) + "@misc{a\\b,\n  title = {x},\n}\n", 7, ["LaTeX and Pandoc"]),
    ("duplicate field", numbered_entry(1) + "@misc{x,\n  title = {a},\n  title = {b},\n}\n", 7, ["title"]),
    (
        "duplicate field in another case",
        numbered_entry(1) + "@misc{x,\n  title = {a},\n  TITLE = {b},\n}\n",
        9,
        ["repeats the field 'title'", "line 8"],
    ),
    ("duplicate key", numbered_entry(1) + "@misc{gen-1,\n  title = {x},\n}\n", 7, ["duplicate"]),
    ("key differing in case", numbered_entry(1) + "@misc{GEN-1,\n  title = {x},\n}\n", 7, ["only in case"]),
    (
        "marker not a number",
        "@misc{gen-1,\n  title = {x},\n  marker = {1a},\n}\n",
        3,
        ["marker", "'1a'"],
    ),
    (
        "javascript URL",
        "@misc{gen-1,\n  title = {x},\n  marker = {1},\n  url = {javascript:alert(1)},\n}\n",
        4,
        ["url", "http"],
    ),
    (
        "URL with a space",
        "@misc{gen-1,\n  title = {x},\n  marker = {1},\n  url = {https://example.org/a b},\n}\n",
        4,
        ["url"],
    ),
    (
        "archive URL not http",
        "@misc{gen-1,\n  marker = {1},\n  archiveurl = {ftp://example.org/},\n}\n",
        3,
        ["archiveurl"],
    ),
    ("not a DOI", "@misc{gen-1,\n  marker = {1},\n  doi = {javascript:x},\n}\n", 3, ["DOI"]),
    (
        "too many commas in a name",
        "@misc{gen-1,\n  marker = {1},\n  author = {a, b, c, d},\n}\n",
        3,
        ["commas"],
    ),
    ("value with no value", numbered_entry(1) + "@misc{x,\n  title = ,\n}\n", 8, ["no value"]),
]


@pytest.mark.parametrize(("bib", "line", "needles"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_hostile_bib_stops_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bib: str, line: int, needles: list[str]
) -> None:
    status, bib_path, out = build(tmp_path, bib)
    assert status == 2
    one_line_error(capsys, bib_path, line, *needles)
    assert not out.exists() or not any(out.iterdir())


def read_back(out: Path) -> dict[str, dict[str, str]]:
    """The written .bib read with our own reader: {key: {field: value}}."""
    (written,) = out.glob("*.bib")
    bib = load_bibliography(written)
    return {e.key: dict(e.fields) for e in bib.entries}


def test_comments_preamble_upper_case_and_macros_are_read_as_bibtex(tmp_path: Path) -> None:
    bib = (
        "Free text before entries is a comment.\n"
        "@comment{anything {at all}}\n"
        '@preamble{"\\newcommand{\\noop}[1]{}"}\n'
        '@STRING{pub = "Verso"}\n'
        '@String{place = {Lon} # "don"}\n'
        "@MISC{gen-1,\n  TITLE = {The } # pub # { Book},\n  Publisher = pub,\n  ADDRESS = place,\n"
        "  month = apr,\n  year = 1976,\n  marker = 1,\n}\n"
    )
    status, _, out = build(tmp_path, bib)
    assert status == 0
    fields = read_back(out)["gen-1"]
    assert fields["title"] == "The {Verso Book}"  # case-protected for case-changing styles
    assert fields["publisher"] == "Verso"
    assert fields["address"] == "London"
    assert fields["month"] == "April"
    assert fields["usera"] == "1"  # the marker, in a field biber knows


def test_a_string_may_redefine_a_month_macro() -> None:
    bib = parse_bibliography('@string{apr = "Avril"}\n@misc{a,\n  month = apr,\n}\n', "x.bib")
    assert bib["a"].field("month") == "Avril"


def test_tex_that_pylatexenc_cannot_read_never_crashes(tmp_path: Path) -> None:
    bib = numbered_entry(1, "See \\href{https://example.org/}{the page} and \\input") + (
        "@misc{uncited,\n  title = {\\input},\n  note = {\\href{https://x.org}},\n  addendum = {\\verb},\n"
        "  howpublished = {\\begin{itemize} 50% \\end},\n}\n"
    )
    status, _, out = build(tmp_path, bib)
    assert status == 0
    assert "the page" in (load_bibliography(out / "generated-test-document.bib")["gen-1"].text("note") or "")
    assert bibtex_to_text("\\href{https://example.org/}{the page}") == "the page"
    assert bibtex_to_text("a \\input") == "a"
    assert bibtex_to_text("\\url{https://example.org/}") == "https://example.org/"
    assert bibtex_to_text("50% of \\'e") == "50% of é"  # a bare % is a character, not a TeX comment
    assert bibtex_to_text("\\textbf{bold \\unknown{arg}}") == "bold arg"


def test_a_one_megabyte_field(tmp_path: Path) -> None:
    big = "word " * 200_000
    bib = numbered_entry(1) + "@misc{big,\n  title = {Big},\n  abstract = {" + big + "},\n}\n"
    status, _, out = build(tmp_path, bib)
    assert status == 0
    assert read_back(out)["big"]["abstract"] == big.strip()


def test_the_written_bib_reads_back_when_the_input_has_an_addendum(tmp_path: Path) -> None:
    """The build once appended a second addendum to numbered entries, which our reader then rejected."""
    bib = "@misc{gen-1,\n  title = {x},\n  addendum = {Given by the user.},\n  marker = {1},\n}\n"
    status, _, out = build(tmp_path, bib)
    assert status == 0
    text = (out / "generated-test-document.bib").read_text(encoding="utf-8")
    assert text.count("addendum") == 1
    assert read_back(out)["gen-1"]["addendum"] == "Given by the user."


def test_header_names_the_article_not_kalbajar(tmp_path: Path) -> None:
    status, _, out = build(tmp_path, numbered_entry(1))
    assert status == 0
    header = (out / "generated-test-document.bib").read_text(encoding="utf-8").split("@", 1)[0]
    assert "Generated test document" in header
    assert "Kalbajar" not in header
    assert write_bibtex(load_bibliography()).startswith("% Citation library written by kalbajar_report.")
    shipped = write_bibtex(load_article().bibliography, load_article())
    assert shipped.startswith(f"% Citation library of {load_article().metadata.title},")


def test_header_cannot_open_an_entry(tmp_path: Path) -> None:
    content, bib_path = write_document(tmp_path, BODY, numbered_entry(1))
    content.write_text(
        content.read_text(encoding="utf-8").replace(
            "@title: Generated test document", "@title: Mail @misc{evil, title={x}}"
        ),
        encoding="utf-8",
    )
    status = main(["--content", str(content), "--bib", str(bib_path), "-o", str(tmp_path / "out")])
    assert status == 0
    assert set(read_back(tmp_path / "out")) == {"gen-1"}


def test_control_characters_are_named_with_their_line() -> None:
    with pytest.raises(BibliographyError) as caught:
        parse_bibliography("@misc{a,\n\n  title = {x\x07},\n}\n", "x.bib")
    assert str(caught.value) == "x.bib:3: holds a control character (U+0007 control character)"


@pytest.mark.parametrize("key", ["a", "Smith2001", "kalbajar-ref-14", "doi:10.1/x", "a_b.c/d", "_x"])
def test_keys_latex_and_pandoc_read_are_accepted(key: str) -> None:
    assert parse_bibliography(f"@misc{{{key},\n  title = {{x}},\n}}\n", "x.bib")[key].key == key


@pytest.mark.parametrize("key", ["a b", "a,b", "a{b", "a'b", "a~b", "a=b", "müller", "a(b)"])
def test_keys_latex_or_pandoc_cannot_read_are_refused(key: str) -> None:
    with pytest.raises(BibliographyError) as caught:
        parse_bibliography(f"@misc{{{key},\n  title = {{x}},\n}}\n", "x.bib")
    assert caught.value.line == 1


def test_error_lines_point_at_the_field(tmp_path: Path) -> None:
    bib = "@misc{a,\n  title = {x},\n  note = {y},\n\n  url = {http://},\n}\n"
    with pytest.raises(BibliographyError) as caught:
        parse_bibliography(bib, "x.bib")
    assert caught.value.line == 5
    assert re.search(r"url.*'a'.*host", caught.value.message)
