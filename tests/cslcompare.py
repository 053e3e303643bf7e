"""Rendering entries with Pandoc's citeproc, the reference CSL processor, to compare with ours (tests)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from kalbajar_report.exports.csl import csl_items
from kalbajar_report.model import Bibliography

PANDOC = shutil.which("pandoc")
HTML = ("-t", "html", "--wrap=none", "doc.md")


def normalise(text: str) -> str:
    """Whitespace (no-break spaces too) collapsed; nothing else."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


class _Texts(HTMLParser):
    """The text of Pandoc's bibliography entries (``div#ref-KEY``, the style's number in
    ``csl-left-margin`` left out) and of its footnotes (``li#fnN``, the back-link left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: dict[str, str] = {}
        self.notes: list[str] = []
        self._target: tuple[str, str] | None = None
        self._open: list[bool] = []  # the elements open inside the target: True where text is skipped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr", "img", "wbr"):
            return
        a = dict(attrs)
        ident, cls = a.get("id") or "", a.get("class") or ""
        if self._target is None:
            if tag == "div" and ident.startswith("ref-"):
                self._target = ("ref", ident[4:])
                self.refs[ident[4:]] = ""
                self._open = [False]
            elif tag == "li" and re.fullmatch(r"fn\d+", ident):
                self._target = ("note", ident)
                self.notes.append("")
                self._open = [False]
            return
        skipped = any(self._open) or "csl-left-margin" in cls or "footnote-back" in cls
        self._open.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if self._target is None or tag in ("br", "hr", "img", "wbr"):
            return
        self._open.pop()
        if not self._open:
            self._target = None

    def handle_data(self, data: str) -> None:
        if self._target is None or any(self._open):
            return
        kind, name = self._target
        if kind == "ref":
            self.refs[name] += data
        else:
            self.notes[-1] += data


def pandoc_render(
    style_file: Path, bibliography: Bibliography, keys: Sequence[str], locator: str | None = None
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Pandoc's bibliography entry, first note and later note of each key (notes: note styles only;
    each key is cited once in a first paragraph, ``[@key, LOCATOR]``, then again in a second)."""
    assert PANDOC is not None
    where = f", {locator}" if locator else ""
    body = " ".join(f"A[@{k}{where}]." for k in keys) + "\n\n" + " ".join(f"B[@{k}]." for k in keys)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "refs.json").write_text(json.dumps(csl_items(bibliography)), encoding="utf-8")
        (folder / "doc.md").write_text(f"---\nnocite: '@*'\n---\n\n{body}\n", encoding="utf-8")
        result = subprocess.run(
            [PANDOC, "--citeproc", "--bibliography", "refs.json", "--csl", str(style_file), *HTML],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    parser = _Texts()
    parser.feed(result.stdout)
    refs = {k: normalise(v) for k, v in parser.refs.items()}
    notes = [normalise(n) for n in parser.notes]
    if not notes:  # an in-text style: no footnotes
        return refs, {}, {}
    n = len(keys)
    return refs, dict(zip(keys, notes[:n], strict=True)), dict(zip(keys, notes[n:], strict=True))
