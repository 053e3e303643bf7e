"""Our line breaking is ReportLab's, with a fragment comparison that raises nothing and each paragraph's last
breaks kept for its next wrap: it must answer exactly as ReportLab alone, fragment by fragment, paragraph
by paragraph and byte for byte in whole documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import line_texts, numbered_entry, split_at, write_document
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib import rl_accel
from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaFrag

from kalbajar_report import Article, load_article
from kalbajar_report.pdf import linebreaking, render_pdf
from kalbajar_report.pdf.fonts import face_name, load_fonts
from kalbajar_report.pdf.linebreaking import break_lines, same_frag
from kalbajar_report.pdf.linecache import CachedBreaks
from kalbajar_report.pdf.story import PlainParagraph
from kalbajar_report.pdf.styles import Hyphenator, make_styles

# --- the comparison --------------------------------------------------------------------------------------
_VALUES: dict[str, list[Any]] = {
    "fontName": ["KSerif-regular", "KSerif-italic"],
    "fontSize": [10, 10.0, 7.8],
    "textColor": [Color(0, 0, 0), HexColor("#7a2e1f"), None],
    "rise": [0, 3.1],
    "us_lines": [[], [("u", 1)]],
    "link": [None, [("#n-o1",)]],
    "backColor": [None, HexColor("#f4efe6")],
    "nobr": [None, False, True],
}
_ABSENT = object()


@st.composite
def frag_pairs(draw: st.DrawFn) -> tuple[ParaFrag, ParaFrag]:
    """Two fragments that share, differ in, lack or explicitly set each compared attribute."""
    f, g = ParaFrag(), ParaFrag()
    for name in _VALUES:
        options = [_ABSENT, *_VALUES[name]]
        a = draw(st.sampled_from(options))
        b = a if draw(st.booleans()) else draw(st.sampled_from(options))
        for frag, value in ((f, a), (g, b)):
            if value is not _ABSENT:
                setattr(frag, name, value)
    for name in ("cbDefn", "lineBreak"):
        for frag in (f, g):
            if draw(st.integers(0, 7)) == 0:
                setattr(frag, name, object())
    return f, g


@settings(max_examples=400, deadline=None)
@given(frag_pairs())
def test_same_frag_answers_as_reportlabs_samefrag(pair: tuple[ParaFrag, ParaFrag]) -> None:
    f, g = pair
    assert same_frag(f, g) == bool(rl_accel.sameFrag(f, g))
    assert same_frag(g, f) == bool(rl_accel.sameFrag(g, f))


def test_same_frag_answers_as_the_c_accelerator_where_it_is_installed() -> None:
    c_accel = pytest.importorskip("_rl_accel")
    f = ParaFrag(fontName="KSerif-regular", fontSize=10, textColor=None, rise=0)
    cases = [
        (f, f.clone()),
        (f, f.clone(link=None)),  # absent against None: different for the C version
        (f, f.clone(fontSize=10.0)),  # equal values
        (f, f.clone(rise=2)),
        (f, f.clone(cbDefn=object())),
        (f.clone(lineBreak=1), f.clone(lineBreak=1)),
    ]
    assert [same_frag(a, b) for a, b in cases] == [bool(c_accel.sameFrag(a, b)) for a, b in cases]
    assert [same_frag(a, b) for a, b in cases] == [True, False, True, False, False, False]


# --- paragraphs --------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """Line-break results as plain data, so two runs on separate paragraphs can be compared."""
    if isinstance(value, Color):
        return ("color", value.hexval())
    if isinstance(value, list | tuple):
        return [type(value).__name__, *(_plain(v) for v in value)]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if hasattr(value, "__dict__") and not callable(value):
        return (type(value).__name__, _plain(vars(value)))
    if callable(value):
        return type(value).__name__
    return value


def _both(markup: str, style: Any, widths: list[float]) -> tuple[Any, Any]:
    ours, theirs = Paragraph(markup, style), Paragraph(markup, style)
    got = break_lines(ours, list(widths))
    expected = Paragraph.breakLines(theirs, list(widths))
    return (_plain(got), _plain(ours.frags)), (_plain(expected), _plain(theirs.frags))


@pytest.fixture(scope="module")
def styles() -> Any:
    load_fonts()
    return make_styles(Hyphenator())


WORDS = st.sampled_from(
    "the Armenian forces Kalbajar corridor humanitarian offensive internationally condemned "
    "Murovdag mountain range Azerbaijani Lachin district refugees helicopters withdrawal approximately "
    "&amp; &lt;font&gt; Dalibaltayan’s 1993 — “quoted”".split()
)
TAGS = st.sampled_from(
    [
        "{}",
        "<i>{}</i>",
        "<b>{}</b>",
        "<super>{}</super>",
        '<a name="m-o1"/><super><a href="#n-o1" color="#7a2e1f">{}</a></super>',
        "<a href=\"https://example.org/x\" color='#7a2e1f'>{}</a>",
        '<a href="https://example.org/y">{}</a>',
        '<font face="' + face_name("italic") + '" size="7.5">{}</font>',
        "{}<br/>",
    ]
)


@st.composite
def markups(draw: st.DrawFn) -> str:
    runs = draw(st.lists(st.tuples(TAGS, st.lists(WORDS, min_size=1, max_size=12)), min_size=1, max_size=8))
    return " ".join(tag.format(" ".join(words)) for tag, words in runs)


@settings(max_examples=150, deadline=None)
@given(
    markups(),
    st.sampled_from(["body", "quote", "note", "ref", "attribution"]),
    st.sampled_from([[425.0, 425.0], [60.0, 80.0], [180.0, 150.0]]),
)
def test_break_lines_matches_reportlab_on_generated_paragraphs(
    styles: Any, markup: str, style_name: str, widths: list[float]
) -> None:
    ours, theirs = _both(markup, getattr(styles, style_name), widths)
    assert ours == theirs


def test_break_lines_matches_reportlab_on_every_paragraph_of_the_article(
    styles: Any, article: Article
) -> None:
    fonts = load_fonts()
    checked = 0
    for section in article.walk():
        for block in section.blocks:
            markup = " ".join(fonts.markup(s.text) for s in block.sentences)
            markup += '<super><a name="m-o9"/><a href="#n-o9">14</a></super> end.'
            ours, theirs = _both(markup, styles.body, [425.0, 425.0])
            assert ours == theirs, section.id
            checked += 1
    assert checked == sum(len(s.blocks) for s in article.walk()) > 10


# --- whole documents -----------------------------------------------------------------------------------
def _dense_document(folder: Path) -> Article:
    """Paragraphs split across pages, notes that push text on and a note split across pages."""
    words = "the column advanced through passes while refugees crossed towards northern towns".split()
    long_note = " ".join(f"Clause {i} of a long note that explains its source." for i in range(160))
    bib = "".join(numbered_entry(n, long_note if n == 5 else "") for n in range(1, 13))
    paras = []
    for p in range(9):
        sentences = []
        for k in range(12):
            text = " ".join(words[(p * 5 + k + j) % len(words)] for j in range(18 + k % 7)).capitalize()
            sentences.append(f"{text}, <i>literally</i> & {{{{ 7*7 }}}}.[{(p * 12 + k) % 12 + 1}]")
        paras.append("\n".join(sentences))
    body = "# Dense {#dense}\n\n" + "".join(
        f"## Part {p} {{#part-{p}}}\n\n{t}\n\n" for p, t in enumerate(paras)
    )
    return load_article(*write_document(folder, body, bib))


def test_documents_are_the_same_bytes_as_with_reportlabs_own_line_breaking(
    article: Article, epoch: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our breaker and each paragraph's kept breaks change nothing: the same bytes as ReportLab alone,
    breaking every paragraph afresh at every wrap, for the briefing and a document of splits and notes."""
    assert linebreaking._BREAK_LINES is not None  # the installed ReportLab has the shape we rebind
    dense = _dense_document(tmp_path)
    ours = [render_pdf(a, date_text="1 January 2024", tool="test") for a in (article, dense)]
    monkeypatch.setattr(CachedBreaks, "breakLines", Paragraph.breakLines)
    theirs = [render_pdf(a, date_text="1 January 2024", tool="test") for a in (article, dense)]
    assert ours[1].pages >= 5
    assert [r.data for r in ours] == [r.data for r in theirs]


@pytest.mark.parametrize("lead", ["", "<i>Note.</i> "], ids=["one-run", "several-runs"])
def test_a_paragraph_wrapped_again_reuses_its_breaks_and_splits_as_a_fresh_one(
    styles: Any, article: Article, lead: str
) -> None:
    """A paragraph keeps its last breaks; ``split`` changes the class of a hyphenated word ending a part,
    and the kept breaks undo that, so splitting one paragraph again and again is as splitting fresh ones."""
    text = lead + " ".join(s.text for s in article.sentences())[:2500]
    width = 180.0
    para = PlainParagraph(text, styles.body)
    para.wrap(width, 10_000)
    first = para.blPara
    para.wrap(width, 10_000)
    assert para.blPara is first  # the same measure again: the kept breaks, not a second computation
    other = PlainParagraph(text, styles.body)
    other.wrap(width, 10_000)
    other.wrap(width + 40, 10_000)
    assert len(other.blPara.lines) < len(first.lines)  # another measure: broken again
    lines = line_texts(para)
    hyphenated = [i for i, t in enumerate(lines) if t.rstrip().endswith("-")]
    assert len(hyphenated) >= 3, "the sample must break some words at line ends"
    for count in [*(i + 1 for i in hyphenated), *range(2, len(lines) - 1, 3), *(i + 1 for i in hyphenated)]:
        assert split_at(para, width, count) == split_at(PlainParagraph(text, styles.body), width, count)
