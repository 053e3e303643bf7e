"""The README is the manual: its marker table must match the library and the article."""

from __future__ import annotations

import re
from pathlib import Path

from kalbajar_report import Article, marker_map

README = Path(__file__).resolve().parents[1] / "README.md"
ROW = re.compile(r"^\| \[(\d+)\] \| `([^`]+)` \| (.+) \|$")


def test_marker_table_matches_the_library_and_the_text(article: Article) -> None:
    rows = [ROW.match(line) for line in README.read_text(encoding="utf-8").splitlines()]
    table = {m.group(1): (m.group(2), m.group(3)) for m in rows if m}
    assert {k: v[0] for k, v in table.items()} == marker_map()
    for label, (key, cell) in table.items():
        cited = [s.text for s in article.sentences() if any(c.key == key for c in s.citations)]
        quoted = re.findall(r"“(.+?) …”", cell)
        assert len(quoted) == len(cited), label
        for start, sentence in zip(quoted, cited, strict=True):
            assert sentence.startswith(start), (label, start)


def test_readme_python_examples_run(tmp_path: Path, monkeypatch: object) -> None:
    import contextlib
    import io
    import os

    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert blocks
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        for block in blocks:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(old)
    assert (tmp_path / "excerpt" / "kalbajar-briefing.pdf").exists()
    assert (tmp_path / "my-report.pdf").exists()


def test_readme_content_example_is_a_valid_article() -> None:
    from kalbajar_report import load_bibliography, parse_article

    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The content format") :]
    example = re.search(r"```\n(@title:.*?)```", section, flags=re.S)
    assert example
    article = parse_article(example.group(1), "README.md", load_bibliography())
    assert [c.key for c in article.citations()] == ["kalbajar-ref-14", "melkonian2005", "melkonian2005"]
    first = next(article.sentences())
    assert first.provenance.origin == "old" and first.provenance.edits[-1].pairs == (
        ("Kelbajar", "Kalbajar"),
    )


def test_readme_syntax_example_reads_as_it_says() -> None:
    from kalbajar_report import load_bibliography, parse_article
    from kalbajar_report.model import ListBlock

    text = README.read_text(encoding="utf-8")
    example = re.search(r"```\n(Defeats had followed.*?)```", text, flags=re.S)
    assert example
    article = parse_article("@title: T\n\n# A {#a}\n\n" + example.group(1), "README.md", load_bibliography())
    first, styled, *_ = article.sentences()
    assert [(c.kind, c.locator) for c in first.citations] == [
        ("numbered", "p. 12"),
        ("named", "pp. 3–5"),
        ("note", None),
    ]
    assert {styled.text[s.start : s.end]: s.style for s in styled.spans} == {
        "My Brother’s Road": "italic",
        "published": "bold",
        "2005": "link",
    }
    lists = [b for b in article.sections[0].blocks if isinstance(b, ListBlock)]
    assert [(b.ordered, [i.depth for i in b.items]) for b in lists] == [(False, [1, 2]), (True, [1])]
