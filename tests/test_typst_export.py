"""The Typst export compiles with the typst package: its .bib is read by Typst's own bibliography support
(hayagriva), every cited work and every explanatory note is a footnote of the compiled PDF, and text that
looks like Typst markup prints literally."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import write_document

from kalbajar_report import Article, load_article
from kalbajar_report.cli import main
from kalbajar_report.exports import FORMATS, export
from kalbajar_report.exports.typst import escape_typst, to_typst

typst = pytest.importorskip("typst", reason="the typst package (pip install typst) compiles the export")
pypdf = pytest.importorskip("pypdf")


def squeeze(text: str) -> str:
    """Text compared as the PDF gives it back: no spaces or line breaks, straight quotes, lower case."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", "", text).casefold()


def compile_text(typ: Path) -> str:
    pdf = typst.compile(str(typ))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def compiled(article: Article, folder: Path) -> tuple[str, str]:
    """Export ``article`` as Typst into ``folder``, compile it; the .typ source and the PDF's text."""
    paths = export(article, "typst", folder)
    typ = next(p for p in paths if p.suffix == ".typ")
    assert any(p.suffix == ".bib" for p in paths)  # the bibliography file beside it
    return typ.read_text(encoding="utf-8"), compile_text(typ)


def cited_works(article: Article) -> list[str]:
    keys: dict[str, None] = {}
    for sec in article.walk():
        for cite in sec.citations():
            if cite.kind != "note":
                keys[cite.key] = None
    for fact in article.facts:
        keys.update(dict.fromkeys(c.key for c in fact.sentence.citations if c.kind != "note"))
    return list(keys)


def note_keys(article: Article) -> list[str]:
    return list(dict.fromkeys(c.key for sec in article.walk() for c in sec.citations() if c.kind == "note"))


def test_registered_and_in_format_all() -> None:
    assert FORMATS["typst"] == ("<slug>.typ", "<slug>.bib")
    from kalbajar_report.cli import EXPORT_FORMATS

    assert "typst" in EXPORT_FORMATS


def test_shipped_article_compiles_with_every_note(article: Article, tmp_path: Path) -> None:
    source, text = compiled(article, tmp_path)
    assert '#bibliography("kalbajar.bib", style: "chicago-notes"' in source
    flat = squeeze(text)
    for sec in article.walk():
        assert squeeze(sec.title) in flat, sec.title
    works = cited_works(article)
    assert works
    for key in works:
        title = article.bibliography[key].text("title") or ""
        # the note chicago-notes sets for the work names it by its title
        assert squeeze(title) in flat, (key, title)
        assert f'label("{key}")' in source
    for key in note_keys(article):
        assert squeeze(article.explanatory_note(key).text) in flat, key
    for fact in article.facts:
        assert squeeze(fact.label) in flat
    for item in article.glossary:
        assert squeeze(item.term) in flat


def test_cli_writes_typst(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--format", "typst", "-o", str(tmp_path)]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kalbajar.bib", "kalbajar.typ"]


WIKI = """'''Testland''' is a ''small'' country.<ref name="book">{{cite book |last=Author |first=Ann \
|title=A History of Testland |year=2001 |publisher=Test Press}}</ref> It has a border.{{efn|The border \
is disputed by the neighbours.}}

== Geography ==
Testland has:
* high mountains<ref>{{cite web |title=Mountains of Testland |url=https://example.org/m \
|website=Example}}</ref>
* '''deep''' lakes
** and ''rivers''

It lies north.<ref name="book"/>

== Notes ==
{{notelist}}

== References ==
{{reflist}}
"""


def test_wikitext_article_compiles_with_its_explanatory_note(tmp_path: Path) -> None:
    wiki = tmp_path / "testland.wiki"
    wiki.write_text(WIKI, encoding="utf-8")
    article = load_article(wiki)
    notes = note_keys(article)
    assert notes
    source, text = compiled(article, tmp_path / "out")
    flat = squeeze(text)
    for key in notes:
        assert squeeze(article.explanatory_note(key).text) in flat
    assert "#footnote[" in source
    assert "#strong[" in source and "#emph[" in source
    for words in ("high mountains", "deep lakes", "and rivers", "A History of Testland"):
        assert squeeze(words) in flat, words
    assert re.search(r"^  - ", source, flags=re.M)  # the nested item


HOSTILE = (
    '#import "x": * $x$ *bold* _it_ @key //comment /* c */ <lab> [a] ~ = h - + 1. -- --- ... '
    "'q' \"d\" \\u{41} \\ https://x.org a:b `raw` x^2 {b} -? #{ panic() } {{ 7*7 }}"
)


def test_escaped_text_prints_literally(tmp_path: Path) -> None:
    typ = tmp_path / "plain.typ"
    typ.write_text("#set page(width: 30cm)\n" + escape_typst(HOSTILE) + "\n", encoding="utf-8")
    assert squeeze(HOSTILE) in squeeze(compile_text(typ))


def test_hostile_article_text_prints_literally(tmp_path: Path) -> None:
    bib = "@book{a/b:c.d_e-f,\n  author = {Melkonian, Markar},\n  title = {Typst Road},\n  year = {2005}\n}\n"
    body = "# One {#one}\n\nThe text says #import and $x$ and @key and //comment here.[@a/b:c.d_e-f, p. 12]\n"
    folder = tmp_path / "doc"
    folder.mkdir()
    content, bib_path = write_document(folder, body, bib, header="@subtitle: *bold* <lab> #set [x]\n")
    article = load_article(content, bib_path)
    source, text = compiled(article, tmp_path / "out")
    flat = squeeze(text)
    assert squeeze("The text says #import and $x$ and @key and //comment here.") in flat
    assert squeeze("*bold* <lab> #set [x]") in flat
    assert squeeze("Typst Road") in flat and squeeze("p. 12") in flat  # the key with "/" works
    assert 'label("a/b:c.d_e-f"), supplement: [p\\. 12]' in source
    assert to_typst(article).startswith("// Generated by kalbajar_report")
