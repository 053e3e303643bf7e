"""The LaTeX export's preamble follows the build: the paper of ``--paper``, tipa only for text that needs
it; its notes never repeat the sentences that cite a work; and the document compiles with every engine
installed (pdfLaTeX, LuaLaTeX, XeLaTeX) with no error, no missing character and no line over the margin."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from conftest import write_document
from pypdf import PdfReader

from kalbajar_report import Article, build_outputs, load_article, to_latex
from kalbajar_report.citestyle import plain
from kalbajar_report.cli import main
from kalbajar_report.exports.latex import escape_latex, printable
from kalbajar_report.housestyle import HOUSE_STYLE
from kalbajar_report.mediawiki import load_wikitext
from kalbajar_report.notes import NoteTable

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


# --- compiled by every engine installed ------------------------------------------------------------------
ENGINES = ("pdflatex", "lualatex", "xelatex")
#: the PDF page size of each --paper, in points
PAGE_SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
#: a Wikipedia-derived article with what a real one holds: curly quotes, dashes, an ellipsis, ə, a long URL,
#: an IRI, long compounds and a document symbol in a note, a quotation, a list
WIKITEXT = """\
The '''Battle of Kəlbəcər''' – “Kalbajar” to English sources – was fought in the Nagorno-Karabakh \
conflict…<ref name="hrw">{{cite book |author=Human Rights Watch |title=Azerbaijan: Seven Years of Conflict \
in Nagorno-Karabakh |publisher=Human Rights Watch |location=New York |year=1994 |page=14}}</ref> \
The Security Council answered with resolution S/RES/822 (1993).<ref>{{cite web |title=Resolution 822 \
(1993) of 30 April 1993 |website=United Nations Digital Library |url=https://digitallibrary.un.org/record/\
164484/files/S_RES_822%281993%29-EN.pdf?ln=en&very_long_query_parameter=abcdefghijklmnopqrstuvwxyz0123456789\
abcdefghijklmnopqrstuvwxyz |access-date=1 June 2021}}</ref>

== Offensive ==
Armenian forces took the town on 2 April — after a week's fighting.<ref name="hrw"/>{{efn|The \
Azerbaijani spelling is Kəlbəcər; Turkish sources write Kelbecer.<ref>{{cite web |title=Kəlbəcər \
|website=Vikipediya |url=https://az.wikipedia.org/wiki/Kəlbəcər |access-date=1 June 2021}}</ref>}}
* Refugees crossed the Murovdağ range.<ref name="hrw"/>
* Internationalisation followed: counter-counteroffensives, Nagorno-Karabakh-Azerbaijan talks.

== Notes ==
{{notelist}}
"""


def latex_problems(log: str) -> tuple[list[str], list[str], list[float]]:
    """The errors (``! …``), the missing characters and the widths (pt) of the overfull lines of a log."""
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    missing = [line for line in log.splitlines() if "Missing character" in line]
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    return errors, missing, overfull


def require_engine(engine: str, tex: str) -> str:
    """The engine's path, or a skip naming the engine or the first package or font the document lacks."""
    path = shutil.which(engine)
    if path is None:
        pytest.skip(f"{engine} is not installed (Debian: texlive-latex-base, texlive-luatex, texlive-xetex)")
    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        pytest.skip("kpsewhich is not installed, so the packages cannot be checked")
    packages = re.findall(r"^\\usepackage(?:\[[^]]*\])?\{([^}]+)\}", tex, flags=re.M)
    files = [f"{name}.sty" for group in packages for name in group.split(",")] + ["t1lmr.fd"]
    for name in files:
        found = subprocess.run([kpsewhich, name], capture_output=True, text=True, timeout=60, check=False)
        if not found.stdout.strip():
            pytest.skip(f"{name} is not installed (TeX Live's scheme-medium has it), so {engine} cannot run")
    return path


def compile_with(engine: str, tex: str, folder: Path) -> tuple[str, PdfReader]:
    """Compile ``tex`` twice with ``engine`` in ``folder``: the log and the PDF."""
    path = require_engine(engine, tex)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doc.tex").write_text(tex, encoding="utf-8")
    for _ in range(2):  # the second run resolves the links
        subprocess.run(
            [path, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
            cwd=folder,
            capture_output=True,
            timeout=600,
            check=False,
        )
    log = (folder / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors, missing, overfull = latex_problems(log)
    assert not errors and not missing, (engine, errors, missing)
    assert all(width <= 1.0 for width in overfull), (engine, overfull)
    assert (folder / "doc.pdf").is_file(), log[-2000:]
    return log, PdfReader(folder / "doc.pdf")


def squeezed(text: str) -> str:
    """Text without spaces, hyphens and line breaks (what a line break may add or take), NFKC-normalised."""
    return re.sub(r"[\s\-\u00ad]", "", unicodedata.normalize("NFKC", text))


def pdf_text(reader: PdfReader) -> str:
    text = "".join(page.extract_text() or "" for page in reader.pages)
    # pypdf gives the glyph name of LuaTeX's straight quote (TS1) where pdftotext reads its ToUnicode: '
    return squeezed(text.replace("/quotesingle.ts1", "'"))


@pytest.fixture(scope="module")
def wiki_article(tmp_path_factory: pytest.TempPathFactory) -> Article:
    return load_wikitext(WIKITEXT, str(tmp_path_factory.mktemp("wiki") / "kalbajar.wiki"))


def test_printable_characters_cover_what_articles_hold() -> None:
    for char in "’“”‘…–—əÖöçşğıİéüñłő€§°×":
        assert printable(char), char
    for char in "КՔƏ漢":
        assert not printable(char), char


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_shipped_article_compiles_cleanly(
    engine: str, paper: str, article: Article, tmp_path: Path
) -> None:
    tex = to_latex(article, paper=paper)
    _, reader = compile_with(engine, tex, tmp_path)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            PAGE_SIZES[paper], abs=1
        )
    text = pdf_text(reader)
    first = next(iter(article.sentences()))
    assert squeezed(first.text) in text
    table = NoteTable.of(article)
    for note in table.notes:  # every work's note and every explanatory note is printed
        if note.kind == "note":
            said = " ".join(s.text for s in article.explanatory_note(note.key).sentences)
        else:
            said = plain(HOUSE_STYLE.note(article.bibliography[note.key], note.locator))
        assert squeezed(said)[:60] in text, (engine, note)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_wikipedia_article_compiles_cleanly(engine: str, wiki_article: Article, tmp_path: Path) -> None:
    tex = to_latex(wiki_article, paper="letter")
    assert tex.isascii() and "\\usepackage[safe]{tipa}" in tex  # ə is tipa's \textschwa
    _, reader = compile_with(engine, tex, tmp_path)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {
        (612, 792)
    }
    text = pdf_text(reader)
    for sentence in wiki_article.sentences():
        # tipa prints ə but its font maps it to "@" (its slot) for text extraction: ə is left out
        assert squeezed(sentence.text).replace("ə", "") in text.replace("@", ""), (engine, sentence.text)
    assert squeezed("“Kalbajar”") in text and squeezed("conflict…") in text and "—" in text
    assert squeezed("Azerbaijan: Seven Years of Conflict in Nagorno-Karabakh") in text  # the note, typed out
    assert "digitallibrary.un.org/record/164484" in text  # the long URL, broken but whole


@pytest.mark.parametrize("engine", ENGINES)
def test_every_printable_character_prints(engine: str, tmp_path: Path) -> None:
    chars = "".join(c for c in map(chr, range(0xA0, 0x3000)) if printable(c) and not c.isspace())
    body = "\n\n".join(escape_latex(chars[i : i + 30]) for i in range(0, len(chars), 30))
    tex = (
        "\\documentclass{article}\n\\usepackage{iftex}\n\\ifPDFTeX\\usepackage[utf8]{inputenc}\\fi\n"
        "\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n\\usepackage{textcomp}\n\\usepackage[safe]{tipa}\n"
        "\\begin{document}\n\\raggedright\n" + body + "\n\\end{document}\n"
    )
    _, reader = compile_with(engine, tex, tmp_path)  # no undefined command, no missing character
    assert squeezed("ÀÁÂ") in pdf_text(reader)


@pytest.mark.parametrize("text", ["Кельбаджар", "Քարվաճառ", "Əliyev"])
def test_a_character_latex_cannot_print_stops_the_build_by_name(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, bib = write_document(tmp_path, f"# One {{#one}}\n\nThe town of {text} fell.[@book]\n", BIB)
    assert main(["--content", str(content), "--bib", str(bib), "--format", "latex", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"U+{ord(text[0]):04X}" in err and "LaTeX cannot print" in err, err
    assert not (tmp_path / "doc.tex").exists()
