"""The LaTeX export's preamble follows the build: the paper of ``--paper``, tipa only for text that needs
it; and its notes (biblatex's, from the .bib) never repeat the sentences that cite a work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from conftest import write_document

from kalbajar_report import Article, build_outputs, load_article, to_latex
from kalbajar_report.cli import main
from kalbajar_report.exports.latex import escape_latex

BIB = "@book{book,\n  author = {Melkonian, Markar},\n  title = {My Brother's Road},\n  year = {2005},\n}\n"


def documentclass(tex: str) -> str:
    match = re.search(r"^\\documentclass\[(.*?)\]\{article\}$", tex, flags=re.M)
    assert match, tex[:300]
    return match.group(1)


def plain_article(folder: Path, body: str) -> Article:
    folder.mkdir()
    content, bib = write_document(folder, f"# One {{#one}}\n\n{body}\n", BIB)
    return load_article(content, bib)


@pytest.mark.parametrize(
    ("paper", "option"), [(None, "a4paper"), ("a4", "a4paper"), ("letter", "letterpaper")]
)
def test_cli_paper_sets_the_latex_paper(
    paper: str | None, option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--format", "latex", "-o", str(tmp_path)] + (["--paper", paper] if paper else [])
    assert main(args) == 0, capsys.readouterr().err
    assert documentclass((tmp_path / "kalbajar.tex").read_text(encoding="utf-8")) == f"11pt,{option}"


def test_build_outputs_passes_the_paper(article: Article, tmp_path: Path) -> None:
    build_outputs(article, tmp_path, ["latex"], paper="letter")
    assert "letterpaper" in documentclass((tmp_path / "kalbajar.tex").read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="unknown paper"):
        to_latex(article, paper="legal")


def test_tipa_only_for_text_that_needs_it(tmp_path: Path) -> None:
    plain = to_latex(plain_article(tmp_path / "plain", "Kalbajar and Özal, no IPA.[@book]"))
    assert "{tipa}" not in plain and "\\textschwa" not in plain  # a missing tipa.sty cannot break it
    schwa = to_latex(plain_article(tmp_path / "schwa", "Kəlbəcər is the Azerbaijani spelling.[@book]"))
    assert schwa.count("\\usepackage[safe]{tipa}") == 1
    assert "K{\\textschwa}lb{\\textschwa}c{\\textschwa}r" in schwa
    preamble, body = schwa.split("\\begin{document}")
    assert "\\usepackage[safe]{tipa}" in preamble and "{tipa}" not in body
    assert "Kəlbəcər" not in schwa  # no raw character left for pdfLaTeX to choke on


def test_ipa_letters_are_text_commands() -> None:
    # pylatexenc gives ɛ as the math-only \varepsilon and leaves ɔ as it is
    assert escape_latex("ɛ ɔ ʃ") == "{\\textepsilon} {\\textopeno} {\\textesh}"


def test_notes_do_not_repeat_the_sentences_they_cite(article: Article, tmp_path: Path) -> None:
    build_outputs(article, tmp_path, ["latex"])
    library = parse_string((tmp_path / "kalbajar.bib").read_text(encoding="utf-8"))
    fields = {e.key: " ".join(str(f.value) for f in e.fields) for e in library.entries}
    checked = 0
    for sec in article.walk():
        for sentence in sec.sentences():
            for cite in sentence.citations:
                if cite.kind != "note" and len(sentence.text) > 30:
                    assert sentence.text[:30] not in fields[cite.key], (cite.key, sentence.text)
                    checked += 1
    assert checked > 10
    tex = (tmp_path / "kalbajar.tex").read_text(encoding="utf-8")
    assert "addendum" not in tex and not any(e.fields_dict.get("addendum") for e in library.entries)
