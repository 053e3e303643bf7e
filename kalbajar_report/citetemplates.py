"""Wikipedia citation templates as BibTeX entries: Citation Style 1/2, {{sfn}}, {{harv}} and {{rp}}.

A pure module for the MediaWiki reader: it takes a template's name and its parameters as plain text (the
reader strips links and formatting; positional parameters are named ``"1"``, ``"2"`` … as mwparserfromhell
names them) and gives back plain values. Nothing here parses wikitext or writes files.

What a template gives is mapped, never improved: every non-empty parameter ends up in a BibTeX field, in a
``name: value`` part of ``note``, in the citation's ``locator`` or ``quote``, in ``problems`` (a value that
could not be mapped cleanly, quoted) or, for parameters that only steer Wikipedia's display
(``author-link``, ``mode``, ``url-access`` …), in ``ignored``.

Choices, where BibTeX and biblatex differ (every type and field below is in biber's default data model;
the types are ones BibTeX's standard styles know or read as ``@misc``):

- entry types: ``cite book`` → ``@book``, or ``@incollection`` with ``|chapter=`` (``title`` the chapter,
  ``booktitle`` the book: BibTeX and biblatex read ``@incollection`` alike, while ``@inbook`` means
  different things to them); ``cite journal``/``news``/``magazine`` → ``@article``; ``cite web`` →
  ``@online`` (biblatex's type for web pages, validated by biber; BibTeX styles format it as ``@misc``);
  ``cite encyclopedia``/``dictionary`` → ``@incollection``; ``cite conference`` → ``@inproceedings``;
  ``cite report`` → ``@techreport`` (biber's alias of ``@report`` with its type); ``cite thesis`` →
  ``@phdthesis``/``@mastersthesis`` when ``|degree=`` (or ``|type=``) says so, else ``@thesis``; the rest
  (press release, AV media, episode, interview, map, speech, tweet, arXiv, document, unknown ``cite xyz``)
  → ``@misc``; ``{{citation}}`` by the parameters it has (journal-like → ``@article``, encyclopedia or
  chapter → ``@incollection``, website → ``@online``, publisher or ISBN → ``@book``, else ``@misc``).
- periodical (``work``, ``journal``, ``newspaper``, ``magazine``, ``periodical``, ``website``) → ``journal``
  for an article (biber aliases it to ``journaltitle``; BibTeX knows only ``journal``), ``organization``
  for ``@online``, ``booktitle`` for an encyclopedia entry, ``howpublished`` for ``@misc``.
- ``location``/``place`` → ``address`` (biber's alias of ``location``, BibTeX's name); ``issue`` and
  ``number`` → ``number``; publisher → ``institution`` of a report, ``school`` of a thesis.
- ``date`` → biblatex ``date`` in ISO 8601 when it is a calendar date (``27 March 1993``, ``March 27,
  1993``, ``March 1993``, ``1993-03-27``, ``1993–1994``); other text (``Spring 1993``, ``c. 1900``) is
  kept as given in ``year`` (or in ``note`` when ``|year=`` is given too), never guessed.
- ``trans-title`` → ``titleaddon`` in square brackets (as Wikipedia prints it); ``trans-chapter`` likewise,
  the book's ``trans-title`` then going to ``booktitleaddon``.
- ``access-date`` → ``urldate``; ``archive-url``/``archive-date`` → ``archiveurl``/``archivedate`` (not
  biblatex fields, so biber ignores them; this package's reader checks the URL and its references print
  "Archived at …").
- identifiers: ``isbn``, ``issn``, ``doi`` as themselves; the first of ``arxiv``, ``jstor``, ``pmid``,
  ``hdl`` as ``eprint`` with biblatex's ``eprinttype`` (``arxiv``, ``jstor``, ``pubmed``, ``hdl``); OCLC,
  PMC, Bibcode and all others as ``note`` parts (``oclc: 12345``), since biblatex has no field for them.
- page numbers: for a whole work (a book, report, thesis, web page …) every page parameter is the
  citation's ``locator`` (``p. 12``, ``pp. 3–5``, ``|at=`` as given), not a field of the work; for a part
  of a container (article, chapter, paper, entry) ``|pages=``/``|pp=`` is the part's range (``pages``)
  and ``|page=``/``|p=``/``|at=`` are the locator.
- ``quote`` (with ``trans-quote``, ``script-quote``) belongs to the citation, like the locator: it is
  ``CitationWork.quote`` (with ``quote_locator``), not a field, so two citations of one work quoting
  different sentences are still one entry.
- a URL that is not an absolute http(s) URL, or a DOI that is not one, is written as ``note`` text and
  named in ``problems``; a value is never dropped.

Values are written BibTeX-safe: TeX specials are escaped so they print as themselves and read back, with
this package's reader, as the text given (``{`` and ``}`` as ``\\{``/``\\}`` when balanced, since BibTeX
counts every brace).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from .bibliography import VERBATIM_FIELDS, bibtex_to_text, doi_problem, key_problem, names_problem
from .links import url_problem
from .model import Bibliography, Entry
from .notes import letter as _letter

__all__ = [
    "CitationWork",
    "CiteRef",
    "CitedLibrary",
    "ShortCitation",
    "citation_entry",
    "citation_key",
    "citeref_id",
    "collect_citations",
    "free_text_entry",
    "harvid",
    "is_citation_template",
    "iso_date",
    "merge_works",
    "normalise_template_name",
    "rp_locator",
    "short_citation",
    "template_family",
    "tex_text",
    "to_entry",
    "with_locator",
]

Family = Literal[
    "book",
    "journal",
    "news",
    "magazine",
    "web",
    "report",
    "thesis",
    "encyclopedia",
    "conference",
    "press release",
    "av media",
    "citation",
    "misc",
]

#: Citation Style 1/2 templates and their common redirects (names normalised), by family
_TEMPLATES: dict[str, Family] = {
    "cite book": "book",
    "cite journal": "journal",
    "cite paper": "journal",
    "cite news": "news",
    "cite newspaper": "news",
    "cite web": "web",
    "cite website": "web",
    "cite url": "web",
    "cite magazine": "magazine",
    "cite periodical": "magazine",
    "cite report": "report",
    "cite techreport": "report",
    "cite thesis": "thesis",
    "cite dissertation": "thesis",
    "cite encyclopedia": "encyclopedia",
    "cite encyclopaedia": "encyclopedia",
    "cite dictionary": "encyclopedia",
    "cite conference": "conference",
    "cite proceedings": "conference",
    "cite press release": "press release",
    "cite pressrelease": "press release",
    "cite av media": "av media",
    "cite video": "av media",
    "cite av media notes": "av media",
    "cite episode": "misc",
    "cite serial": "misc",
    "cite interview": "misc",
    "cite map": "misc",
    "cite speech": "misc",
    "cite tweet": "misc",
    "cite letter": "misc",
    "cite document": "misc",
    "cite arxiv": "misc",
    "cite biorxiv": "misc",
    "cite medrxiv": "misc",
    "cite ssrn": "misc",
    "cite citeseerx": "misc",
    "cite podcast": "misc",
    "cite mailing list": "misc",
    "cite newsgroup": "misc",
    "cite sign": "misc",
    "citation": "citation",
    "vcite book": "book",
    "vcite journal": "journal",
    "vcite2 journal": "journal",
    "vcite news": "news",
    "vcite web": "web",
}
_VANCOUVER_TEMPLATES = frozenset(n for n in _TEMPLATES if n.startswith("vcite"))
_SHORT_TEMPLATES = frozenset(
    {"sfn", "sfnp", "harvnb", "harv", "harvp", "harvtxt", "harvcol", "harvcolnb", "harvcoltxt"}
)
_PART_TYPES = frozenset({"article", "incollection", "inproceedings"})

#: BibTeX's and biblatex's name-list fields this module writes
_NAME_ROLES = ("author", "editor", "translator")
#: the order fields are written in (others follow in the order they were met)
_FIELD_ORDER = (
    "author",
    "editor",
    "translator",
    "title",
    "titleaddon",
    "booktitle",
    "booktitleaddon",
    "journal",
    "eventtitle",
    "organization",
    "howpublished",
    "type",
    "edition",
    "series",
    "volume",
    "number",
    "pages",
    "publisher",
    "institution",
    "school",
    "address",
    "date",
    "year",
    "origdate",
    "language",
    "isbn",
    "issn",
    "doi",
    "eprint",
    "eprinttype",
    "eprintclass",
    "url",
    "urldate",
    "archiveurl",
    "archivedate",
)
_FIELD_RANK = {name: i for i, name in enumerate(_FIELD_ORDER)}
#: fields that tell one work from another (``url`` only for web pages and other ``@misc``/``@online``)
_IDENTITY_FIELDS = (
    "author",
    "editor",
    "title",
    "booktitle",
    "journal",
    "organization",
    "howpublished",
    "date",
    "year",
    "volume",
    "number",
    "pages",
    "edition",
)

_IDENTITY_FIELDS_URL = (*_IDENTITY_FIELDS, "url")  # of a web page or other @online/@misc
#: parameters that only steer Wikipedia's display or tracking (canonical names: no ``-``, ``_``, spaces)
_DISPLAY_ONLY = frozenset(
    {
        "mode",
        "df",
        "postscript",
        "ps",
        "displayauthors",
        "displayeditors",
        "displaytranslators",
        "displaycontributors",
        "displaysubjects",
        "displayinterviewers",
        "namelistformat",
        "nameliststyle",
        "lastauthoramp",
        "authorformat",
        "editorformat",
        "nopp",
        "notracking",
        "ignoreisbnerror",
        "urlstatus",
        "deadurl",
        "ref",
        "subjectlink",
    }
)
_ACCESS_FLAG = re.compile(r"^[a-z0-9]*access$")  # url-access=subscription, doi-access=free …
_NAME_PARAM = re.compile(
    r"^(?P<role>author|editor|translator|contributor|interviewer|host|subject)(?P<n1>\d*)"
    r"(?P<part>last|surname|first|given|link|mask)?(?P<n2>\d*)$"
)
_BARE_NAME_PARAM = re.compile(r"^(?P<part>last|surname|first|given)(?P<n>\d*)$")
#: what a name parameter starts with (the two patterns above): other parameters are not matched at all
_NAME_PREFIXES = (
    "author",
    "editor",
    "translator",
    "contributor",
    "interviewer",
    "host",
    "subject",
    "last",
    "surname",
    "first",
    "given",
)

_CHAPTER = ("chapter", "contribution", "entry", "article", "section")
_CHAPTER_EXTRAS = {
    "transchapter": "titleaddon",
    "transcontribution": "titleaddon",
    "transentry": "titleaddon",
    "transarticle": "titleaddon",
    "transsection": "titleaddon",
}
_CHAPTER_URLS = ("chapterurl", "contributionurl", "entryurl", "articleurl", "sectionurl")
_PERIODICAL = ("work", "journal", "newspaper", "magazine", "periodical", "website")
_ENCYCLOPEDIA = ("encyclopedia", "encyclopaedia", "dictionary")
_PUBLISHER = ("publisher", "institution", "school", "university")
_PLACE = ("location", "place", "publicationplace")
_NUMBER = ("issue", "number", "docket")
_EPRINTS = (("arxiv", "arxiv"), ("eprint", "arxiv"), ("jstor", "jstor"), ("pmid", "pubmed"), ("hdl", "hdl"))
_SIMPLE_FIELDS = {
    "volume": "volume",
    "edition": "edition",
    "series": "series",
    "version": "version",
    "isbn": "isbn",
    "isbn13": "isbn",
    "issn": "issn",
    "language": "language",
}

_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(
    "january february march april may june july august september october november december".split(), 1
):
    _MONTHS[_name] = _i
    _MONTHS[_name[:3]] = _i
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_DATE_FORMS = (
    re.compile(r"^(?P<year>\d{4})(?:-(?P<mnum>\d{2})(?:-(?P<day>\d{2}))?)?$"),
    re.compile(rf"^(?P<day>\d{{1,2}}) {_MONTH},? (?P<year>\d{{4}})$"),
    re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})$"),
    re.compile(rf"^{_MONTH},? (?P<year>\d{{4}})$"),
)
_YEAR_RANGE = re.compile(r"^(\d{4}) ?[–-] ?(\d{4})$")
_YEAR_IN = re.compile(r"(?<!\d)(\d{4}[a-z]?)(?![\da-z])")
_CITEREF_YEAR = re.compile(r"^(?:\d{1,4}[a-z]?|n\.d\.[a-z]?|nd[a-z]?|c\. ?\d{1,4}[a-z]?)$")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_TEX_MACROS = {"~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}
_BRACE_MACROS = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_VANCOUVER_INITIALS = re.compile(r"^[A-Z\u00c0-\u00de]{1,4}$")
_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
_ORGANISATION_WORDS = frozenset(
    """watch organization organisation council committee agency ministry institute institution association
    press news service services nations union office department bank group centre center foundation society
    company corporation inc ltd llc university college government commission bureau staff reporter
    reporters correspondent correspondents board network times post radio television tv federation party
    embassy parliament assembly court library museum archive archives project trust fund international
    republic state states the of for and & des der du la le del""".split()
)
_STOPWORDS = frozenset(
    """the a an le la les l un une der die das ein eine el los las lo il gli i de of and in on to with for
    at by from""".split()
)
_ASCII_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "œ": "oe",
        "Œ": "OE",
        "ə": "e",
        "Ə": "E",
        "ð": "d",
    }
)


# --- values -----------------------------------------------------------------------------------------
def _clean(value: str) -> str:
    """Whitespace collapsed (a template's line breaks are layout), control characters removed."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _balanced(text: str) -> bool:
    if "{" not in text and "}" not in text:  # nearly every value: nothing to count
        return True
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


_TEX_SPECIAL = re.compile(r"[&%$#_{}~^\\`'!?-]")


def tex_text(text: str) -> str:
    """Plain text as a BibTeX value that prints, and reads back with this package's reader, as itself.

    ``& % $ # _`` get a backslash; ``~ ^ \\`` become ``\\textasciitilde{}``, ``\\textasciicircum{}``,
    ``\\textbackslash{}``; TeX's ligatures (``--``, ``````, ``''``, ``?```) are broken with ``{}``; braces
    become ``\\{``/``\\}`` when they pair up (BibTeX counts every brace, escaped ones too), else
    ``\\textbraceleft{}``/``\\textbraceright{}``.
    """
    if not _TEX_SPECIAL.search(text):  # nearly every value: nothing to escape, at C speed
        return text
    balanced = _balanced(text)
    out: list[str] = []
    for i, ch in enumerate(text):
        following = text[i + 1] if i + 1 < len(text) else ""
        if ch in "&%$#_":
            out.append("\\" + ch)
        elif ch in _TEX_MACROS:
            out.append(_TEX_MACROS[ch])
        elif ch in "{}":
            out.append("\\" + ch if balanced else _BRACE_MACROS[ch])
        elif ch == "`" and i and text[i - 1] in "!?":
            out.append("{}`")
        elif ch in "-`'" and following == ch:
            out.append(ch + "{}")
        else:
            out.append(ch)
    return "".join(out)


_NAME_SEPARATORS = re.compile(r"[\s_\-]+")
_NAMESPACE = re.compile(r"^template ?:\s*")
_CITE_PREFIX = re.compile(r"^(v?cite2?)[\s-]+")
_CITE_NAME = re.compile(r"^v?cite2? \S")


def _canonical(name: str) -> str:
    """A parameter name as CS1 reads it, without case, hyphens, underscores or spaces."""
    lowered = name.strip().lower()
    if lowered.isalnum():  # nearly every name (``title``, ``last1``): nothing to remove
        return lowered
    return _NAME_SEPARATORS.sub("", lowered)


def normalise_template_name(name: str) -> str:
    """``" Cite_Book "``, ``"Template:cite-book"`` → ``"cite book"``."""
    text = " ".join(name.replace("_", " ").split()).lower()
    if text.startswith("template"):
        text = _NAMESPACE.sub("", text)
    cite = _CITE_PREFIX.match(text)  # (a match, not a substitution: re parses a replacement at every call)
    return f"{cite.group(1)} {text[cite.end() :]}" if cite else text


def _family(norm: str) -> Family | None:
    """:func:`template_family` of a name already normalised."""
    family = _TEMPLATES.get(norm)
    if family is None and _CITE_NAME.match(norm):
        return "misc"
    return family


def template_family(name: str) -> Family | None:
    """The family of a citation template (``"book"``, ``"web"`` …; ``"misc"`` for an unknown
    ``cite xyz``), or None when ``name`` is not a citation template."""
    return _family(normalise_template_name(name))


def is_citation_template(name: str) -> bool:
    """True for Citation Style 1/2 templates (``cite book``, ``Cite Journal``, ``citation``, ``vcite
    journal``, any ``cite xyz``) whatever their case, underscores or surrounding spaces."""
    return template_family(name) is not None


# --- dates ----------------------------------------------------------------------------------------
def iso_date(text: str) -> str | None:
    """A calendar date as ISO 8601 (``27 March 1993`` → ``1993-03-27``, ``March 1993`` → ``1993-03``,
    ``1993–1994`` → ``1993/1994``), or None when the text is not plainly one (``Spring 1993``)."""
    value = " ".join(text.split())
    years = _YEAR_RANGE.match(value)
    if years:
        first, last = years.groups()
        return f"{first}/{last}" if first < last else None
    for form in _DATE_FORMS:
        match = form.match(value)
        if not match:
            continue
        parts = match.groupdict()
        year = int(parts["year"])
        if parts.get("mnum") is not None:
            month: int | None = int(parts["mnum"])
        elif parts.get("month") is not None:
            month = _MONTHS.get(parts["month"].lower())
            if month is None:
                return None
        else:
            month = None
        day = int(parts["day"]) if parts.get("day") else None
        try:
            datetime.date(year, month or 1, day or 1)
        except ValueError:
            return None
        if year < 1:
            return None
        out = f"{year:04d}"
        if month is not None:
            out += f"-{month:02d}"
            if day is not None:
                out += f"-{day:02d}"
        return out
    return None


# --- names ----------------------------------------------------------------------------------------
def _looks_like_person(text: str) -> bool:
    """A name of two to four words that reads as a person's (no digits, no organisation words)."""
    words = text.split()
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        bare = word.strip(".,")
        if bare.lower() in _ORGANISATION_WORDS or not bare or not bare[0].isalpha():
            return False
        if any(c.isdigit() for c in bare) or (bare.isupper() and len(bare) > 1 and "." not in word):
            return False
    return True


def _piece(text: str) -> str:
    """A part of a person's name, braced when BibTeX would split it (a comma, a word ``and``)."""
    escaped = tex_text(text)
    if "," in text or re.search(r"(?i)(?:^|\s)and(?:\s|$)", text) or text.lower() == "others":
        return "{" + escaped + "}"
    return escaped


def _literal(text: str) -> str:
    return "{" + tex_text(text) + "}"


def _person(family: str, given: str | None, suffix: str | None = None) -> str:
    """One BibTeX name: ``family, given`` (pieces braced as needed), or ``family`` read as written."""
    if given:
        parts = [_piece(family), *([_piece(suffix)] if suffix else []), _piece(given)]
        return ", ".join(parts)
    if family.lower().rstrip(".") in {"et al", "others"}:
        return "others"
    if family.count(",") == 1 and all(p.strip() for p in family.split(",")):
        last, first = (p.strip() for p in family.split(","))
        plain_person = _looks_like_person(f"{first} {last}") or (
            len(last.split()) <= 2 and " " not in first.strip(".")
        )
        if plain_person and not re.search(r"(?i)(?:^|\s)and(?:\s|$)", family):
            return tex_text(family)  # "Smith, John" as written: BibTeX reads it as family, given
    if _looks_like_person(family) or (
        len(family.split()) == 1 and family[:1].isalpha() and not family.isupper()
    ):
        return tex_text(family)
    return _literal(family)


def _vancouver(text: str) -> list[str]:
    """``Smith AB, Jones C, et al.`` → ``["Smith, A. B.", "Jones, C.", "others"]``; ``((Org))`` braced."""
    out: list[str] = []
    for item in (x.strip() for x in text.split(",")):
        if not item:
            continue
        if item.startswith("((") and item.endswith("))"):
            out.append(_literal(item[2:-2].strip()))
            continue
        if item.lower().rstrip(".") in {"et al", "others"}:
            out.append("others")
            continue
        words = item.split()
        suffix = None
        if len(words) >= 3 and words[-1].rstrip(".") in _SUFFIXES:
            suffix = words.pop()
        if len(words) >= 2 and _VANCOUVER_INITIALS.match(words[-1]):
            given = " ".join(c + "." for c in words[-1])
            out.append(_person(" ".join(words[:-1]), given, suffix))
        else:
            out.append(_literal(item))
    return out


def _name_list(people: list[str]) -> str:
    """BibTeX ``A and B``; a person BibTeX's name rules cannot read is braced as written."""
    checked = []
    for person in people:
        if person != "others" and names_problem(person):
            person = "{" + person.strip("{}") + "}" if _balanced(person.strip("{}")) else _literal(person)
        checked.append(person)
    return " and ".join(checked)


def _family_of(bibtex_names: str) -> str:
    """The family name (von and last parts) of the first person of a BibTeX name list, as plain text."""
    try:
        first = split_multiple_persons_names(bibtex_names)[0]
        parts = parse_single_name_into_parts(first, strict=False)
    except (InvalidNameError, IndexError):
        return bibtex_to_text(bibtex_names)
    return bibtex_to_text(" ".join([*parts.von, *parts.last]) or first)


# --- the mapped work --------------------------------------------------------------------------------
@dataclass(frozen=True)
class CitationWork:
    """A cited work as a BibTeX entry, and what the citation of it adds.

    ``fields`` are BibTeX-safe values in a fixed order, ``note`` (the ``name: value`` parts in ``notes``)
    last; ``identity`` tells whether two citations are of the same work (it leaves out the locator, the
    quote, access and archive dates); ``key_base`` is the readable key before disambiguation;
    ``citeref`` is the ``CITEREF…`` anchor Wikipedia gives the citation (None with ``|ref=none``);
    ``locator`` (``p. 12``), ``quote`` and ``quote_locator`` belong to this citation, not to the work.
    ``problems`` says what could not be mapped cleanly (the values quoted); ``ignored`` holds the
    parameters that only steer Wikipedia's display.
    """

    template: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()
    key_base: str = "work"
    citeref: str | None = None
    locator: str | None = None
    quote: str | None = None
    quote_locator: str | None = None
    problems: tuple[str, ...] = ()
    ignored: tuple[tuple[str, str], ...] = ()

    def field(self, name: str) -> str | None:
        """A field's BibTeX value, or None."""
        for field_name, value in reversed(self.fields):  # a dozen at most: a scan beats building a dict
            if field_name == name:
                return value
        return None

    def text(self, name: str) -> str | None:
        """A field's value as plain text (TeX decoded), or None."""
        value = self.field(name)
        if value is None:
            return None
        return value if name in VERBATIM_FIELDS else bibtex_to_text(value)


def _assemble(
    template: str,
    entry_type: str,
    mapped: dict[str, str],
    notes: Iterable[str],
    citeref: str | None,
    *,
    locator: str | None = None,
    quote: str | None = None,
    quote_locator: str | None = None,
    problems: Iterable[str] = (),
    ignored: Iterable[tuple[str, str]] = (),
    key_base: str | None = None,
) -> CitationWork:
    note_parts = tuple(dict.fromkeys(notes))
    names = sorted(mapped, key=lambda n: _FIELD_RANK.get(n, len(_FIELD_RANK)))
    fields = [(n, mapped[n]) for n in names]
    if note_parts:
        fields.append(("note", "; ".join(tex_text(part) for part in note_parts)))
    draft = CitationWork(template, entry_type, tuple(fields), note_parts)  # what identity and key read
    return CitationWork(
        template=template,
        entry_type=entry_type,
        fields=draft.fields,
        notes=note_parts,
        identity=_identity(draft),
        key_base=key_base or _key_base(draft),
        citeref=citeref,
        locator=locator,
        quote=quote,
        quote_locator=quote_locator,
        problems=tuple(dict.fromkeys(problems)),
        ignored=tuple(ignored),
    )


_NON_WORD = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    """Case, accents and punctuation folded away: the text as compared for identity."""
    if text.isascii():  # no accents, nothing to decompose: casefold is lower
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA)).casefold()
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text).split())


def _identity(work: CitationWork) -> tuple[str, ...]:
    if work.template == "":
        return ("text", _fold(" ".join(work.notes)))
    fields = dict(work.fields)
    wanted = _IDENTITY_FIELDS_URL if work.entry_type in {"online", "misc"} else _IDENTITY_FIELDS
    out = [work.entry_type]
    for name in wanted:
        raw = fields.get(name)
        if raw is None:
            continue
        value = raw if name in VERBATIM_FIELDS else bibtex_to_text(raw)  # as CitationWork.text
        if value:
            out.append(f"{name}={value.strip() if name == 'url' else _fold(value)}")
    return tuple(out)


class _Params:
    """A template's parameters by canonical name (the last of repeated ones, as MediaWiki reads them)."""

    def __init__(self, params: Sequence[tuple[str, str]]) -> None:
        self.values: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.problems: list[str] = []
        for raw_name, raw_value in params:
            name = raw_name.strip()
            control = _CONTROL.search(raw_value)
            value = _clean(raw_value) if control else " ".join(raw_value.split())  # (_clean, one search less)
            if control:
                self.problems.append(f"{name} held control characters, removed: '{value}'")
            if not value:
                continue
            canon = _canonical(name) if not name.isdigit() else name
            if canon in self.values and self.values[canon] != value:
                self.problems.append(
                    f"{name} is given twice; the last is used, as on Wikipedia: "
                    f"'{self.values[canon]}' dropped"
                )
            self.values[canon] = value
            self.names[canon] = name
        self.used: set[str] = set()

    def take(self, *names: str) -> str | None:
        """The first of these parameters that has a value (marking it used)."""
        for name in names:
            if name in self.values and name not in self.used:
                self.used.add(name)
                return self.values[name]
        return None

    def take_all(self, *names: str) -> list[tuple[str, str]]:
        """Every one of these that has a value, as (original name, value), marking them used."""
        out = []
        for name in names:
            if name in self.values and name not in self.used:
                self.used.add(name)
                out.append((self.names[name], self.values[name]))
        return out

    def has(self, *names: str) -> bool:
        return any(n in self.values for n in names)

    def rest(self) -> list[tuple[str, str, str]]:
        """Unused parameters: (canonical name, original name, value), in the order given."""
        return [(c, self.names[c], v) for c, v in self.values.items() if c not in self.used]


def _entry_type(family: Family, p: _Params) -> str:
    has_chapter = p.has(*_CHAPTER)
    if family == "book":
        return "incollection" if has_chapter else "book"
    if family in {"journal", "news", "magazine"}:
        return "article"
    if family == "web":
        return "online"
    if family == "report":
        return "techreport"
    if family == "thesis":
        kind = (p.values.get("degree") or p.values.get("type") or "").lower().replace(".", "")
        if re.search(r"\b(phd|dphil|doctor|doctoral|doctorate|edd|dsc)\b", kind):
            return "phdthesis"
        if re.search(r"\b(master|masters|ma|msc|mphil|mres|mba|ms|mlitt)\b", kind):
            return "mastersthesis"
        return "thesis"
    if family == "encyclopedia":
        return "incollection" if p.has(*_ENCYCLOPEDIA, "work", "website") else "book"
    if family == "conference":
        return "inproceedings"
    if family == "citation":
        if p.has(*_ENCYCLOPEDIA) or (has_chapter and p.has("title")):
            return "incollection"
        if p.has("journal", "newspaper", "magazine", "periodical", "work"):
            return "article"
        if p.has("website"):
            return "online"
        if p.has("booktitle", "conference"):
            return "inproceedings"
        if p.has("publisher", "isbn"):
            return "book"
    return "misc"


def _locator_of(page: str | None, pages: str | None, at: str | None) -> str | None:
    parts = []
    if page:
        parts.append(f"p. {page}")
    if pages:
        parts.append(f"{'pp.' if re.search(r'[-–—,&]| and ', pages) else 'p.'} {pages}")
    if at:
        parts.append(at)
    return ", ".join(parts) or None


def citation_entry(template_name: str, params: Sequence[tuple[str, str]]) -> CitationWork:
    """The work a citation template cites, as a BibTeX entry; see the module's notes for the mapping.

    ``params`` are (name, plain-text value) pairs in template order (positional ones named ``"1"`` …);
    empty values are ignored. Never raises for any names and values; what it cannot map cleanly is kept
    as ``note`` text and named in ``problems``.
    """
    template = normalise_template_name(template_name)
    family = _family(template) or "misc"
    p = _Params(params)
    problems = list(p.problems)
    notes: list[str] = []
    mapped: dict[str, str] = {}
    entry_type = _entry_type(family, p)
    is_part = entry_type in _PART_TYPES

    def note(name: str, value: str) -> None:
        notes.append(f"{name}: {value}")

    def put(field: str, value: str | None, escape: bool = True) -> None:
        if value:
            mapped[field] = tex_text(value) if escape else value

    def put_first(field: str, names: Sequence[str], escape: bool = True) -> None:
        given = p.take_all(*names)
        if given:
            put(field, given[0][1], escape)
            for name, value in given[1:]:
                note(name, value)

    # --- people
    people, citeref_names, display = _people(template, p, problems, notes)
    for role in _NAME_ROLES:
        if people.get(role):
            mapped[role] = _name_list(people[role])
    # --- titles
    title, trans_title, script_title = p.take("title"), p.take("transtitle"), p.take("scripttitle")
    chapter_params = _CHAPTER if entry_type == "incollection" and family != "encyclopedia" else ()
    chapter = p.take_all(*chapter_params)
    if family == "encyclopedia" and entry_type == "incollection":
        title = title or p.take("entry", "article")
    if chapter:
        put("title", chapter[0][1])
        for name, value in chapter[1:]:
            note(name, value)
        put("booktitle", title)
        trans_chapter = p.take(*_CHAPTER_EXTRAS)
        put("titleaddon", f"[{trans_chapter}]" if trans_chapter else None)
        put("booktitleaddon", f"[{trans_title}]" if trans_title else None)
    else:
        put("title", title)
        put("titleaddon", f"[{trans_title}]" if trans_title else None)
    if script_title:
        note(p.names["scripttitle"], script_title)
    # --- containers
    if entry_type == "article":
        put_first("journal", _PERIODICAL)
    elif entry_type == "online":
        put_first("organization", ("website", "work", "periodical", "newspaper", "magazine", "journal"))
    elif entry_type == "incollection" and family in {"encyclopedia", "citation"} and not chapter:
        put_first("booktitle", (*_ENCYCLOPEDIA, "work", "website"))
    elif entry_type == "inproceedings":
        put_first("booktitle", ("booktitle", "proceedings"))
        put_first("eventtitle", ("conference", "event"))
    elif entry_type == "misc":
        put_first("howpublished", _PERIODICAL)
        put_first("eventtitle", ("event", "conference"))
    if entry_type in {"incollection", "book"}:
        put_first("booktitle", ("booktitle",))
    # --- publication
    publisher_field = {"techreport": "institution", "phdthesis": "school", "mastersthesis": "school"}.get(
        entry_type, "school" if entry_type == "thesis" else "publisher"
    )
    put_first(publisher_field, _PUBLISHER)
    put_first("address", _PLACE)
    if family == "thesis":
        put_first("type", ("degree", "type"))
    elif family == "press release":
        put("type", p.take("type") or "Press release")
    else:
        put_first("type", ("type", "medium"))
    for canon, field in _SIMPLE_FIELDS.items():
        if field not in mapped:
            put(field, p.take(canon))
    put_first("number", _NUMBER)
    # --- dates
    _dates(p, put, note, problems)
    # --- pages and locators
    if is_part:
        put_first("pages", ("pages", "pp"))
        page, pages, at = p.take("page", "p"), None, p.take("at", "loc")
    else:
        page = p.take("page", "p")
        pages = p.take("pages", "pp")
        at = p.take("at", "loc")
    extra_at = [f"at {v}" for _, v in p.take_all("time")] + [
        f"{v} minutes in" for _, v in p.take_all("minutes")
    ]
    locator = _locator_of(page, pages, ", ".join(filter(None, [at, *extra_at])) or None)
    # --- identifiers and links
    doi = p.take("doi")
    if doi:
        problem = doi_problem(doi)
        if problem:
            problems.append(f"doi '{doi}' {problem}")
            note(p.names["doi"], doi)
        else:
            mapped["doi"] = doi
    for canon, kind in _EPRINTS:
        if "eprint" in mapped:
            break
        eprint = p.take(canon)
        if eprint:
            put("eprint", eprint)
            mapped["eprinttype"] = kind
            if kind == "arxiv":
                put("eprintclass", p.take("class"))
    _links(p, is_part, put, note, problems)
    # --- quotes
    quote_parts = [x for x in (p.take("scriptquote"), p.take("quote")) if x]
    trans_quote = p.take("transquote")
    if trans_quote:
        quote_parts.append(f"[{trans_quote}]")
    quote_locator = _locator_of(p.take("quotepage"), p.take("quotepages"), None)
    ref = p.take("ref")  # the anchor Wikipedia gives the citation: carried as ``citeref``
    citeref = _citeref(ref, citeref_names, p)
    for canon, value in p.values.items():
        if not _balanced(value):
            problems.append(_brace_problem(p.names[canon], value))
    # --- the rest
    ignored: list[tuple[str, str]] = [(p.names["ref"], ref)] if ref else []
    for canon, name, value in p.rest():
        if canon in _DISPLAY_ONLY or _ACCESS_FLAG.match(canon) or canon in display:
            ignored.append((name, value))
        else:
            note(name, value)
    return _assemble(
        template,
        entry_type,
        mapped,
        notes,
        citeref,
        locator=locator,
        quote=" ".join(quote_parts) or None,
        quote_locator=quote_locator,
        problems=problems,
        ignored=ignored,
    )


def _people(
    template: str, p: _Params, problems: list[str], notes: list[str]
) -> tuple[dict[str, list[str]], list[str], set[str]]:
    """BibTeX names by role (author, editor, translator), the family names for CITEREF, and the canonical
    names of display-only name parameters (links, masks). Other roles (interviewer …) become notes."""
    slots: dict[tuple[str, int], dict[str, str]] = {}
    display: set[str] = set()
    vancouver = template in _VANCOUVER_TEMPLATES  # {{vcite journal|author=Smith AB, Jones C}}
    for canon, value in p.values.items():
        if (vancouver and canon == "author") or not canon.startswith(_NAME_PREFIXES):
            continue
        match = _NAME_PARAM.match(canon)
        bare = _BARE_NAME_PARAM.match(canon)
        if match:
            role, part = match["role"], match["part"] or "full"
            number = match["n1"] or match["n2"]
        elif bare:
            role, part, number = "author", bare["part"], bare["n"]
        else:
            continue
        if part in {"link", "mask"}:
            display.add(canon)
            continue
        part = {"surname": "last", "given": "first"}.get(part, part)
        p.used.add(canon)
        slot = slots.setdefault((role, int(number or 1)), {})
        if part in slot:  # |last1= and |surname1=: the first kept, the other as a note
            notes.append(f"{p.names[canon]}: {value}")
        else:
            slot[part] = value
            slot[part + "-param"] = p.names[canon]
    people: dict[str, list[str]] = {}
    citeref: dict[str, list[str]] = {}
    for (role, _), slot in sorted(slots.items(), key=lambda item: (item[0][0], item[0][1])):
        family = slot.get("last") or slot.get("full")
        given = slot.get("first")
        if "last" in slot and "full" in slot:
            notes.append(f"{slot['full-param']}: {slot['full']}")
        if family is None:
            problems.append(f"{slot['first-param']} '{given}' has no family name beside it; kept as a note")
            notes.append(f"{slot['first-param']}: {given}")
            continue
        citeref.setdefault(role, []).append(family)
        if role in _NAME_ROLES:
            people.setdefault(role, []).append(_person(family, given))
        else:
            plain = f"{given} {family}" if given else family
            notes.append(f"{role}: {plain}")
    for canon, role in (
        ("vauthors", "author"),
        ("author", "author"),
        ("veditors", "editor"),
        ("authors", "author"),
        ("people", "author"),
        ("editors", "editor"),
    ):
        listing = p.take(canon)
        if not listing:
            continue
        if canon.startswith("v") or vancouver:
            listed = _vancouver(listing)
            people.setdefault(role, []).extend(listed)
            citeref.setdefault(role, []).extend(
                bibtex_to_text(x.split(",")[0].strip("{}")) for x in listed if x != "others"
            )
        else:
            people.setdefault(role, []).append(_literal(listing))
            citeref.setdefault(role, []).append(listing)
    etal = p.values.get("displayauthors", "").lower().replace(".", "").replace(" ", "")
    if etal == "etal" and people.get("author"):
        p.used.add("displayauthors")
        people["author"].append("others")
    return people, citeref.get("author") or citeref.get("editor") or [], display


def _dates(
    p: _Params,
    put: Callable[..., None],
    note: Callable[[str, str], None],
    problems: list[str],
) -> None:
    date = p.take("date")
    if date is None:
        date = p.take("publicationdate")
    year = p.take("year")
    if date:
        iso = iso_date(date)
        if iso:
            put("date", iso, False)
        elif year is None:
            put("year", date)
            problems.append(f"date '{date}' is not a calendar date biblatex can read; kept as given in year")
        else:
            note("date", date)
            problems.append(f"date '{date}' is not a calendar date biblatex can read; kept as a note")
    if p.has("publicationdate"):
        note(p.names["publicationdate"], p.take("publicationdate") or "")
    put("year", year)
    orig = p.take_all("origdate", "origyear")
    for name, value in orig:
        iso = iso_date(value)
        if iso and name == orig[0][0]:
            put("origdate", iso, False)
        else:
            note(name, value)
    access = p.take_all("accessdate")
    for name, value in access:
        iso = iso_date(value)
        if iso:
            put("urldate", iso, False)
        else:
            note(name, value)
            problems.append(f"{name} '{value}' is not a calendar date; kept as a note")
    for _, value in p.take_all("archivedate"):
        put("archivedate", iso_date(value) or value, iso_date(value) is None)


def _links(
    p: _Params,
    is_part: bool,
    put: Callable[..., None],
    note: Callable[[str, str], None],
    problems: list[str],
) -> None:
    urls = p.take_all("url")
    part_urls = p.take_all(*_CHAPTER_URLS)
    main = part_urls if is_part and part_urls else urls
    others = urls if main is part_urls else part_urls
    status = p.values.get("urlstatus", "").lower()
    for field, given in (("url", main), ("archiveurl", p.take_all("archiveurl"))):
        for n, (name, value) in enumerate(given):
            problem = url_problem(value)
            if problem:
                problems.append(f"{name} '{value}' {problem}; kept as a note, not a link")
                note(name, value)
            elif field == "url" and status in {"unfit", "usurped"}:
                problems.append(f"{name} '{value}' is marked url-status={status}; kept as a note, not a link")
                note(name, value)
            elif n == 0:
                put(field, value, False)
            else:
                note(name, value)
    for name, value in others:
        note(name, value)


_ALNUM_RUN = re.compile(r"[a-z0-9]+")


def _slug(text: str, limit: int = 40) -> str:
    if text.isascii():  # nothing to fold
        ascii_text = text
    else:
        folded = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
        ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
        ascii_text = ascii_text.encode("ascii", "ignore").decode()
    ascii_text = ascii_text.lower().replace("'", "")  # (’ is not ASCII: gone already)
    slug = "-".join(_ALNUM_RUN.findall(ascii_text))
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def _words(text: str, count: int) -> list[str]:
    significant: list[str] = []
    for word in _WORD_SPLIT.split(text):  # slugged one by one: a key needs only the first few
        slug = _slug(word)
        if slug and slug not in _STOPWORDS:
            significant.append(slug)
            if len(significant) == count:
                break
    return significant


_WORD_SPLIT = re.compile(r"[\s\-–—/:;,.!?()\[\]\"“”‘’]+")


def _key_base(work: CitationWork) -> str:
    """``de-waal-2003-black``: first author's family name, year, first significant title word."""
    if work.template == "":
        text = " ".join(work.notes)
        found = _YEAR_IN.search(text)
        parts = [*_words(text, 3), found.group(1) if found else ""]
        return "-".join(x for x in parts if x) or "note"
    who = ""
    for role in ("author", "editor"):
        value = work.field(role)
        if value:
            who = _slug(_family_of(value))
            if who:
                break
    if not who:
        for name in ("organization", "institution", "publisher", "school", "journal", "howpublished"):
            who = _slug(work.text(name) or "")
            if who:
                break
    year = ""
    date = work.field("date")
    if date and date[:4].isdigit():
        year = date[:4]
    else:
        in_year = _YEAR_IN.search(work.text("year") or "")
        year = in_year.group(1) if in_year else ""
    title_words = _words(work.text("title") or work.text("booktitle") or "", 1 if who else 3)
    return "-".join(x for x in (who, year, *title_words) if x) or "work"


def citation_key(work: CitationWork, taken: Collection[str] = (), *, lowered: bool = False) -> str:
    """A readable, stable key for ``work`` not among ``taken`` (compared without case, as BibTeX does):
    ``de-waal-2003-black``, then ``de-waal-2003-black-b``, ``-c`` … Only ASCII letters, digits and ``-``.
    With ``lowered``, ``taken`` is a set of keys already in lower case (a reader keying many works keeps
    one, instead of lowering every key again for every work)."""
    used = taken if lowered else {t.lower() for t in taken}
    key = work.key_base
    n = 0
    while key.lower() in used:
        n += 1
        key = f"{work.key_base}-{_letter(n)}"
    assert key_problem(key) is None, key
    return key


# --- anchors and short citations --------------------------------------------------------------------
def _anchor(text: str) -> str:
    return "_".join(text.split())


def harvid(params: Sequence[tuple[str, str]]) -> str:
    """The anchor ``{{harvid|de Waal|2003}}`` makes: ``CITEREFde_Waal2003``."""
    positional = [_clean(v) for k, v in params if k.strip().isdigit() and _clean(v)]
    return _anchor("CITEREF" + "".join(positional[:5]))


def _citeref(ref: str | None, names: list[str], p: _Params) -> str | None:
    if ref:
        low = ref.strip().lower()
        if low == "none":
            return None
        if low != "harv":
            match = re.match(r"^\{\{\s*harvid\s*\|(.*)\}\}$", ref.strip(), re.IGNORECASE | re.DOTALL)
            if match:
                parts = match.group(1).split("|")
                return harvid([(str(i), v) for i, v in enumerate(parts, 1)])
            return _anchor(ref)
    if not names:
        return None
    year = p.values.get("year")
    if not year:
        found = _YEAR_IN.search(p.values.get("date", ""))
        year = found.group(1) if found else ""
    return _anchor("CITEREF" + "".join(names[:4]) + year)


def citeref_id(work: CitationWork) -> str | None:
    """The ``CITEREF…`` anchor Wikipedia gives a full citation (``CITEREFde_Waal2003``: up to four family
    names and the year, spaces as ``_``; or its ``|ref=``), which ``{{sfn}}`` and ``{{harv}}`` link to."""
    return work.citeref


@dataclass(frozen=True)
class ShortCitation:
    """A ``{{sfn}}``/``{{harv}}`` citation: family names, year, locator and the anchor it links to."""

    template: str
    names: tuple[str, ...]
    year: str | None
    locator: str | None
    citeref: str


def short_citation(template_name: str, params: Sequence[tuple[str, str]]) -> ShortCitation | None:
    """``{{sfn|de Waal|2003|p=12}}`` → names ``("de Waal",)``, year ``2003``, locator ``p. 12``, anchor
    ``CITEREFde_Waal2003``; None when the template is not ``sfn``, ``sfnp``, ``harv``, ``harvnb``,
    ``harvp``, ``harvtxt`` or ``harvcol…``."""
    template = normalise_template_name(template_name)
    if template not in _SHORT_TEMPLATES:
        return None
    positional = sorted(
        ((int(k.strip()), _clean(v)) for k, v in params if k.strip().isdigit() and _clean(v)),
        key=lambda item: item[0],
    )
    named = {_canonical(k): _clean(v) for k, v in params if not k.strip().isdigit() and _clean(v)}
    names: list[str] = []
    year = None
    for _, value in positional:
        if _CITEREF_YEAR.match(value):
            year = value
            break
        names.append(value)
    names = names[:4]
    locator = _locator_of(
        named.get("p") or named.get("page"),
        named.get("pp") or named.get("pages"),
        named.get("loc") or named.get("at") or named.get("location"),
    )
    citeref = _anchor(named["ref"]) if "ref" in named else _anchor("CITEREF" + "".join(names) + (year or ""))
    return ShortCitation(template, tuple(names), year, locator, citeref)


_PAGE_NUMBER = re.compile(r"^(?:[A-Za-z]?\d+[A-Za-z]?|[ivxlcdm]+|[IVXLCDM]+)$")


def rp_locator(params: Sequence[tuple[str, str]]) -> str | None:
    """The locator of ``{{rp|12}}`` (``p. 12``), ``{{rp|12–15}}`` (``pp. 12–15``), ``{{rp|page=12}}``,
    ``{{rp|pages=…}}``, ``{{rp|at=fig. 3}}`` (as given); positional text that is not a page number is
    kept as given."""
    named = {(_canonical(k) if not k.strip().isdigit() else k.strip()): _clean(v) for k, v in params}
    first = named.get("1", "")
    page, pages, at = named.get("page") or named.get("p"), named.get("pages") or named.get("pp"), None
    if first:
        if re.search(r"\d\s*[-–—]\s*\w|,|&| and ", first):
            pages = pages or first
        elif _PAGE_NUMBER.match(first):
            page = page or first
        else:
            at = first
    at = ", ".join(x for x in (at, named.get("at") or named.get("loc") or named.get("location")) if x)
    return _locator_of(page, pages, at or None)


# --- free text, merging, the library ------------------------------------------------------------------
def _brace_problem(name: str, value: str) -> str:
    return (
        f"{name} '{value}' has an unpaired brace, which BibTeX cannot hold: written as "
        "\\textbraceleft{} or \\textbraceright{}, which this package's reader shows as nothing"
    )


def free_text_entry(text: str) -> CitationWork:
    """A reference of free text (no template) as ``@misc`` whose ``note`` is the text, unchanged."""
    value = _clean(text)
    problems = [f"text held control characters, removed: '{value}'"] if _CONTROL.search(text) else []
    if not _balanced(value):
        problems.append(_brace_problem("text", value))
    return _assemble("", "misc", {}, [value] if value else [], None, problems=problems)


def with_locator(work: CitationWork, locator: str | None) -> CitationWork:
    """The same work cited at another place (``p. 12``), e.g. by an ``{{sfn}}`` or ``{{rp}}``."""
    return replace(work, locator=locator)


def merge_works(first: CitationWork, other: CitationWork) -> CitationWork:
    """One entry for two citations of the same work: ``first``'s fields, plus the fields only ``other``
    has; a field both give differently keeps ``first``'s value and names ``other``'s in ``problems``."""
    mapped = {k: v for k, v in first.fields if k != "note"}
    problems = list(first.problems) + list(other.problems)
    for name, value in other.fields:
        if name == "note":
            continue
        if name not in mapped:
            mapped[name] = value
        elif _fold(first.text(name) or "") != _fold(other.text(name) or ""):
            problems.append(
                f"another citation of this work gives {name} '{other.text(name)}'; "
                f"'{first.text(name)}' is kept"
            )
    return _assemble(
        first.template,
        first.entry_type,
        mapped,
        [*first.notes, *other.notes],
        first.citeref or other.citeref,
        locator=first.locator,
        quote=first.quote,
        quote_locator=first.quote_locator,
        problems=problems,
        ignored=dict.fromkeys([*first.ignored, *other.ignored]),
        key_base=first.key_base,
    )


def to_entry(key: str, work: CitationWork) -> Entry:
    """The work as the model's bibliography entry (text fields decoded as the .bib reader decodes them)."""
    problem = key_problem(key)
    if problem:
        raise ValueError(problem)
    return Entry(
        key=key,
        entry_type=work.entry_type,
        fields=work.fields,
        text_fields=tuple((k, v if k in VERBATIM_FIELDS else bibtex_to_text(v)) for k, v in work.fields),
    )


@dataclass(frozen=True)
class CiteRef:
    """One citation inside a note: the entry's key and what this citation adds (``p. 12``, a quote)."""

    key: str
    locator: str | None = None
    quote: str | None = None
    quote_locator: str | None = None


@dataclass(frozen=True)
class CitedLibrary:
    """The works an article cites, one per identity with its key, and each note's citations."""

    works: tuple[tuple[str, CitationWork], ...]
    notes: tuple[tuple[str, tuple[CiteRef, ...]], ...]

    def note_map(self) -> dict[str, tuple[str, ...]]:
        """Note labels (``"1"``, ``"2"`` …) to the keys their citations cite, in order."""
        return {label: tuple(c.key for c in refs) for label, refs in self.notes}

    def work(self, key: str) -> CitationWork:
        """The work with this key; raises KeyError."""
        for k, work in self.works:
            if k == key:
                return work
        raise KeyError(key)

    def entries(self) -> tuple[Entry, ...]:
        """Every work as the model's entry, in order of first citation."""
        return tuple(to_entry(k, w) for k, w in self.works)

    def bibliography(self, source: str = "") -> Bibliography:
        """The works as the model's Bibliography."""
        return Bibliography(self.entries(), source)


def collect_citations(
    notes: Iterable[tuple[str, Sequence[CitationWork]]], taken: Collection[str] = ()
) -> CitedLibrary:
    """Key and merge the citations of an article's notes, in note order: works with the same identity
    become one entry (:func:`merge_works`), keys are given in order of first citation and avoid
    ``taken`` (keys already in use, e.g. in another .bib)."""
    index: dict[tuple[str, ...], int] = {}
    works: list[tuple[str, CitationWork]] = []
    used = {t.lower() for t in taken}
    out: list[tuple[str, tuple[CiteRef, ...]]] = []
    for label, cited in notes:
        refs = []
        for work in cited:
            at = index.get(work.identity)
            if at is None:
                key = citation_key(work, used)
                used.add(key.lower())
                index[work.identity] = len(works)
                works.append((key, replace(work, locator=None, quote=None, quote_locator=None)))
            else:
                key, first = works[at]
                works[at] = (key, merge_works(first, work))
            refs.append(CiteRef(key, work.locator, work.quote, work.quote_locator))
        out.append((label, tuple(refs)))
    return CitedLibrary(tuple(works), tuple(out))
