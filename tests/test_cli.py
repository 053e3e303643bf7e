"""The command line as a user meets it: what it writes, what it prints, and its one-line errors."""

from __future__ import annotations

import json
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
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


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
    text = PdfReader(str(tmp_path / "out" / "generated-test-document-briefing.pdf")).pages[0].extract_text()
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
    assert cli.main(["--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and 'raise RuntimeError("something inside broke")' in err
    assert err.strip().splitlines()[-1].startswith("kalbajar-report: internal error: RuntimeError")


def test_debug_shows_the_traceback_and_keeps_exit_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kalbajar_report import cli

    assert cli.main(["--debug", "--section", "no-such-section", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and "UnknownSectionError" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("kalbajar-report: error:") and "no-such-section" in last


def test_a_usage_mistake_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from kalbajar_report import cli

    with pytest.raises(SystemExit) as stop:
        cli.main(["--format", "doc"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "doc" in err and "--format" in err


#: the office formats, which --format all writes only when Pandoc is installed
OFFICE = (".docx", ".odt", ".epub")


# --- output names come from the article ---------------------------------------------------------------
def test_a_users_article_names_its_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import bibtexparser
    from pypdf import PdfReader

    from kalbajar_report import cli

    own = "@misc{river-briefing,\n  title = {The river report},\n}\n"
    header = "@slug: river-report\n@briefing-key: river-briefing\n"
    content, bib_path = write_document(tmp_path, "# A {#a}\n\nA claim.[1]\n", numbered_entry(1) + own, header)
    out = tmp_path / "out"
    argv = ["--content", str(content), "--bib", str(bib_path), "-o", str(out), "--format", "all"]
    assert cli.main(argv) == 0, capsys.readouterr().err
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    names = [n for n in names if not n.endswith(OFFICE)]  # with Pandoc installed
    assert names == [
        "river-report-briefing.pdf",
        "river-report.bib",
        "river-report.csl.json",
        "river-report.html",
        "river-report.json",
        "river-report.md",
        "river-report.ris",
        "river-report.schema.json",
        "river-report.tex",
        "river-report.typ",
        "sections/a.tex",
    ]
    data = json.loads((out / "river-report.json").read_text(encoding="utf-8"))
    assert data["$schema"] == "river-report.schema.json"
    reader = PdfReader(str(out / "river-report-briefing.pdf"))
    assert list(reader.attachments) == ["river-report.bib"]
    attached = reader.attachments["river-report.bib"][0]
    assert attached == (out / "river-report.bib").read_bytes()
    keys = [e.key for e in bibtexparser.parse_string(attached.decode("utf-8")).entries]
    assert keys == ["gen-1", "river-briefing"]
    colophon = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "in the attached file river-report.bib" in colophon, colophon[-800:]
    assert "kalbajar.bib" not in colophon
    assert 'bibliography: "river-report.bib"' in (out / "river-report.md").read_text(encoding="utf-8")
    assert "also in river-report.bib" in (out / "river-report.tex").read_text(encoding="utf-8")


def test_without_a_slug_the_title_names_the_outputs(tmp_path: Path) -> None:
    content, bib_path = write_document(tmp_path, "# A {#a}\n\nText.\n")
    result = run("--content", str(content), "--bib", str(bib_path), "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "generated-test-document-briefing.pdf",
        "generated-test-document.bib",
    ]
    assert result.stdout.splitlines() == [
        "wrote out/generated-test-document-briefing.pdf",
        "wrote out/generated-test-document.bib",
    ]


def test_name_option_renames_every_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    from kalbajar_report import cli

    out = tmp_path / "out"
    argv = ["--name", "my_brief.v2", "-o", str(out), "--format", "pdf", "--format", "md"]
    argv += ["--section", "background"]
    assert cli.main(argv) == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [
        "my_brief.v2-briefing.pdf",
        "my_brief.v2.bib",
        "my_brief.v2.md",
    ]
    reader = PdfReader(str(out / "my_brief.v2-briefing.pdf"))
    assert list(reader.attachments) == ["my_brief.v2.bib"]
    assert 'bibliography: "my_brief.v2.bib"' in (out / "my_brief.v2.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [".hidden", "Upper", "a/b", "../up", "sp ace", "", "x" * 101, "nl\nx"])
def test_a_bad_name_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    from kalbajar_report import cli

    assert cli.main(["--name", name, "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--name" in err, err
    assert not (tmp_path / "out").exists()


def test_shipped_article_keeps_its_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    from kalbajar_report import cli

    assert cli.main(["-o", str(tmp_path), "--format", "all", "--section", "background"]) == 0
    printed = [line.removeprefix(f"wrote {tmp_path}/") for line in capsys.readouterr().out.splitlines()]
    printed = [name for name in printed if not name.endswith(OFFICE)]  # with Pandoc installed
    assert printed == [
        "kalbajar-briefing.pdf",
        "kalbajar.bib",
        "kalbajar.md",
        "kalbajar.tex",
        "sections/background.tex",
        "kalbajar.html",
        "kalbajar.json",
        "kalbajar.schema.json",
        "kalbajar.csl.json",
        "kalbajar.ris",
        "kalbajar.typ",
    ]
    assert list(PdfReader(str(tmp_path / "kalbajar-briefing.pdf")).attachments) == ["kalbajar.bib"]
