"""The HTML export in its real consumer, a browser: headless Chromium driven by Selenium (Debian's chromium
and chromium-driver; .ci/run installs them where it can, and these tests skip with the reason where they are
missing). The standalone page of the shipped article and of a small wikitext article (references, an
explanatory note, nested lists, a subsection) opens without a console error; every note marker brings its
note into view and every back-link returns to its marker; the contents list is nested and every entry and
note shows one number; the page prints to PDF (Chrome DevTools ``Page.printToPDF``) with every note's text.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kalbajar_report import Article, export, load_article

WIKI = """\
The '''Battle of Testville''' was fought in 1993.<ref name="dewaal">{{cite book |last=de Waal \
|first=Thomas |title=Black Garden |publisher=New York University Press |location=New York |year=2003 \
|page=212}}</ref> It was short.{{efn|Some say it lasted a week.<ref name="dewaal"/>}}

== Background ==
The region was contested.<ref>Interview with a veteran, Testville, 1994.</ref>
* First point<ref name="dewaal"/>
** Nested point
* Second point
# Numbered one
# Numbered two

=== Earlier fighting ===
Fighting began earlier.<ref>{{cite news |last=Smith |first=John |title=Offensive in the mountains \
|work=The Times |date=4 April 1993}}</ref>

== Aftermath ==
It ended.<ref name="dewaal"/>

== Notes ==
{{notelist}}

== References ==
{{reflist}}
"""

# This machine may have no network: Chromium must not try to reach one (refused connections flood the log).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1000,800",
)


def _browser() -> tuple[str, str]:
    """Chromium and chromedriver, or a skip saying which is missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install '.[test]')")
    chromium = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
    )
    driver = shutil.which("chromedriver") or next(
        (p for p in ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver") if Path(p).exists()), None
    )
    missing = [name for name, path in (("chromium", chromium), ("chromium-driver", driver)) if path is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)")
    assert chromium and driver
    return chromium, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium, chromedriver = _browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.TemporaryDirectory(prefix="kalbajar-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile.name}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
        driver.implicitly_wait(0)
        yield driver
    finally:
        driver.quit()
        profile.cleanup()


@pytest.fixture(scope="module")
def wiki_article(tmp_path_factory: pytest.TempPathFactory) -> Article:
    path = tmp_path_factory.mktemp("wiki") / "testville.wiki"
    path.write_text(WIKI, encoding="utf-8")
    return load_article(path)


@pytest.fixture(scope="module", params=["shipped", "wikitext"])
def page(
    request: pytest.FixtureRequest,
    article: Article,
    wiki_article: Article,
    browser: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Article, Any]:
    """The article's standalone page, opened in the browser (console log emptied before it loads)."""
    chosen = article if request.param == "shipped" else wiki_article
    folder = tmp_path_factory.mktemp(f"html-{request.param}")
    (html,) = [p for p in export(chosen, "html", folder) if p.suffix == ".html"]
    browser.get_log("browser")
    browser.get(html.resolve().as_uri())
    return chosen, browser


def test_the_wikitext_article_has_what_the_page_must_show(wiki_article: Article) -> None:
    assert wiki_article.explanatory, "an explanatory note ({{efn}})"
    assert any(s.subsections for s in wiki_article.sections), "a subsection"
    assert any(
        item.depth > 1 for s in wiki_article.walk() for b in s.blocks for item in getattr(b, "items", ())
    )


def test_no_console_error(page: tuple[Article, Any]) -> None:
    _, driver = page
    assert driver.execute_script("return document.readyState") == "complete"
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []


IN_VIEW = """
const el = document.getElementById(arguments[0]);
if (!el) return null;
const r = el.getBoundingClientRect();
return [r.top, r.bottom, window.innerHeight, location.hash];
"""


def _assert_in_view(driver: Any, target: str) -> None:
    where = driver.execute_script(IN_VIEW, target)
    assert where is not None, f"no element #{target}"
    top, bottom, height, hash_ = where
    assert hash_ == f"#{target}"
    assert bottom > 0 and -1 <= top < height, f"#{target} not in view: top {top}, bottom {bottom}, {height}"


def test_every_marker_brings_its_note_into_view_and_back(page: tuple[Article, Any]) -> None:
    from selenium.webdriver.common.by import By

    _, driver = page
    markers = driver.find_elements(By.CSS_SELECTOR, "a.noteref")
    assert markers
    for marker in markers:
        target = marker.get_attribute("href").split("#", 1)[1]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", marker)
        marker.click()
        _assert_in_view(driver, target)
        assert target.startswith("fn-")
    backlinks = driver.find_elements(By.CSS_SELECTOR, "ol.notes a.backlink")
    assert len(backlinks) == len(markers)
    for back in backlinks:
        target = back.get_attribute("href").split("#", 1)[1]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", back)
        back.click()
        _assert_in_view(driver, target)
        assert target.startswith("fnref-")


def test_contents_are_nested_and_every_entry_and_note_shows_one_number(page: tuple[Article, Any]) -> None:
    article, driver = page
    shown = driver.execute_script(
        """
        const items = [...document.querySelectorAll('nav li, ol.notes > li')];
        return items.map(li => [
            getComputedStyle(li).display === 'list-item' ? getComputedStyle(li).listStyleType : 'none',
            li.closest('nav') ? li.querySelector('a').getBoundingClientRect().left : null,
            li.parentElement.closest('li') !== null,
        ]);
        """
    )
    assert [style for style, _, _ in shown] == ["none"] * len(shown)  # no list number beside our own
    contents = [(left, nested) for _, left, nested in shown if left is not None]
    assert len(contents) == sum(1 for _ in article.walk())
    levels = [s.level for s in article.walk()]
    assert [nested for _, nested in contents] == [level > 1 for level in levels]
    top_left = min(left for left, _ in contents)
    for (left, _), level in zip(contents, levels, strict=True):
        assert (left > top_left) == (level > 1), "subsections are indented under their section"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+|\u00ad", "", unicodedata.normalize("NFKC", text))


def test_the_page_prints_to_pdf_with_every_note(page: tuple[Article, Any]) -> None:
    _, driver = page
    notes = driver.execute_script(
        """
        return [...document.querySelectorAll('ol.notes > li')].map(li => {
            const copy = li.cloneNode(true);
            copy.querySelectorAll('.backlink').forEach(b => b.remove());
            return [li.querySelector('.label').textContent, copy.textContent];
        });
        """
    )
    contents = driver.execute_script(
        "return [...document.querySelectorAll('nav li > a')].map(a => a.textContent)"
    )
    printed = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    pdf = PdfReader(io.BytesIO(base64.b64decode(printed["data"])))
    text = _squeeze("\n".join(p.extract_text() for p in pdf.pages))
    assert notes
    for i, (label, note) in enumerate(notes, start=1):
        assert _squeeze(note) in text, f"note {label} not in the printed page: {note[:80]}"
        assert _squeeze(f"{i}.{note}") not in text, f"note {label} printed with a list number too"
    for i, entry in enumerate(contents, start=1):
        assert _squeeze(entry) in text
        assert _squeeze(f"{i}.{entry}") not in text, f"contents entry {entry} printed with two numbers"
