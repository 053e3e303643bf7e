"""The exported .bib read back with bibtexparser."""

from __future__ import annotations

import bibtexparser

from kalbajar_report import Article, BuildResult


def test_bib_parses_and_every_marker_resolves(built: BuildResult, article: Article) -> None:
    library = bibtexparser.parse_file(str(built.bib))
    assert not library.failed_blocks
    entries = library.entries_dict
    for cite in article.citations():
        assert cite.key in entries
    # written as biblatex's custom field usera (biber does not know "marker"); our reader reads both
    markers = {e.fields_dict["usera"].value: k for k, e in entries.items() if "usera" in e.fields_dict}
    assert not any("marker" in e.fields_dict for e in library.entries)
    assert set(markers) == {c.label for c in article.citations() if c.kind == "numbered"}


def test_numbered_entries_say_only_what_is_known(built: BuildResult, article: Article) -> None:
    library = bibtexparser.parse_file(str(built.bib))
    invented = {"author", "editor", "year", "date", "pages", "isbn", "publisher", "journal", "volume", "doi"}
    for entry in library.entries:
        if "usera" not in entry.fields_dict:
            continue
        assert not invented & set(entry.fields_dict), entry.key
        assert "Battle of Kalbajar" in entry.fields_dict["note"].value
        assert entry.fields_dict["url"].value == "https://en.wikipedia.org/wiki/Battle_of_Kalbajar"
        # the claims an entry supports are in the article and its notes, never appended to the entry
        assert "addendum" not in entry.fields_dict, entry.key


def test_named_works_carry_the_given_facts(built: BuildResult) -> None:
    e = bibtexparser.parse_file(str(built.bib)).entries_dict
    assert e["melkonian2005"].fields_dict["isbn"].value == "1-85043-635-5"
    assert e["melkonian2005"].fields_dict["publisher"].value == "I.B. Tauris"
    assert e["hrw1994"].fields_dict["isbn"].value == "1-56432-142-8"
    assert "S/RES/822" in e["unsc822"].fields_dict["howpublished"].value
    assert e["unsc822"].fields_dict["date"].value == "1993-04-30"
    assert e["zinvor1993"].fields_dict["journal"].value == "Zinvor"
    assert e["zinvor1993"].fields_dict["date"].value == "1993-04-22"
    assert "Ishkhanian" in e["zinvor1993"].fields_dict["author"].value
    assert "kalbajar-wikipedia" in e and "kalbajar-briefing" in e


def test_bibtex_text_decoding_agrees_with_pylatexenc() -> None:
    from pylatexenc.latex2text import LatexNodes2Text

    from kalbajar_report.bibliography import bibtex_to_text, load_bibliography

    decoder = LatexNodes2Text(math_mode="verbatim")
    values = [v for e in load_bibliography().entries for k, v in e.fields if k not in {"url", "marker"}]
    values += [
        "Caf\\'e {\\\"O}zal",
        "K{\\u{a}}lbajar \\& co --- x",
        "``quoted'' -- {Case}",
        "a~b \\_ \\% \\#",
    ]
    for value in values:
        assert bibtex_to_text(value) == " ".join(decoder.latex_to_text(value).split()), value
