"""Property-based tests (hypothesis): a generated article either builds, with every marker's note on
its page and the .bib round-tripping, or fails with a clean one-line error and exit status 2."""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from html import unescape
from pathlib import Path

import bibtexparser
import jsonschema
from conftest import numbered_entry, write_document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pdfread import lines_before_gaps, markers_on_page, note_labels_on_page, open_pdf, page_runs

from kalbajar_report import load_article
from kalbajar_report.cli import main
from kalbajar_report.exports.html import to_html
from kalbajar_report.exports.jsonmodel import schema_text, to_json

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LIST_ITEM = re.compile(r"(?:-|\d{1,3}\.) ")
SPECIALS = "&%$#_{}~^\\<>\"'.,;:!?()[]/*=+-–—“”‘’ÖöəƏçşğıéü€§"
ALPHABET = st.sampled_from(LETTERS * 3 + SPECIALS)
WORD = (
    st.text(ALPHABET, min_size=1, max_size=12)
    .filter(lambda w: (w.count("[") + w.count("]")) == 0)
    .map(str.strip)
    .filter(bool)
)
SENTENCE = (
    st.lists(WORD, min_size=1, max_size=25)
    .map(" ".join)
    .filter(lambda s: not s.startswith(("@", "#", ">", "~", "%")) and s.strip() == s)
    .filter(lambda s: not LIST_ITEM.match(s))  # "- x" and "1. x" are list items
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str, int]:
    entries = draw(st.integers(min_value=1, max_value=6))
    bib = "".join(
        numbered_entry(n, draw(SENTENCE).replace("{", "(").replace("}", ")").replace("\\", "/"))
        for n in range(1, entries + 1)
    )
    sections = draw(st.integers(min_value=0, max_value=3)) if draw(st.integers(0, 9)) == 9 else 2
    body = []
    for i in range(sections):
        body.append(f"# {draw(WORD)} {{#s{i}}}\n")
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            lines = []
            for _ in range(draw(st.integers(min_value=1, max_value=5))):
                top = entries + (
                    1 if draw(st.integers(0, 19)) == 19 else 0
                )  # now and then a marker with no entry
                marks = draw(st.lists(st.integers(min_value=1, max_value=top), max_size=3))
                lines.append(draw(SENTENCE) + "".join(f"[{m}]" for m in marks))
            body.append("\n".join(lines) + "\n")
    return "\n".join(body), bib, entries


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_build_succeeds_with_notes_on_their_pages_or_fails_cleanly(
    tmp_path: Path, doc: tuple[str, str, int]
) -> None:
    body, bib, _ = doc
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    content, bib_path = write_document(folder, body, bib)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--content", str(content), "--bib", str(bib_path), "-o", str(folder / "out")])
    event(f"exit status {status}")
    if status == 2:
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err.getvalue()
        assert str(content) in lines[0] or str(bib_path) in lines[0]
        assert not (folder / "out" / "generated-test-document-briefing.pdf").exists()
        return
    assert status == 0, err.getvalue()
    reader = open_pdf(folder / "out" / "generated-test-document-briefing.pdf")
    for index in range(len(reader.pages)):
        runs = page_runs(reader, index)
        assert set(markers_on_page(runs)) <= set(note_labels_on_page(runs))
    article = load_article(content, bib_path)
    data = json.loads(to_json(article))
    jsonschema.validate(data, json.loads(schema_text()))
    sentences = [s["text"] for sec in _walk(data["sections"]) for b in sec["blocks"] for s in b["sentences"]]
    assert sentences == [s.text for s in article.sentences()]
    page = unescape(to_html(article))
    for sentence in article.sentences():
        assert sentence.text in page
    written = (folder / "out" / "generated-test-document.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(written)
    assert not library.failed_blocks
    again = bibtexparser.parse_string(bibtexparser.write_string(library))
    assert [(e.key, e.fields_dict.keys()) for e in again.entries] == [
        (e.key, e.fields_dict.keys()) for e in library.entries
    ]


def _walk(sections: list[dict[str, object]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for section in sections:
        out.append(section)
        out += _walk(section["subsections"])  # type: ignore[arg-type]
    return out


LAYOUT_WORDS = "the column advanced through passes while refugees crossed towards northern towns".split()


@st.composite
def dense_documents(draw: st.DrawFn) -> tuple[str, str]:
    """One section of paragraphs of many markers, notes from one line to a few pages long."""
    entries = draw(st.integers(min_value=1, max_value=14))
    bib = ""
    for n in range(1, entries + 1):
        clauses = draw(st.sampled_from([1, 1, 2, 5, 20, 60, 160, 300]))
        note = " ".join(f"Clause {i} of note {n} explains its source." for i in range(clauses))
        bib += numbered_entry(n, note)
    paras = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        sentences = []
        for _ in range(draw(st.integers(min_value=1, max_value=24))):
            words = draw(st.lists(st.sampled_from(LAYOUT_WORDS), min_size=3, max_size=40))
            marks = draw(st.lists(st.integers(min_value=1, max_value=entries), max_size=3))
            sentences.append(" ".join(words).capitalize() + "." + "".join(f"[{m}]" for m in marks))
        paras.append("\n".join(sentences) + "\nThe paragraph ends here, finis.")
    return "# Dense {#dense}\n\n" + "\n\n".join(paras) + "\n", bib


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=dense_documents())
def test_dense_documents_build_with_every_note_on_its_page_and_split_notes_continued(
    tmp_path: Path, doc: tuple[str, str]
) -> None:
    body, bib = doc
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    content, bib_path = write_document(folder, body, bib)
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(["--content", str(content), "--bib", str(bib_path), "-o", str(folder / "out")])
    assert status == 0, err.getvalue()
    reader = open_pdf(folder / "out" / "generated-test-document-briefing.pdf")
    texts = [reader.pages[i].extract_text() for i in range(len(reader.pages))]
    event(f"{len(texts)} pages, {sum('continued on the next page' in t for t in texts)} with a split note")
    for index, text in enumerate(texts):
        runs = page_runs(reader, index)
        assert set(markers_on_page(runs)) <= set(note_labels_on_page(runs)), f"page {index + 1}"
        if "continued on the next page" in text:
            assert "cont." in texts[index + 1], f"page {index + 2}"
        for before in lines_before_gaps(runs):
            assert "finis." in before, f"page {index + 1}: a gap after {before!r}"


def _split_reference(text: str) -> list[str]:
    """A provenance line split at ``;`` outside double quotes, character by character: the plain reading
    of the rule (inside quotes a backslash escapes the next character; an unclosed quote runs to the end;
    empty pieces are dropped)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            current.append(char)
            if char == "\\" and i + 1 < len(text):
                current.append(text[i + 1])
                i += 2
                continue
            quoted = char != '"'
        elif char == ";":
            if current:
                parts.append("".join(current))
            current = []
        else:
            current.append(char)
            quoted = char == '"'
        i += 1
    if current:
        parts.append("".join(current))
    return parts or [""]


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(["a", ";", '"', "\\", " ", "→", "-", ">", ","]), max_size=40))
def test_provenance_edits_split_as_the_rule_says(text: str) -> None:
    from kalbajar_report.reader import _split_edits

    assert _split_edits(text) == _split_reference(text)
