"""The shipped article as typed data: structure, citations, provenance, spelling, truth."""

from __future__ import annotations

import re

import pytest

from kalbajar_report import Article, BlockQuote, UnknownSectionError, load_bibliography, marker_map

SOURCE_MARKERS = ["14", "17", "17", "21", "16", "26", "23", "30", "35", "36", "38", "39", "16", "42"]


def numbered_labels(article: Article) -> list[str]:
    return [c.label for c in article.citations() if c.kind == "numbered"]


def test_markers_in_source_order_and_count(article: Article) -> None:
    assert numbered_labels(article) == SOURCE_MARKERS


def test_every_marker_maps_to_exactly_one_entry(article: Article) -> None:
    mapping = marker_map()
    assert set(mapping) == set(SOURCE_MARKERS)
    assert len(set(mapping.values())) == len(mapping)
    for cite in article.citations():
        if cite.kind == "numbered":
            assert mapping[cite.label] == cite.key
            assert article.bibliography[cite.key].marker == cite.label


def test_section_api_returns_sentences_with_citations(article: Article) -> None:
    background = article.section("background")
    assert background.title == "Background"
    sentences = list(background.sentences())
    assert len(sentences) >= 8
    assert any(c.label == "14" for s in sentences for c in s.citations)
    assert all(s.text and "[" not in s.text[-4:] for s in sentences)


def test_unknown_section_is_an_error(article: Article) -> None:
    with pytest.raises(UnknownSectionError, match="no-such-section"):
        article.section("no-such-section")


def test_no_empty_section_and_ids_are_slugs(article: Article) -> None:
    for section in article.walk():
        assert section.blocks or section.subsections, section.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", section.id)
    assert "the-region-of-kelbajar" not in article.section_ids
    assert {"overview", "background", "final-push", "political-ramifications"} <= set(article.section_ids)


ARTEFACTS = [" @", "@ ", " ,", " .", " ;", " :", " 's", "n 't", " ?", '"', "( ", " )", "co -", "  "]


def test_no_tokenization_artefacts(article: Article) -> None:
    for sentence in article.sentences():
        for artefact in ARTEFACTS:
            assert artefact not in sentence.text, (artefact, sentence.location, sentence.text)


def test_range_has_an_en_dash(article: Article) -> None:
    text = " ".join(s.text for s in article.sentences())
    assert "45,000–60,000" in text
    assert "1,900 square kilometres" in text


def test_no_stale_claim_printed_as_current(article: Article) -> None:
    text = " ".join(s.text for s in article.sentences())
    assert "currently under the control" not in text
    assert "25 November 2020" in text
    assert "Second Nagorno-Karabakh War" in text
    assert "First Nagorno-Karabakh War" in text


NARRATIVE_FORBIDDEN = [
    "Kelbajar",
    "kilometers",
    "defense",
    "Suret",
    "Daribaltayan",
    "Dalibaltyan",
    "Zulufgarli",
    "neighbor ",
]


def _outside_quotes(text: str) -> str:
    return re.sub(r"“[^”]*”", "", text)


def test_one_spelling_in_the_narrative(article: Article) -> None:
    for section in article.walk():
        for block in section.blocks:
            if isinstance(block, BlockQuote):
                continue
            for sentence in block.sentences:
                narrative = _outside_quotes(sentence.text)
                for word in NARRATIVE_FORBIDDEN:
                    assert word not in narrative, (word, sentence.location)
                assert not re.search(r"\bAzeris?\b(?! Turkish)", narrative), sentence.location


def test_brackets_in_quotations_are_text_not_markers(article: Article) -> None:
    text = " ".join(s.text for s in article.sentences())
    for insertion in (
        "[to the Azeris]",
        "[his radio operator]",
        "[Melkonian]",
        "[i.e., the Russian government]",
    ):
        assert insertion in text
    labels = {c.label for c in article.citations()}
    assert not any(not label.isdigit() and " " in label for label in labels)


def test_block_quotation_with_attribution(article: Article) -> None:
    quotes = [b for s in article.walk() for b in s.blocks if isinstance(b, BlockQuote)]
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.text.startswith("A downcast enemy soldier")
    assert quote.attribution and "Markar Melkonian" in quote.attribution
    assert [c.key for c in quote.attribution_citations] == ["melkonian2005"]


def test_every_sentence_has_seed_provenance(article: Article) -> None:
    for sentence in article.sentences():
        prov = sentence.provenance
        assert prov.origin in ("old", "new", "editor"), sentence.location
        if prov.origin in ("old", "new"):
            assert prov.line and prov.line > 0
    origins = {s.provenance.origin for s in article.sentences()}
    assert origins >= {"old", "new"}
    newer = [s for s in article.sentences() if s.provenance.origin == "new"]
    assert sorted({s.provenance.line for s in newer}) == list(range(1, 21))


def test_stale_lead_update_is_recorded_as_provenance(article: Article) -> None:
    updated = [s for s in article.sentences() if any(e.kind == "updated" for e in s.provenance.edits)]
    assert any("25 November 2020" in s.text for s in updated)
    pairs = [p for s in updated for e in s.provenance.edits for p in e.pairs]
    assert any("currently under the control" in before for before, _ in pairs)


def test_named_works_cited_where_the_text_names_them(article: Article) -> None:
    by_key: dict[str, list[str]] = {}
    for s in article.sentences():
        for c in s.citations:
            by_key.setdefault(c.key, []).append(s.text)
    assert any("Human Rights Watch" in t for t in by_key["hrw1994"])
    assert any("Resolution 822" in t for t in by_key["unsc822"])
    assert any("interview" in t for t in by_key["zinvor1993"])


def test_glossary_keeps_variant_spellings(article: Article) -> None:
    variants = " ; ".join(v for g in article.glossary for v in g.variants)
    for v in (
        "Kelbajar",
        "Kəlbəcər",
        "Karvachar",
        "Azeri",
        "Suret",
        "Daribaltayan",
        "Dalibaltyan",
        "Zulufgarli",
    ):
        assert v in variants


def test_facts_and_events_come_from_the_text(article: Article) -> None:
    assert len(article.facts) >= 4
    for item in (*article.facts, *article.events):
        assert item.sentence in list(article.section(item.section_id).sentences())
    ordinals = [e.date.ordinal() for e in article.events]
    assert ordinals == sorted(ordinals)
    assert article.events[0].date.iso() == "1988-02" and article.events[-1].date.iso() == "1993-05-06"


def test_excerpt_carries_only_its_references(article: Article) -> None:
    excerpt = article.excerpt(["background", "final-push"])
    assert [s.id for s in excerpt.sections] == ["background", "final-push"]
    cited = set(excerpt.cited_keys())
    numbered = {e.key for e in excerpt.bibliography.entries if e.group == "numbered"}
    assert numbered == {k for k in cited if k.startswith("kalbajar-ref-")}
    assert "kalbajar-ref-42" not in numbered


def test_shipped_bibliography_has_no_invented_data_for_numbered_references() -> None:
    bib = load_bibliography()
    allowed = {"title", "howpublished", "url", "note", "marker", "keywords"}
    for entry in bib.entries:
        if entry.group == "numbered":
            assert {k for k, _ in entry.fields} <= allowed, entry.key
            assert entry.field("author") is None and entry.field("year") is None
            assert entry.key == f"kalbajar-ref-{entry.marker}"
