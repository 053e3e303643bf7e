"""The JSON writer: the whole model (sections, blocks, sentences with citations and provenance, glossary,
facts, events, bibliography, metadata) as JSON, described by a versioned JSON Schema shipped beside it."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..model import (
    Article,
    Bibliography,
    BlockQuote,
    Citation,
    Entry,
    ListBlock,
    Provenance,
    Section,
    Sentence,
    SourceLocation,
)
from ..notes import NoteTable

SCHEMA_VERSION = 2
SCHEMA_FILE = f"kalbajar-article-{SCHEMA_VERSION}.schema.json"
SCHEMA_NAME = "<slug>.schema.json"  # the copy written next to the JSON, named like it

JSONValue = Any


def schema_name(slug: str) -> str:
    """The name of the schema written next to ``<slug>.json`` (and named by its ``$schema``)."""
    return SCHEMA_NAME.replace("<slug>", slug)


def schema_text() -> str:
    """The JSON Schema (draft 2020-12) of this version of the JSON export."""
    return (resources.files("kalbajar_report.exports") / "schema" / SCHEMA_FILE).read_text(encoding="utf-8")


def _location(loc: SourceLocation | None) -> JSONValue:
    return None if loc is None else {"file": loc.file, "line": loc.line}


def _citation(c: Citation) -> JSONValue:
    return {"key": c.key, "label": c.label, "kind": c.kind, "locator": c.locator}


def _provenance(p: Provenance) -> JSONValue:
    return {
        "origin": p.origin,
        "line": p.line,
        "edits": [{"kind": e.kind, "pairs": [[a, b] for a, b in e.pairs], "ref": e.ref} for e in p.edits],
        "description": p.describe(),
    }


def _sentence(s: Sentence) -> JSONValue:
    return {
        "text": s.text,
        "citations": [_citation(c) for c in s.citations],
        "provenance": _provenance(s.provenance),
        "location": _location(s.location),
        "spans": [{"start": x.start, "end": x.end, "style": x.style, "url": x.url} for x in s.spans],
        "joined": s.joined,
    }


def _section(sec: Section, pointer: str, pointers: dict[int, str]) -> JSONValue:
    blocks = []
    for b, block in enumerate(sec.blocks):
        for i, s in enumerate(block.sentences):
            pointers.setdefault(id(s), f"{pointer}/blocks/{b}/sentences/{i}")
        kind = (
            "blockquote"
            if isinstance(block, BlockQuote)
            else "list"
            if isinstance(block, ListBlock)
            else "paragraph"
        )
        item: dict[str, JSONValue] = {"type": kind, "sentences": [_sentence(s) for s in block.sentences]}
        if isinstance(block, BlockQuote):
            item["attribution"] = block.attribution
            item["attribution_citations"] = [_citation(c) for c in block.attribution_citations]
        if isinstance(block, ListBlock):
            item["ordered"] = block.ordered
            items, first = [], 0
            for entry in block.items:
                count = len(entry.sentences)
                where = [f"{pointer}/blocks/{b}/sentences/{i}" for i in range(first, first + count)]
                items.append({"depth": entry.depth, "sentences": where})
                first += count
            item["items"] = items
        blocks.append(item)
    return {
        "id": sec.id,
        "title": sec.title,
        "level": sec.level,
        "location": _location(sec.location),
        "blocks": blocks,
        "subsections": [
            _section(sub, f"{pointer}/subsections/{n}", pointers) for n, sub in enumerate(sec.subsections)
        ],
    }


def _entry(e: Entry) -> JSONValue:
    return {
        "key": e.key,
        "type": e.entry_type,
        "group": e.group,
        "marker": e.marker,
        "fields": dict(e.fields),
        "text": dict(e.text_fields),
        "location": _location(e.location),
    }


def _bibliography(b: Bibliography) -> JSONValue:
    return {"source": b.source, "entries": [_entry(e) for e in b.entries]}


def _pointer_of(sentence: Sentence, article: Article, pointers: dict[int, str]) -> str | None:
    """Where in the document a fact's or an event's sentence stands; None for a fact of its own (an
    infobox field is no sentence of the text)."""
    found = pointers.get(id(sentence))
    if found is not None:
        return found
    # a fact may hold an equal sentence rather than the same object; pointers are in reading order
    for s, pointer in zip(article.sentences(), pointers.values(), strict=True):
        if s == sentence:
            return pointer
    return None


def article_data(article: Article) -> dict[str, JSONValue]:
    """The article as JSON-ready data (dicts, lists, strings, numbers, None)."""
    pointers: dict[int, str] = {}
    sections = [_section(sec, f"/sections/{n}", pointers) for n, sec in enumerate(article.sections)]
    m = article.metadata
    return {
        "$schema": schema_name(m.slug),
        "schema_version": SCHEMA_VERSION,
        "source": article.source,
        "metadata": {
            "title": m.title,
            "subtitle": m.subtitle,
            "short_title": m.short_title,
            "language": m.language,
            "author": m.author,
            "source": {"title": m.source_title, "url": m.source_url},
            "licence": {"name": m.licence_name, "url": m.licence_url},
            "notes": list(m.notes),
            "article_key": m.article_key,
            "briefing_key": m.briefing_key,
            "slug": m.slug,
            "attribution": m.attribution,
            "references_note": m.references_note,
            "glossary_note": m.glossary_note,
        },
        "sections": sections,
        "explanatory_notes": [
            {
                "key": n.key,
                "label": n.label,
                "sentences": [_sentence(s) for s in n.sentences],
                "location": _location(n.location),
            }
            for n in article.explanatory
        ],
        "notes": [
            {"id": n.id, "label": n.label, "kind": n.kind, "key": n.key, "locator": n.locator}
            for n in NoteTable.of(article).notes
        ],
        "omitted": [
            {"kind": kind, "count": count, "names": list(names)} for kind, count, names in article.omitted
        ],
        "glossary": [
            {"term": g.term, "variants": list(g.variants), "description": g.description}
            for g in article.glossary
        ],
        "facts": [
            {
                "label": f.label,
                "value": f.value,
                "section_id": f.section_id,
                "sentence": _pointer_of(f.sentence, article, pointers),
                "citations": [_citation(c) for c in f.sentence.citations],
            }
            for f in article.facts
        ],
        "events": [
            {
                "date": e.date.iso(),
                "date_parts": [x for x in (e.date.year, e.date.month, e.date.day) if x is not None],
                "label": e.label,
                "section_id": e.section_id,
                "sentence": _pointer_of(e.sentence, article, pointers),
            }
            for e in article.events
        ],
        "cited_keys": list(article.cited_keys()),
        "bibliography": _bibliography(article.bibliography),
    }


def to_json(article: Article) -> str:
    """The article as JSON text (UTF-8, indented, keys in a stable order)."""
    return json.dumps(article_data(article), ensure_ascii=False, indent=2) + "\n"
