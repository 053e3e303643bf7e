"""The command line as a user meets it: what it writes, what it prints, and its one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EPOCH, numbered_entry, write_document

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kalbajar_report", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_default_build_from_any_directory(tmp_path: Path) -> None:
    result = run(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "kalbajar-briefing.pdf").stat().st_size > 10_000
    assert (tmp_path / "build" / "kalbajar.bib").read_text(encoding="utf-8").count(
        "@misc{kalbajar-ref-"
    ) == 12
    assert "wrote build/kalbajar-briefing.pdf" in result.stdout
    assert result.stderr == ""


def test_output_dir_option(tmp_path: Path) -> None:
    result = run("-o", str(tmp_path / "elsewhere"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "elsewhere" / "kalbajar-briefing.pdf").exists()


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_unknown_section(tmp_path: Path) -> None:
    one_line_error(run("--section", "no-such-section", cwd=tmp_path), "no-such-section")


@pytest.mark.parametrize(
    ("body", "bib", "needles"),
    [
        ("# A {#a}\n\nA claim.[99]\n", numbered_entry(1), ["doc.article:6", "[99]"]),
        ("# A {#a}\n\nA claim.[@missing]\n", numbered_entry(1), ["doc.article:6", "missing"]),
        ("# A {#a}\n", numbered_entry(1), ["doc.article:4", "empty"]),
        ("# A {#a}\n\nText.\n## B {#a}\nMore.\n", "", ["doc.article:7", "already used"]),
        ("# A {#a}\n\nText.\n~ old:x\n", "", ["doc.article:7", "provenance"]),
        ("# Bad heading\n\nText.\n", "", ["doc.article:4", "heading"]),
        ("", "", ["doc.article", "no sections"]),
        ("# A {#a}\n\nText.[1]\n", "@misc{gen-1,\n title = {x}\n", ["doc.bib:1", "malformed"]),
        ("# A {#a}\n\nText.[1]\n", numbered_entry(1) + numbered_entry(1), ["doc.bib:7", "duplicate"]),
    ],
)
def test_input_mistakes_get_one_line_with_file_and_line(
    tmp_path: Path, body: str, bib: str, needles: list[str]
) -> None:
    content, bib_path = write_document(tmp_path, body, bib)
    result = run("--content", str(content), "--bib", str(bib_path), "-o", str(tmp_path / "out"), cwd=tmp_path)
    one_line_error(result, *needles)
    assert not (tmp_path / "out" / "kalbajar-briefing.pdf").exists()


def test_non_utf8_input(tmp_path: Path) -> None:
    content, bib_path = write_document(tmp_path, "# A {#a}\n\nText.\n", "")
    content.write_bytes(content.read_bytes() + b"\n# B {#b}\n\nCaf\xe9.\n")
    one_line_error(
        run("--content", str(content), "--bib", str(bib_path), cwd=tmp_path), "doc.article:10", "UTF-8"
    )


def test_missing_input_file(tmp_path: Path) -> None:
    one_line_error(
        run("--content", str(tmp_path / "nope.article"), cwd=tmp_path), "nope.article", "cannot read"
    )


def test_character_no_font_covers(tmp_path: Path) -> None:
    content, bib_path = write_document(tmp_path, "# A {#a}\n\nA Georgian letter ა here.\n", "")
    one_line_error(
        run("--content", str(content), "--bib", str(bib_path), cwd=tmp_path), "doc.article:6", "U+10D0"
    )


def test_notes_that_cannot_stand_on_their_markers_page(tmp_path: Path) -> None:
    """Forty notes of a third of a page each, cited by one sentence: no page can hold them with it."""
    note = " ".join(f"Clause {i} of a note of middling length." for i in range(20))
    bib = "".join(numbered_entry(n, note) for n in range(1, 41))
    marks = "".join(f"[{n}]" for n in range(1, 41))
    content, bib_path = write_document(tmp_path, f"# A {{#a}}\n\nOne claim with forty sources.{marks}\n", bib)
    one_line_error(
        run("--content", str(content), "--bib", str(bib_path), cwd=tmp_path),
        "doc.article:6",
        "its notes do not fit",
    )


def test_unwritable_output_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    one_line_error(run("-o", str(blocker), cwd=tmp_path), str(blocker), "not a directory")


def test_failed_build_keeps_previous_outputs(tmp_path: Path) -> None:
    assert run("-o", "out", cwd=tmp_path).returncode == 0
    before = (tmp_path / "out" / "kalbajar-briefing.pdf").read_bytes()
    content, bib_path = write_document(tmp_path, "# A {#a}\n\nA claim.[99]\n", numbered_entry(1))
    assert run("--content", str(content), "--bib", str(bib_path), "-o", "out", cwd=tmp_path).returncode == 2
    assert (tmp_path / "out" / "kalbajar-briefing.pdf").read_bytes() == before
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_content_is_data_not_markup(tmp_path: Path) -> None:
    from pypdf import PdfReader

    hostile = (
        'Tags <font color="red">red</font> <a href="javascript:x">x</a> <img src="y"/> '
        "{{ 7*7 }} \\textbf{b} & done."
    )
    content, bib_path = write_document(tmp_path, f"# A {{#a}}\n\n{hostile}\n", "")
    result = run("--content", str(content), "--bib", str(bib_path), "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = PdfReader(str(tmp_path / "out" / "kalbajar-briefing.pdf")).pages[0].extract_text()
    flat = " ".join(text.split())
    assert '<font color="red">red</font>' in flat
    assert "{{ 7*7 }}" in flat and "\\textbf{b}" in flat


def test_output_dir_with_missing_parent(tmp_path: Path) -> None:
    one_line_error(
        run("-o", str(tmp_path / "no" / "such" / "dir"), cwd=tmp_path), "parent directory does not exist"
    )


def test_unwritable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        target = locked
        if os.access(locked, os.W_OK):  # root may write anywhere; the kernel's sysfs still refuses
            target = Path("/sys/kernel")
            if not target.is_dir():
                pytest.skip("no directory here that this user cannot write to")
        result = run("-o", str(target), cwd=tmp_path)
        one_line_error(result, str(target))
        assert "writ" in result.stderr
    finally:
        locked.chmod(0o700)


def test_two_builds_into_one_directory_at_once(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kalbajar_report", "-o", "shared"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    statuses = [p.wait(timeout=300) for p in procs]
    assert statuses == [0, 0, 0], [p.stderr.read() for p in procs if p.stderr]
    from pypdf import PdfReader

    pdf = tmp_path / "shared" / "kalbajar-briefing.pdf"
    assert len(PdfReader(str(pdf)).pages) > 3
    alone = run("-o", "alone", cwd=tmp_path)
    assert alone.returncode == 0
    assert pdf.read_bytes() == (tmp_path / "alone" / "kalbajar-briefing.pdf").read_bytes()
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == [
        "kalbajar-briefing.pdf",
        "kalbajar.bib",
    ]


def test_internal_error_exits_1_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kalbajar_report import cli

    def broken(args: object) -> list[str]:
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(cli, "run", broken)
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "something inside broke" in err and "--debug" in err
    with pytest.raises(RuntimeError):
        cli.main(["--debug"])
