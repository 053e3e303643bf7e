"""Every field an entry carries comes out: in the house style's reference (notes, references list, HTML),
in the PDF, in CSL-JSON (read by citeproc-py), in RIS and in the written .bib (bibtexparser and pybtex)."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

import bibtexparser
import pdfplumber
import pytest
from conftest import write_document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kalbajar_report import load_article
from kalbajar_report.bibliography import load_bibliography, parse_bibliography
from kalbajar_report.bibtex import write_bibtex, written_fields
from kalbajar_report.citestyle import format_entry, person_names, plain
from kalbajar_report.cli import main
from kalbajar_report.exports.csl import csl_item, to_csl_json
from kalbajar_report.exports.ris import to_ris
from kalbajar_report.model import Bibliography, Entry
from kalbajar_report.names import split_names


def as_written(entry: Entry) -> tuple[tuple[str, str], ...]:
    """The text an entry's fields read back with once written: the same text (case-protecting braces
    print nothing), the marker in ``usera``."""
    names = {k for k, _ in entry.text_fields}
    rename = {"marker": "usera"} if "usera" not in names else {}
    return tuple((rename.get(k, k), v) for k, v in entry.text_fields)


TYPES = [
    "article",
    "book",
    "booklet",
    "inbook",
    "incollection",
    "inproceedings",
    "conference",
    "manual",
    "mastersthesis",
    "phdthesis",
    "techreport",
    "report",
    "unpublished",
    "online",
    "misc",
    "collection",
    "proceedings",
    "thesis",
    "patent",
    "dataset",
    "software",
    "customtype",
]

# every standard field with a value whose words can be looked for in every output
FIELDS = {
    "author": "Febvre, Lucien and Henri-Jean Martin",
    "editor": "Ludwig van Beethoven and Ford, Jr., Henry",
    "translator": "Gerard, David",
    "title": "Alpha Title",
    "subtitle": "Bravo Subtitle",
    "booktitle": "Charlie Booktitle",
    "journal": "Delta Journal",
    "volume": "17",
    "number": "4",
    "issue": "Spring issue",
    "pages": "45--67",
    "edition": "2",
    "series": "Echo Series",
    "chapter": "9",
    "publisher": "Foxtrot Press",
    "address": "Golf City",
    "institution": "Hotel Institute",
    "organization": "India Organisation",
    "school": "Juliet School",
    "howpublished": "Kilo medium",
    "type": "Lima type",
    "year": "1976",
    "month": "apr",
    "note": "Mike note",
    "addendum": "November addendum",
    "isbn": "978-0-86091-797-1",
    "issn": "1234-5678",
    "doi": "10.1000/xyz123",
    "url": "https://example.org/oscar",
    "urldate": "2020-05-01",
    "language": "english",
    "eprint": "2101.00001",
    "eprinttype": "arxiv",
    "pagetotal": "320",
    "venue": "Papa Venue",
    "eventtitle": "Quebec Event",
    "version": "3.1",
    "abstract": "Romeo abstract",
    "customfield": "Sierra custom",
}
PRINTED_AS = {
    "pages": "45–67",
    "edition": "2nd ed.",
    "month": "April 1976",
    "year": "April 1976",
    "urldate": "1 May 2020",
    "language": "English",
    "doi": "https://doi.org/10.1000/xyz123",
    "customfield": "customfield: Sierra custom",
    "eprinttype": "arXiv: 2101.00001",
}


def full_entry(kind: str, fields: dict[str, str] = FIELDS, key: str = "full") -> str:
    body = "".join(
        f"  {name} = {value},\n" if name == "month" else f"  {name} = {{{value}}},\n"
        for name, value in fields.items()
    )
    return f"@{kind}{{{key},\n{body}}}\n"


def entry_of(kind: str) -> Entry:
    return parse_bibliography(full_entry(kind), "full.bib")["full"]


def expected_texts(entry: Entry) -> dict[str, list[str]]:
    """The pieces of text each field must show as."""
    out: dict[str, list[str]] = {}
    for name, _ in entry.fields:
        if name in {"author", "editor", "translator"}:
            out[name] = person_names(entry.field(name) or "")
        else:
            out[name] = [PRINTED_AS.get(name, entry.text(name) or "")]
    return out


@pytest.mark.parametrize("kind", TYPES)
def test_the_reference_prints_every_field(kind: str) -> None:
    entry = entry_of(kind)
    text = plain(format_entry(entry))
    for name, pieces in expected_texts(entry).items():
        if name == "abstract":
            assert "Romeo" not in text  # a summary, not part of a reference (citestyle.NOT_PRINTED)
            continue
        for piece in pieces:
            assert piece in text, (kind, name, piece, text)
    runs = format_entry(entry)
    assert {r.url for r in runs if r.url} == {
        "https://example.org/oscar",
        "https://doi.org/10.1000/xyz123",
        "https://arxiv.org/abs/2101.00001",
    }
    assert any(r.italic for r in runs)


def test_names_keep_von_and_jr() -> None:
    names = split_names("Ludwig van Beethoven and Ford, Jr., Henry and {Human Rights Watch} and others")
    assert [(n.given, n.von, n.family, n.jr) for n in names[:2]] == [
        ("Ludwig", "van", "Beethoven", ""),
        ("Henry", "", "Ford", "Jr."),
    ]
    assert names[2].literal == "Human Rights Watch"
    assert names[3].others
    assert person_names("van Beethoven, Ludwig") == ["Ludwig van Beethoven"]
    assert plain(
        format_entry(parse_bibliography("@book{a, author = {A and B and C and others}}", "x")["a"])
    ) == ("A, B, and C et al.")


def test_shipped_numbered_entries_print_only_what_they_carry() -> None:
    for entry in load_bibliography().entries:
        if entry.marker is None:
            continue
        text = plain(format_entry(entry))
        assert text.startswith(f"Battle of Kalbajar, reference {entry.marker}, Wikipedia.")
        assert "The cited work is not identified" in text
        assert text.endswith("https://en.wikipedia.org/wiki/Battle_of_Kalbajar")
        assert not re.search(r"\b(19|20)\d\d\b", text)  # no date, since none is given


def test_numbered_entry_with_data_prints_it_in_the_pdf(tmp_path: Path) -> None:
    """Note 2 once said only "Translated by David Gerard" of a book with authors, year and publisher."""
    bib = (
        "@book{febvre,\n  author = {Febvre, Lucien and Martin, Henri-Jean},\n"
        "  title = {The Coming of the Book},\n  translator = {Gerard, David},\n  publisher = {Verso},\n"
        "  address = {London},\n  year = {1976},\n  note = {Translated by David Gerard},\n"
        "  marker = {2},\n}\n"
        "@article{vb,\n  author = {Ludwig van Beethoven},\n  title = {Letters},\n"
        "  journal = {Music Review},\n  volume = {12},\n  pages = {45--67},\n  year = {1990},\n"
        "  doi = {10.1000/vb},\n  keywords = {named-work},\n}\n"
    )
    content, bib_path = write_document(tmp_path, "# A {#a}\n\nA claim.[2]\nAnother.[@vb]\n", bib)
    assert main(["--content", str(content), "--bib", str(bib_path), "-o", str(tmp_path / "out")]) == 0
    with pdfplumber.open(tmp_path / "out" / "generated-test-document-briefing.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    for piece in [
        "Lucien Febvre and Henri-Jean Martin",
        "The Coming of the Book",
        "translated by David Gerard",
    ]:
        assert text.count(piece) >= 2, piece  # in the note and in the references list
    assert "London: Verso, 1976" in text
    assert "Ludwig van Beethoven" in text and "Music Review" in text
    assert "vol. 12" in text and "pp. 45–67" in text and "https://doi.org/10.1000/vb" in text


@pytest.mark.parametrize("kind", TYPES)
def test_csl_json_carries_every_field_and_citeproc_reads_it(kind: str) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    entry = entry_of(kind)
    item = json.loads(to_csl_json(Bibliography((entry,))))[0]
    dumped = json.dumps(item, ensure_ascii=False)
    for name, value in entry.text_fields:
        if name in {"author", "editor", "translator", "month", "year", "urldate", "doi"}:
            continue
        assert value in dumped, (kind, name, value)
    assert item["author"] == [
        {"family": "Febvre", "given": "Lucien"},
        {"family": "Martin", "given": "Henri-Jean"},
    ]
    assert item["editor"] == [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "Ford", "given": "Henry", "suffix": "Jr."},
    ]
    assert item["translator"] == [{"family": "Gerard", "given": "David"}]
    assert item["issued"] == {"date-parts": [[1976, 4]]}
    assert item["accessed"] == {"date-parts": [[2020, 5, 1]]}
    assert item["DOI"] == "10.1000/xyz123"
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem("full")]))
    rendered = str(bibliography.bibliography()[0])
    assert "Febvre" in rendered and "1976" in rendered


def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, line
        if match.group(1) == "ER":
            records.append(current)
            current = []
        else:
            current.append((match.group(1), match.group(2)))
    return records


@pytest.mark.parametrize("kind", TYPES)
def test_ris_carries_every_field(kind: str) -> None:
    entry = entry_of(kind)
    (record,) = parse_ris(to_ris(Bibliography((entry,))))
    lines = "\n".join(f"{t}  - {v}" for t, v in record)
    tags = [t for t, _ in record]
    assert ("AU", "Febvre, Lucien") in record and ("AU", "Martin, Henri-Jean") in record
    assert ("ED", "van Beethoven, Ludwig") in record and ("ED", "Ford, Henry, Jr.") in record
    assert ("A4", "Gerard, David") in record
    assert ("SP", "45") in record and ("EP", "67") in record
    assert ("DO", "10.1000/xyz123") in record and ("PY", "1976") in record and ("DA", "1976/04//") in record
    assert ("Y2", "2020/05/01/") in record
    assert ("SN", "978-0-86091-797-1") in record and ("SN", "1234-5678") in record
    assert tags.count("TI") == 1 and tags[:2] == ["TY", "ID"]
    for name, value in entry.text_fields:
        if name in {"author", "editor", "translator", "pages", "month", "year", "urldate", "doi"}:
            continue
        assert value in lines, (kind, name, value)


@pytest.mark.parametrize("kind", TYPES)
def test_written_bib_keeps_every_field_for_bibtexparser_and_pybtex(kind: str) -> None:
    from pybtex.database import parse_string as pybtex_parse

    entry = entry_of(kind)
    text = write_bibtex(Bibliography((entry,)))
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    written = library.entries[0]
    assert written.entry_type == kind and written.key == "full"
    assert {f.key: f.value for f in written.fields} == dict(written_fields(entry))
    again = parse_bibliography(text, "again.bib")["full"]
    assert again.text_fields == as_written(entry) and again.marker == entry.marker
    pybtex_entry = pybtex_parse(text, "bibtex").entries["full"]
    assert str(pybtex_entry.fields["title"]) == "Alpha {Title}"
    assert [str(p) for p in pybtex_entry.persons["author"]] == ["Febvre, Lucien", "Martin, Henri-Jean"]
    assert [p.prelast_names for p in pybtex_entry.persons["editor"]] == [["van"], []]


# --- property: whatever goes in comes out --------------------------------------------------------------
WORD = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éöə"),
    min_size=1,
    max_size=8,
)
VALUE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
TEXT_FIELDS = [
    f for f in FIELDS if f not in {"author", "editor", "translator", "month", "url", "doi", "urldate"}
]
NAME = st.tuples(WORD, WORD).map(lambda p: f"{p[1].capitalize()}, {p[0].capitalize()}")


@st.composite
def bib_files(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, dict[str, str]]]]:
    entries = []
    for n in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(TYPES))
        fields = {name: draw(VALUE) for name in draw(st.sets(st.sampled_from(TEXT_FIELDS), max_size=12))}
        for role in draw(st.sets(st.sampled_from(["author", "editor", "translator"]))):
            fields[role] = " and ".join(draw(st.lists(NAME, min_size=1, max_size=3)))
        if draw(st.booleans()):
            fields["url"] = f"https://example.org/{draw(WORD)}"
        if draw(st.booleans()):
            fields["doi"] = f"10.{draw(st.integers(1000, 99999))}/{draw(WORD)}"
        if draw(st.booleans()):
            fields["year"] = str(draw(st.integers(1000, 2100)))
        entries.append((kind, f"key-{n}", fields))
    text = "\n".join(full_entry(kind, fields, key) for kind, key, fields in entries)
    return text, entries


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bib=bib_files())
def test_what_goes_in_comes_out(bib: tuple[str, list[tuple[str, str, dict[str, str]]]]) -> None:
    text, entries = bib
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.bib"
        path.write_text(text, encoding="utf-8")
        bibliography = load_bibliography(path)
        written = Path(folder) / "out.bib"
        written.write_text(write_bibtex(bibliography), encoding="utf-8")
        again = load_bibliography(written)
    assert [e.text_fields for e in again.entries] == [as_written(e) for e in bibliography.entries]
    csl = json.loads(to_csl_json(bibliography))
    ris = to_ris(bibliography)
    for (kind, key, fields), entry, item in zip(entries, bibliography.entries, csl, strict=True):
        assert entry.key == key and entry.entry_type == kind
        assert dict(entry.fields) == fields
        reference = plain(format_entry(entry))
        dumped = json.dumps(item, ensure_ascii=False)
        for name, value in fields.items():
            if name in {"author", "editor", "translator"}:
                for person in split_names(value):
                    assert person.family in dumped and person.family in ris and person.family in reference
            elif name == "doi":
                assert value in dumped and value in ris and value in reference
            elif name == "year":
                assert value in reference and value in ris and value in dumped
            elif name != "abstract":
                assert value.casefold() in reference.casefold(), (name, value, reference)  # "in English"
                assert value in dumped and value in ris, (name, value)
        assert csl_item(entry)["id"] == key


def test_shipped_bib_still_round_trips() -> None:
    article = load_article()
    text = write_bibtex(article.bibliography, article)
    again = parse_bibliography(text, "written.bib")
    assert [(e.key, e.text_fields, e.marker) for e in again.entries] == [
        (e.key, as_written(e), e.marker) for e in article.bibliography.entries
    ]
    assert io.StringIO(text).readline().startswith("% Citation library of ")
