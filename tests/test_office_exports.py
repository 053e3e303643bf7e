"""Word, OpenDocument and EPUB through Pandoc (the ``office`` extra): every citation and explanatory note a
real footnote of the format, read back from the files themselves; and the one-line error without Pandoc."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from kalbajar_report import Article, build_outputs, export, load_article
from kalbajar_report.cli import main
from kalbajar_report.exports import to_markdown
from kalbajar_report.exports.office import pandoc_available

needs_pandoc = pytest.mark.skipif(
    not pandoc_available(), reason="Pandoc is not installed: pip install 'kalbajar-report[office]'"
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

WIKI = """\
The '''Battle of Testville''' was fought in 1993.<ref name="dewaal">{{cite book |last=de Waal \
|first=Thomas |title=Black Garden |publisher=New York University Press |year=2003 |page=212}}</ref>

== Background ==
The valley was contested.{{efn|Disputed by the other side, which kept its own count.}} It is quiet now.\
<ref>{{cite news |last=Smith |first=John |title=Offensive in the mountains |work=The Times \
|date=4 April 1993}}</ref>

== Notes ==
{{notelist}}

== References ==
{{reflist}}
"""


def _text(element: ET.Element, tag: str) -> str:
    return "".join(t.text or "" for t in element.iter(tag))


def docx_footnotes(path: Path) -> list[str]:
    """The text of each real footnote of a .docx (not Word's separators)."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/footnotes.xml"))
    return [_text(f, f"{W}t") for f in root.iter(f"{W}footnote") if f.get(f"{W}type") is None]


def docx_body(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    return "\n".join(_text(p, f"{W}t") for p in root.iter(f"{W}p"))


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, article: Article, epoch: str) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("office")
    paths = build_outputs(article, folder, ["docx", "odt", "epub"])
    return {p.suffix[1:]: p for p in paths}


@needs_pandoc
def test_docx_has_one_word_footnote_per_citation(office: dict[str, Path], article: Article) -> None:
    assert sorted(office) == ["docx", "epub", "odt"]
    notes = docx_footnotes(office["docx"])
    markdown = to_markdown(article)
    assert len(notes) == markdown.count("[@") + markdown.count("^[") > 10
    assert all(n.strip() for n in notes)
    assert any("My Brother’s Road" in n for n in notes)  # the cited work, set by the note style
    body = docx_body(office["docx"])
    for section in article.walk():
        assert section.title in body, section.title
    assert "References" in body  # the bibliography after the text
    with zipfile.ZipFile(office["docx"]) as z:
        assert 'w:val="en' in z.read("word/styles.xml").decode() or b"en-" in z.read("word/settings.xml")


@needs_pandoc
def test_docx_reads_back_with_python_docx(office: dict[str, Path], article: Article) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document(str(office["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    titles = [s.title for s in article.walk()]
    assert headings[: len(titles)] == titles  # then key facts, timeline, glossary and the references
    assert "References" in headings[len(titles) :]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_footnotes_number_on_through_the_document(office: dict[str, Path]) -> None:
    # restarting at each section, LibreOffice began the notes of every top heading again at 1
    with zipfile.ZipFile(office["docx"]) as z:
        names = z.namelist()
        body = ET.fromstring(z.read("word/document.xml"))
    restarts = [e.get(f"{W}val") for e in body.iter(f"{W}numRestart")]
    assert restarts and set(restarts) == {"continuous"}, restarts
    assert names[0] == "[Content_Types].xml" and docx_footnotes(office["docx"])  # still a Word document


@needs_pandoc
def test_odt_has_text_notes(office: dict[str, Path], article: Article) -> None:
    with zipfile.ZipFile(office["odt"]) as z:
        root = ET.fromstring(z.read("content.xml"))
    notes = list(root.iter(f"{TEXT_NS}note"))
    markdown = to_markdown(article)
    assert len(notes) == markdown.count("[@") + markdown.count("^[")
    assert {n.get(f"{TEXT_NS}note-class") for n in notes} == {"footnote"}
    assert any("My Brother’s Road" in "".join(n.itertext()) for n in notes)


@needs_pandoc
def test_epub_has_chapters_and_footnotes(office: dict[str, Path], article: Article) -> None:
    with zipfile.ZipFile(office["epub"]) as z:
        names = z.namelist()
        assert names[0] == "mimetype" and z.read("mimetype") == b"application/epub+zip"
        chapters = [n for n in names if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n)]
        text = "".join(z.read(n).decode("utf-8") for n in chapters)
    assert len(chapters) >= len([s for s in article.walk() if s.level == 1])
    markdown = to_markdown(article)
    assert text.count('epub:type="footnote"') == markdown.count("[@") + markdown.count("^[")
    assert "My Brother’s Road" in text
    for section in article.walk():
        assert section.title.replace("&", "&amp;") in text


@needs_pandoc
def test_office_outputs_are_reproducible(office: dict[str, Path], article: Article, tmp_path: Path) -> None:
    again = {p.suffix[1:]: p for p in build_outputs(article, tmp_path, ["docx", "odt", "epub"])}
    for fmt, path in office.items():
        assert again[fmt].read_bytes() == path.read_bytes(), fmt
    with zipfile.ZipFile(office["docx"]) as z:
        assert {i.date_time[:3] for i in z.infolist()} == {(2023, 11, 14)}  # SOURCE_DATE_EPOCH of conftest


@needs_pandoc
def test_wikitext_explanatory_note_is_a_docx_footnote(tmp_path: Path, epoch: str) -> None:
    page = tmp_path / "testville.wiki"
    page.write_text(WIKI, encoding="utf-8")
    (path,) = export(load_article(page), "docx", tmp_path / "out")
    notes = docx_footnotes(path)
    assert any("Disputed by the other side" in n for n in notes), notes
    assert any("Black Garden" in n for n in notes)
    assert any("Offensive in the Mountains" in n for n in notes)  # the note style's title case
    assert len(notes) == 3


@needs_pandoc
def test_cli_writes_docx_and_all_includes_office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "docx", "-o", str(tmp_path / "one")]) == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["kalbajar.docx"]
    assert main(["--format", "all", "-o", str(tmp_path / "all")]) == 0
    names = {p.name for p in (tmp_path / "all").iterdir()}
    assert {"kalbajar.docx", "kalbajar.odt", "kalbajar.epub", "kalbajar-briefing.pdf"} <= names


def _without_pypandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypandoc", None)  # `import pypandoc` raises ImportError


@pytest.mark.parametrize("fmt", ["docx", "odt", "epub"])
def test_missing_pandoc_is_one_line_and_exit_2(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without_pypandoc(monkeypatch)
    assert main(["--format", "md", "--format", fmt, "-o", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = f"{fmt} output needs Pandoc: pip install 'kalbajar-report[office]'"
    assert err == f"kalbajar-report: error: {line}\n"
    assert list(tmp_path.iterdir()) == []  # nothing written, not even the Markdown


def test_all_without_pandoc_leaves_office_formats_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without_pypandoc(monkeypatch)
    assert main(["--format", "all", "-o", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert "kalbajar.md" in names and "kalbajar-briefing.pdf" in names
    assert not names & {"kalbajar.docx", "kalbajar.odt", "kalbajar.epub"}


def test_missing_pandoc_through_the_api(
    article: Article, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kalbajar_report import MissingExtraError, ReportError

    _without_pypandoc(monkeypatch)
    with pytest.raises(MissingExtraError) as info:
        build_outputs(article, tmp_path, ["md", "docx"])
    assert isinstance(info.value, ReportError)
    assert "pip install 'kalbajar-report[office]'" in str(info.value)
    assert list(tmp_path.iterdir()) == []
