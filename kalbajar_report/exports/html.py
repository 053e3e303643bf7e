"""The HTML writer: one standalone, accessible page with linked notes, back-links and a references list."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from ..citestyle import Run, reference_groups
from ..citestyle import note_labels as labels
from ..housestyle import HOUSE_STYLE, CitationStyle
from ..links import safe_url
from ..model import Article, BlockQuote, Citation
from .templating import environment, render

TEMPLATE = "article.html.j2"


class NoteRefs:
    """Hands out the note references of the text in reading order and remembers them for back-links."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.labels = labels(article)
        self.seen: dict[str, list[str]] = {}

    def ref(self, citations: tuple[Citation, ...]) -> Markup:
        """``<sup><a href="#fn-KEY" id="fnref-KEY-N">LABEL</a>, …</sup>`` for a sentence's citations."""
        links = []
        for key in dict.fromkeys(c.key for c in citations):
            ids = self.seen.setdefault(key, [])
            ref_id = f"fnref-{key}-{len(ids) + 1}"
            ids.append(ref_id)
            label = self.labels.get(key, key)
            entry = self.article.bibliography.get(key)
            kind = "numbered" if entry is not None and entry.marker is not None else "named"
            links.append(
                Markup('<a href="#fn-{k}" id="{i}" class="noteref {c}" role="doc-noteref">{l}</a>').format(
                    k=key, i=ref_id, c=kind, l=label
                )
            )
        if not links:
            return Markup("")
        return Markup("<sup>") + Markup(", ").join(links) + Markup("</sup>")

    def backlinks(self, key: str) -> list[str]:
        """The ids of the places in the text that cite ``key`` (so far, i.e. all once the text is out)."""
        return self.seen.get(key, [])


def runs_html(runs: tuple[Run, ...]) -> Markup:
    """A formatted reference as HTML: italics as ``<i>``, http(s) URLs as links; all text escaped."""
    out = Markup("")
    for run in runs:
        text = escape(run.text)
        url = safe_url(run.url)
        if url is not None:
            text = Markup('<a href="{u}">{t}</a>').format(u=url, t=run.text)
        out += Markup("<i>{}</i>").format(text) if run.italic else text
    return out


def to_html(
    article: Article, templates: Path | str | None = None, *, style: CitationStyle | None = None
) -> str:
    """The article as one standalone HTML page; ``style`` sets its notes and references list (default:
    the house style). Templates format an entry with ``entry | reference`` (the references list) and
    ``entry | note`` (its note: one per entry, so the first, full one in a note style)."""
    env = environment(templates, html=True)
    notes = NoteRefs(article)
    chosen = style or HOUSE_STYLE
    env.filters.update(
        noteref=notes.ref,
        reference=lambda entry: runs_html(chosen.reference(entry)),
        note=lambda entry: runs_html(chosen.note(entry, locator=None, first=True)),
        http=safe_url,
    )
    env.tests["quote"] = lambda block: isinstance(block, BlockQuote)
    cited = [k for k in article.cited_keys() if k in article.bibliography]
    return render(
        env,
        TEMPLATE,
        article=article,
        meta=article.metadata,
        notes=notes,
        note_entries=[article.bibliography[k] for k in cited],
        labels=notes.labels,
        groups=reference_groups(article),
        heading_level=lambda level: min(int(level) + 1, 6),
    )
