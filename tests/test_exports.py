"""The exports read back by independent consumers: pybtex, citeproc-py, bibtexparser, Pandoc, html5lib,
jsonschema, pylatexenc (and LaTeX where installed), with an article full of awkward characters."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import html5lib
import jsonschema
import pytest
from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from conftest import write_document

from kalbajar_report import Article, export, load_article, to_html, to_latex
from kalbajar_report.bibtex import written_fields
from kalbajar_report.cli import main
from kalbajar_report.exports import FORMATS, OFFICE_FORMATS, latex_sections
from kalbajar_report.exports.latex import escape_latex
from kalbajar_report.exports.markdown import escape_markdown

NASTY = "& % $ # _ { } ~ ^ \\ < > \"double\" 'single' `tick` -- --- ... << >> ,, |pipe| [x]"
SENTENCES = (
    f"Turgut Özal saw Kəlbəcər: {NASTY}.",
    '<font color="red">Red</font> and <a href="javascript:alert(1)">a link</a> and {{ 7*7 }} {% if x %}.',
    "\\textbf{x} and \\section{y} and $math$ and @notacite and <!-- comment --> &amp; stay literal.",
    "1. Starts like a list item.",
    "- Starts like a bullet; + too: * and # and > and % and = and : and (a) and I. too.",
)
QUOTE = "A quotation with <i>tags</i> & {braces} and “curly” quotes."
ATTRIBUTION = "Some One, <Work> & {{ x }}"

# sentences 3 and 4 start like list items: the backslash at the line start makes them text
BODY = f"""# Odd & <b>bold</b> {{{{ title }}}} {{#odd}}

{SENTENCES[0]}[@weird]
{SENTENCES[1]}[1]
{SENTENCES[2]}

\\{SENTENCES[3]}[1][@weird]
\\{SENTENCES[4]}

## Sub \\textit{{sub}} {{#sub}}

> {QUOTE}
>> {ATTRIBUTION}[@weird]
"""
HEADER = (
    "@slug: kalbajar\n"  # the export tests read files by the shipped article's names
    '@subtitle: Tom & Jerry’s <font color="red">{{ 7*7 }}</font> \\textbf{x}\n'
    "@source: A & B “source” | https://example.org/a?b=1&c=2#frag\n"
    "@licence: CC BY-SA 4.0 | https://creativecommons.org/licenses/by-sa/4.0/\n"
    "@note: A note with 50% & $5 #1 _under_ {braces} ~tilde^ \\back <tag> \"q\" 'a'.\n"
    "@glossary: Kəlbəcər | Kalbajar; Kelbajar | A <district> & its {capital}.\n"
    '@fact: Odd fact | 50% & <more> | odd | "Starts like a list"\n'
    '@event: 1993-04-02 | An <event> & more | odd | "Starts like a bullet"\n'
)
BIB = r"""@book{weird,
  author = {{\"O}zal, Turgut and {Tom \& Jerry Ltd.}},
  title = {Kəlbəcər: 50\% \& \{more\} \$5 \#1 \_x <font> ``quoted''},
  publisher = {P \& Q},
  address = {Bak{\i}},
  year = {1993},
  url = {https://example.org/book?a=1&b=2},
  keywords = {named-work},
}

@misc{numbered-one,
  title = {Reference one},
  note = {Reference [1] of a generated document, with 100\% \& <angle> text.},
  marker = {1},
  keywords = {numbered-reference},
}

@misc{uncited,
  title = {Never cited},
  year = {2000},
}
"""


@pytest.fixture(scope="session")
def nasty(tmp_path_factory: pytest.TempPathFactory) -> Article:
    content, bib = write_document(tmp_path_factory.mktemp("nasty"), BODY, BIB, HEADER)
    return load_article(content, bib)


@pytest.fixture(scope="session", params=["shipped", "nasty"])
def any_article(request: pytest.FixtureRequest, article: Article, nasty: Article) -> Article:
    return article if request.param == "shipped" else nasty


def exported(article: Article, fmt: str, folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in export(article, fmt, folder)}


# --- the article read is the awkward one we meant ---------------------------------------------------
def test_the_awkward_article_holds_its_characters(nasty: Article) -> None:
    texts = [s.text for s in nasty.sentences()]
    assert texts[: len(SENTENCES)] == list(SENTENCES)
    assert nasty.section("odd").title == "Odd & <b>bold</b> {{ title }}"


# --- BibTeX: pybtex, bibtexparser -------------------------------------------------------------------
def test_pybtex_formats_every_entry(any_article: Article, tmp_path: Path) -> None:
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    bib = exported(any_article, "bib", tmp_path)["kalbajar.bib"]
    data = parse_file(str(bib), bib_format="bibtex")
    assert set(data.entries) == {e.key for e in any_article.bibliography.entries}
    style = find_plugin("pybtex.style.formatting", "plain")()
    backend = find_plugin("pybtex.backends", "text")()
    formatted = {e.key: e.text.render(backend) for e in style.format_entries(data.entries.values())}
    for entry in any_article.bibliography.entries:
        title = entry.text("title") or ""
        words = [w for w in re.findall(r"\w+", title) if len(w) > 3]
        assert any(w in formatted[entry.key] for w in words), (entry.key, formatted[entry.key])


def test_bibtexparser_round_trip_is_lossless(any_article: Article, tmp_path: Path) -> None:
    text = exported(any_article, "bib", tmp_path)["kalbajar.bib"].read_text(encoding="utf-8")
    first = parse_string(text)
    assert not first.failed_blocks
    again = write_string(first)
    second = parse_string(again)

    def fields(lib: Library) -> list[tuple[str, str, list[tuple[str, Any]]]]:
        return [(e.entry_type, e.key, [(f.key, f.value) for f in e.fields]) for e in lib.entries]

    assert fields(first) == fields(second)
    assert write_string(second) == again
    for entry in any_article.bibliography.entries:
        written = first.entries_dict[entry.key].fields_dict
        for name, value in written_fields(entry):
            assert written[name].value == value, (entry.key, name)


# --- CSL-JSON: citeproc-py ---------------------------------------------------------------------------
def test_citeproc_formats_every_csl_item(any_article: Article, tmp_path: Path) -> None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(
        exported(any_article, "csl", tmp_path)["kalbajar.csl.json"].read_text(encoding="utf-8")
    )
    assert [i["id"] for i in items] == [e.key for e in any_article.bibliography.entries]
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(b) for b in bibliography.bibliography()]
    assert len(rendered) == len(items)
    for item in items:
        assert any(item["title"] in r for r in rendered), item["title"]


def test_csl_maps_only_the_fields_an_entry_has(any_article: Article, tmp_path: Path) -> None:
    items = json.loads(
        exported(any_article, "csl", tmp_path)["kalbajar.csl.json"].read_text(encoding="utf-8")
    )
    for item in items:
        entry = any_article.bibliography[item["id"]]
        assert item["title"] == entry.text("title")
        briefing = entry.key == any_article.metadata.briefing_key  # dated by the build, as in the .bib
        assert ("issued" in item) == bool(entry.field("year") or entry.field("date") or briefing)
        assert ("author" in item) == bool(entry.field("author"))
        assert ("URL" in item) == bool(entry.field("url"))
        assert ("ISBN" in item) == bool(entry.field("isbn"))


def test_csl_names_of_the_awkward_entry(nasty: Article, tmp_path: Path) -> None:
    items = {
        i["id"]: i for i in json.loads(exported(nasty, "csl", tmp_path)["kalbajar.csl.json"].read_text())
    }
    assert items["weird"]["author"] == [
        {"family": "Özal", "given": "Turgut"},
        {"literal": "Tom & Jerry Ltd."},
    ]
    assert items["weird"]["title"] == "Kəlbəcər: 50% & {more} $5 #1 _x <font> “quoted”"
    assert items["weird"]["publisher-place"] == "Bakı"


# --- RIS -----------------------------------------------------------------------------------------------
def parse_ris(text: str) -> list[list[tuple[str, str]]]:
    records: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, f"not a RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "ER":
            records.append(current)
            current = []
        else:
            current.append((tag, value))
    assert not current, "a record without ER"
    return records


def test_ris_records_read_back(any_article: Article, tmp_path: Path) -> None:
    records = parse_ris(exported(any_article, "ris", tmp_path)["kalbajar.ris"].read_text(encoding="utf-8"))
    assert len(records) == len(any_article.bibliography.entries)
    for record, entry in zip(records, any_article.bibliography.entries, strict=True):
        tags = dict(record)
        assert record[0][0] == "TY"
        assert tags["ID"] == entry.key
        assert tags["TI"] == entry.text("title")
        dated = (
            bool(entry.field("year") or entry.field("date")) or entry.key == any_article.metadata.briefing_key
        )
        assert ("PY" in tags) == dated  # the build dates the briefing's own entry
        assert ("UR" in tags) == bool(entry.field("url"))


# --- JSON ----------------------------------------------------------------------------------------------
def resolve_pointer(doc: Any, pointer: str) -> Any:
    for part in pointer.lstrip("/").split("/"):
        doc = doc[int(part)] if isinstance(doc, list) else doc[part.replace("~1", "/").replace("~0", "~")]
    return doc


def test_json_validates_against_its_schema(any_article: Article, tmp_path: Path) -> None:
    files = exported(any_article, "json", tmp_path)
    schema = json.loads(files["kalbajar.schema.json"].read_text(encoding="utf-8"))
    data = json.loads(files["kalbajar.json"].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["schema_version"] == 2
    broken = {**data, "sections": [{**data["sections"][0], "level": "one"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_json_round_trips_the_model(any_article: Article, tmp_path: Path) -> None:
    data = json.loads(exported(any_article, "json", tmp_path)["kalbajar.json"].read_text(encoding="utf-8"))

    def sentences(sections: list[Any]) -> list[Any]:
        out = []
        for sec in sections:
            out += [s for block in sec["blocks"] for s in block["sentences"]]
            out += sentences(sec["subsections"])
        return out

    read = sentences(data["sections"])
    model = list(any_article.sentences())
    assert [s["text"] for s in read] == [s.text for s in model]
    assert [[c["key"] for c in s["citations"]] for s in read] == [[c.key for c in s.citations] for s in model]
    assert [s["provenance"]["origin"] for s in read] == [s.provenance.origin for s in model]
    assert [s["location"]["line"] for s in read] == [s.location.line for s in model]
    for fact, item in zip(any_article.facts, data["facts"], strict=True):
        assert resolve_pointer(data, item["sentence"])["text"] == fact.sentence.text
    for event, item in zip(any_article.events, data["events"], strict=True):
        assert resolve_pointer(data, item["sentence"])["text"] == event.sentence.text
        assert item["date"] == event.date.iso()
    assert [e["key"] for e in data["bibliography"]["entries"]] == [
        e.key for e in any_article.bibliography.entries
    ]
    assert [g["term"] for g in data["glossary"]] == [g.term for g in any_article.glossary]
    assert data["metadata"]["title"] == any_article.metadata.title


# --- HTML ----------------------------------------------------------------------------------------------
VOID = {"meta", "link", "br", "hr", "img", "input", "source", "wbr", "area", "base", "col", "embed", "track"}


class StrictTags(html.parser.HTMLParser):
    """Every non-void tag closed, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name == "href" and value is not None:
                self.hrefs.append(value)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


NS = "{http://www.w3.org/1999/xhtml}"


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_html_is_well_formed_and_every_link_resolves(any_article: Article, tmp_path: Path) -> None:
    page = exported(any_article, "html", tmp_path)["kalbajar.html"].read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(page)  # raises on any parse error
    checker = StrictTags()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"
    internal = [h[1:] for h in checker.hrefs if h.startswith("#")]
    assert internal and set(internal) <= set(checker.ids)
    external = [h for h in checker.hrefs if not h.startswith("#")]
    assert all(h.startswith(("http://", "https://")) for h in external), external
    refs = [i for i in checker.ids if i.startswith("fnref-")]
    assert len(refs) == sum(
        len(dict.fromkeys(c.key for c in s.citations)) for s in any_article.sentences()
    ) + sum(
        len(dict.fromkeys(c.key for c in b.attribution_citations))
        for sec in any_article.walk()
        for b in sec.blocks
        if hasattr(b, "attribution_citations")
    )
    for ref in refs:  # every note reference has a back-link from its note
        assert f'href="#{ref}"' in page


def test_html_is_accessible_structure(any_article: Article) -> None:
    doc = html5lib.parse(to_html(any_article))
    assert doc.get("lang") == any_article.metadata.language
    body = doc.find(f"{NS}body")
    assert body is not None
    h1 = body.findall(f".//{NS}h1")
    assert len(h1) == 1 and text_of(h1[0]) == any_article.metadata.title
    for sec in any_article.walk():
        heading = body.find(f".//*[@id='sec-{sec.id}']")
        assert heading is not None and heading.tag == f"{NS}h{sec.level + 1}"
        assert text_of(heading) == sec.title
    quotes = body.findall(f".//{NS}blockquote")
    assert len(quotes) == sum(1 for s in any_article.walk() for b in s.blocks if hasattr(b, "attribution"))
    for quote in quotes:
        assert quote.find(f"{NS}footer/{NS}cite") is not None


def test_html_contents_are_nested_and_numbered_as_in_the_pdf(any_article: Article) -> None:
    doc = html5lib.parse(to_html(any_article))
    nav = doc.find(f".//{NS}nav")
    assert nav is not None

    def entries(ol: ET.Element, prefix: str) -> list[tuple[str, str]]:
        out = []
        for i, li in enumerate(ol.findall(f"{NS}li"), start=1):
            link = li.find(f"{NS}a")
            assert link is not None
            number = f"{prefix}{i}"
            out.append((link.get("href") or "", text_of(link)))
            assert text_of(link).startswith(number + " ")
            sub = li.find(f"{NS}ol")  # subsections: a list inside their parent's item
            if sub is not None:
                out += entries(sub, number + ".")
        return out

    top = nav.find(f"{NS}ol")
    assert top is not None
    assert len(top.findall(f"{NS}li")) == len(any_article.sections)
    listed = entries(top, "")
    assert [href for href, _ in listed] == [f"#sec-{s.id}" for s in any_article.walk()]
    assert [text.split(" ", 1)[1] for _, text in listed] == [s.title for s in any_article.walk()]
    if any(s.subsections for s in any_article.sections):
        assert nav.find(f".//{NS}li/{NS}ol") is not None


def test_html_notes_carry_one_label_and_the_footer_a_heading(any_article: Article) -> None:
    page = to_html(any_article)
    doc = html5lib.parse(page)
    notes = doc.find(f".//{NS}ol[@class='notes']")
    assert notes is not None
    for li in notes.findall(f"{NS}li"):
        labels = li.findall(f"{NS}span[@class='label']")
        assert len(labels) == 1 and labels[0].text
    # the list's own numbers are hidden: the labels are the notes' numbers (in a browser: test_html_browser)
    assert re.search(r"ol\.notes[^{]*\{[^}]*list-style: none", page)
    assert re.search(r"nav ol[^{]*\{[^}]*list-style: none", page)
    footer = doc.find(f"{NS}body/{NS}footer")
    assert footer is not None
    heading = footer.find(f"{NS}h2")
    assert heading is not None and text_of(heading) == "About this text"
    assert footer.get("aria-labelledby") == heading.get("id")


def test_html_template_text_has_no_straight_apostrophes() -> None:
    template = Path(__file__).parent.parent / "templates" / "article.html.j2"
    text = re.sub(r"\{[{%#].*?[}%#]\}", "", template.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"<[^>]*>", "", text)  # attribute quotes are markup, not text
    assert "'" not in text


def test_html_prints_content_literally(nasty: Article) -> None:
    doc = html5lib.parse(to_html(nasty))
    paragraphs = [text_of(p) for p in doc.iter(f"{NS}p")]
    for sentence in SENTENCES:
        assert any(" ".join(sentence.split()) in p for p in paragraphs), sentence
    assert doc.find(f".//{NS}font") is None
    assert all(not (a.get("href") or "").startswith("javascript") for a in doc.iter(f"{NS}a"))
    cite = doc.find(f".//{NS}cite")
    assert cite is not None and text_of(cite) == ATTRIBUTION


# --- Markdown: Pandoc ------------------------------------------------------------------------------------
def unescape_markdown(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@pytest.mark.parametrize(
    "text", [*SENTENCES, QUOTE, ATTRIBUTION, "I. B. Tauris", "(a) item", "+ x", "--- ---"]
)
def test_markdown_escape_is_reversible(text: str) -> None:
    escaped = escape_markdown(text)
    assert unescape_markdown(escaped) == text
    bare = re.sub(r"\\.", "", escaped)  # what is left once every escaped character is taken out
    assert not re.search(r"[<>\[\]{}*_`@$\\&\"'~^|#]", bare), escaped


def pandoc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pandoc")
    if exe is None:
        pytest.skip("pandoc is not installed")
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_pandoc_renders_every_citation(any_article: Article, tmp_path: Path) -> None:
    files = exported(any_article, "md", tmp_path)
    assert set(files) == {"kalbajar.md", "kalbajar.bib"}
    result = pandoc("--citeproc", "kalbajar.md", "-t", "plain", "--wrap=none", "-o", "out.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not found" not in result.stderr and "WARNING" not in result.stderr, result.stderr
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    for entry in any_article.bibliography.entries:
        if entry.key in any_article.cited_keys():
            words = [w for w in re.findall(r"\w+", entry.text("title") or "") if len(w) > 3]
            assert any(w.lower() in out.lower() for w in words), entry.key


def test_pandoc_prints_content_literally(nasty: Article, tmp_path: Path) -> None:
    exported(nasty, "md", tmp_path)
    result = pandoc("--citeproc", "kalbajar.md", "-t", "json", "-o", "out.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ast = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))

    def inline_text(items: list[Any]) -> str:
        out = []
        for item in items:
            kind, content = item["t"], item.get("c")
            if kind == "Str":
                out.append(content)
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif kind == "Cite" and out and out[-1] == " ":
                out.pop()  # a citation stands before the closing punctuation, a space before it
            elif kind in ("RawInline", "Math", "Code", "Link", "Image", "Emph", "Strong", "Superscript"):
                out.append(f"<<{kind}>>")  # markup that content must never become
            elif kind == "Quoted":
                out.append(f"<<{kind}>>")
        return "".join(out)

    paras = [inline_text(b["c"]) for b in ast["blocks"] if b["t"] in ("Para", "Plain")]
    headers = {f"sec-{s.id}" for s in nasty.walk()} | {"about-this-text", "bibliography"}
    headers |= {"key-facts", "timeline", "glossary"}
    for block in ast["blocks"]:
        assert block["t"] not in ("OrderedList", "RawBlock", "CodeBlock", "HorizontalRule", "Header") or (
            block["t"] == "Header" and block["c"][1][0] in headers
        )
    for sentence in SENTENCES:
        assert any(sentence in p for p in paras), (sentence, paras)
    assert ast["meta"]["title"]["c"] and "<<" not in inline_text(ast["meta"]["title"]["c"])
    assert inline_text(ast["meta"]["subtitle"]["c"]) == nasty.metadata.subtitle


# --- LaTeX -----------------------------------------------------------------------------------------------
def latex_decoder() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    # the T1 / textcomp text symbols that pylatexenc's decoder does not know
    extra = {"textless": "<", "textgreater": ">", "textquotedbl": '"', "textbar": "|", "textasciicircum": "^"}
    db = get_default_latex_context_db()
    db.add_context_category("t1", prepend=True, macros=[MacroTextSpec(k, v) for k, v in extra.items()])
    return LatexNodes2Text(latex_context=db, math_mode="verbatim")


@pytest.mark.parametrize("text", [*SENTENCES, QUOTE, ATTRIBUTION, "Özal Kəlbəcər", "a--b---c ,,x''"])
def test_latex_escape_decodes_to_the_same_text(text: str) -> None:
    escaped = escape_latex(text)
    assert latex_decoder().latex_to_text(escaped) == " ".join(text.split())
    assert "--" not in escaped and ",," not in escaped  # TeX ligatures broken
    assert not re.search(r"(?<!\\)[&%$#_^~<>\"]", escaped), escaped
    assert escaped.isascii()


def test_latex_document_and_fragments(any_article: Article, tmp_path: Path) -> None:
    files = exported(any_article, "latex", tmp_path)
    assert {f"sections/{s.id}.tex" for s in any_article.walk()} | {"kalbajar.tex", "kalbajar.bib"} == set(
        files
    )
    tex = files["kalbajar.tex"].read_text(encoding="utf-8")
    assert tex.count(r"\begin{document}") == 1 and tex.rstrip().endswith(r"\end{document}")
    # the notes typed out and the references listed: no biblatex, biber or package outside scheme-medium
    assert r"\footcite" not in tex and r"\printbibliography" not in tex
    packages = r"biblatex|babel|polyglossia|fontspec|csquotes|xurl"
    assert not re.search(rf"\\usepackage(\[[^]]*\])?\{{({packages})\}}", tex)
    assert set(re.findall(r"\\label\{ref:([^}]*)\}", tex)) >= set(any_article.cited_keys())
    cited = {
        k
        for sec in any_article.walk()
        for group in re.findall(r"\\footcite\{([^}]*)\}", files[f"sections/{sec.id}.tex"].read_text("utf-8"))
        for k in group.split(",")
    }
    assert cited <= set(any_article.cited_keys()) and cited
    assert tex.count("{") == tex.count("}") - tex.count(r"\}") + tex.count(r"\{")  # braces balance
    for sec in any_article.walk():
        fragment = files[f"sections/{sec.id}.tex"].read_text(encoding="utf-8")
        assert rf"\label{{sec:{sec.id}}}" in fragment and r"\documentclass" not in fragment
        assert fragment.count(r"\label{sec:") == sum(1 for _ in sec.walk())
    # pylatexenc's decoder cannot read \href's URL argument: the link text, a group, stays
    decoded = latex_decoder().latex_to_text(re.sub(r"\\href\{(?:[^{}\\]|\\.)*\}", "", tex))
    for sentence in any_article.sentences():
        assert " ".join(sentence.text.split()) in " ".join(decoded.split()), sentence.text


def test_latex_compiles(nasty: Article, tmp_path: Path) -> None:
    latexmk, pdflatex = shutil.which("latexmk"), shutil.which("pdflatex")
    if latexmk is None or pdflatex is None:
        pytest.skip("latexmk and pdflatex are not both installed")
    export(nasty, "latex", tmp_path)
    result = subprocess.run(
        [latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error", "kalbajar.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "kalbajar.pdf").stat().st_size > 1000


# --- excerpts, templates, the CLI ------------------------------------------------------------------------
def test_every_export_honours_an_excerpt(article: Article, tmp_path: Path) -> None:
    sid = "background"
    excerpt = article.excerpt([sid])
    others = [s.id for s in article.walk() if s.id != sid]
    keep = {e.key for e in excerpt.bibliography.entries}
    dropped = [e.key for e in article.bibliography.entries if e.key not in keep]
    assert dropped
    for fmt in FORMATS:
        if fmt in OFFICE_FORMATS:  # binary, made from the Markdown (tests/test_office_exports.py)
            continue
        for path in export(excerpt, fmt, tmp_path / fmt):
            text = path.read_text(encoding="utf-8")
            for key in dropped:
                assert key not in text, (fmt, path.name, key)
            if path.name in ("kalbajar.md", "kalbajar.html", "kalbajar.json", "kalbajar.tex"):
                assert sid in text
                for other in others:
                    assert f"#{other}" not in text and f'"{other}"' not in text, (fmt, other)
    assert sorted(p.name for p in (tmp_path / "latex" / "sections").iterdir()) == [f"{sid}.tex"]


def test_user_templates_override_by_name(article: Article, tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "article.html.j2").write_text(
        "<!DOCTYPE html><title>{{ meta.title }}</title><p>custom {{ '<x>' }}</p>\n", encoding="utf-8"
    )
    page = to_html(article, tmp_path / "tpl")
    assert "custom &lt;x&gt;" in page and "Battle of Kalbajar" in page
    assert "\\section{" in to_latex(article, tmp_path / "tpl")  # others stay the shipped ones
    assert latex_sections(article, tmp_path / "tpl")


def test_broken_user_template_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "article.md.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    status = main(["--format", "md", "--templates", str(tmp_path / "tpl"), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2 and "article.md.j2:2" in err and len(err.strip().splitlines()) == 1


def test_cli_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    status = main(
        [
            "--format",
            "md",
            "--format",
            "html",
            "--format",
            "json",
            "--format",
            "csl",
            "--format",
            "ris",
            "--format",
            "latex",
            "-o",
            str(out),
            "--section",
            "overview",
        ]
    )
    assert status == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    for name in (
        "kalbajar.md",
        "kalbajar.bib",
        "kalbajar.tex",
        "sections/overview.tex",
        "kalbajar.html",
        "kalbajar.json",
        "kalbajar.schema.json",
        "kalbajar.csl.json",
        "kalbajar.ris",
    ):
        assert (out / name).is_file(), name
        assert f"wrote {out / name}" in printed
    assert not (out / "kalbajar-briefing.pdf").exists()
    assert printed.count("kalbajar.bib") == 1
