"""Hostile inputs and environments find nothing: no hang, no memory blow-up, one line of error naming the
file, and the previous outputs in the directory byte for byte as they were. Outputs are one set."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from conftest import EPOCH, OFFICE_SUFFIXES, numbered_entry, write_document, zipped_text

from kalbajar_report import ContentError, cli
from kalbajar_report.errors import OutputError
from kalbajar_report.exports import pandoc_available
from kalbajar_report.output import commit
from kalbajar_report.resources import MAX_INPUT_BYTES, read_input

Snapshot = dict[str, bytes | None]  # relative path → bytes (None for a directory)


def snapshot(folder: Path) -> Snapshot:
    return {
        p.relative_to(folder).as_posix(): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def previous_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped article built once with the defaults and once with ``--format all``."""
    root = tmp_path_factory.mktemp("previous")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    for kind, extra in (("default", []), ("all", ["--format", "all"])):
        done = subprocess.run(
            [sys.executable, "-m", "kalbajar_report", "-o", str(root / kind), *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return {"default": root / "default", "all": root / "all"}


def previous(previous_builds: dict[str, Path], kind: str, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(previous_builds[kind], out)
    return out


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, with a hard timeout: a regression that hangs fails instead."""
    return subprocess.run(
        [sys.executable, "-m", "kalbajar_report", *args],
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def one_line(err: str, status: int, got: int, *needles: str) -> str:
    assert got == status, (got, err)
    assert "Traceback" not in err
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("kalbajar-report: error: "), err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    return status, capsys.readouterr().err


# --- inputs that are not regular files, or too large -------------------------------------------------
@pytest.mark.parametrize("option", ["--content", "--bib"])
def test_a_fifo_as_input_is_refused_at_once(
    previous_builds: dict[str, Path], tmp_path: Path, option: str
) -> None:
    out = previous(previous_builds, "default", tmp_path)
    before = snapshot(out)
    fifo = tmp_path / "pipe.article"
    os.mkfifo(fifo)
    result = run(option, str(fifo), "--name", "kalbajar", "-o", str(out), timeout=60)
    one_line(result.stderr, 2, result.returncode, str(fifo), "FIFO")
    assert snapshot(out) == before


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_as_input_is_refused(
    previous_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], device: str
) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    out = previous(previous_builds, "default", tmp_path)
    before = snapshot(out)
    status, err = main(capsys, "--content", device, "--name", "kalbajar", "-o", str(out))
    one_line(err, 2, status, f"{device}: not a regular file but a character device")
    assert snapshot(out) == before


def test_a_directory_or_socket_as_input_is_refused(
    previous_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = previous(previous_builds, "default", tmp_path)
    before = snapshot(out)
    folder = tmp_path / "folder.bib"
    folder.mkdir()
    status, err = main(capsys, "--bib", str(folder), "-o", str(out))
    one_line(err, 2, status, f"{folder}: not a regular file but a directory")
    with socket.socket(socket.AF_UNIX) as sock:
        path = tmp_path / "s.article"
        sock.bind(str(path))
        status, err = main(capsys, "--content", str(path), "--name", "kalbajar", "-o", str(out))
    one_line(err, 2, status, f"{path}: not a regular file but a socket")
    assert snapshot(out) == before


@pytest.mark.parametrize("option", ["--content", "--bib"])
def test_an_input_over_the_size_limit_is_refused_unread(
    previous_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    out = previous(previous_builds, "default", tmp_path)
    before = snapshot(out)
    big = tmp_path / "big.input"
    with big.open("wb") as handle:  # sparse: one byte over the limit, no disk or memory spent
        handle.truncate(MAX_INPUT_BYTES + 1)
    status, err = main(capsys, option, str(big), "--name", "kalbajar", "-o", str(out))
    one_line(err, 2, status, f"{big}: file too large", f"{MAX_INPUT_BYTES + 1:,} bytes", "8 MiB")
    assert snapshot(out) == before


def test_reading_an_input_just_under_the_limit_stays_small(tmp_path: Path) -> None:
    """The reading stage holds the file's bytes and its text, not copies upon copies."""
    path = tmp_path / "long.article"
    line = "A long one-line paragraph of plain words. " * 1000
    path.write_text((line * (MAX_INPUT_BYTES // len(line) + 1))[: MAX_INPUT_BYTES - 1], encoding="utf-8")
    tracemalloc.start()
    try:
        text = read_input(path, ContentError)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(text) == MAX_INPUT_BYTES - 1
    assert peak < 3.5 * MAX_INPUT_BYTES, peak


def test_a_fifo_among_the_templates_is_refused_at_once(
    previous_builds: dict[str, Path], tmp_path: Path
) -> None:
    out = previous(previous_builds, "all", tmp_path)
    before = snapshot(out)
    templates = tmp_path / "tpl"
    templates.mkdir()
    os.mkfifo(templates / "article.md.j2")
    result = run("--format", "md", "--templates", str(templates), "-o", str(out), timeout=60)
    one_line(result.stderr, 2, result.returncode, str(templates / "article.md.j2"), "not a regular file")
    assert snapshot(out) == before


# --- the environment --------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["abc", "1e99", "-5", "99999999999999", "12 34", "１２"])
def test_a_junk_source_date_epoch_is_the_users_error(
    previous_builds: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    value: str,
) -> None:
    out = previous(previous_builds, "default", tmp_path)
    before = snapshot(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    status, err = main(capsys, "-o", str(out))
    one_line(err, 2, status, f"SOURCE_DATE_EPOCH={value!r}")
    assert snapshot(out) == before


# --- every error is one line ------------------------------------------------------------------------
def test_a_file_name_with_a_newline_gives_one_line(
    previous_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = previous(previous_builds, "default", tmp_path)
    before = snapshot(out)
    folder = tmp_path / "two\nlines\u2028here"
    folder.mkdir()
    content, bib = write_document(folder, "# A {#a}\n\nA claim.[99]\n", numbered_entry(1))
    status, err = main(capsys, "--content", str(content), "--bib", str(bib), "-o", str(out))
    line = one_line(err, 2, status, "two\\nlines\\u2028here/doc.article:6", "[99]")
    assert "\r" not in line and "\u2028" not in line
    assert snapshot(out) == before


def test_a_message_with_control_characters_gives_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def hostile(args: object) -> list[str]:
        raise ContentError("bad\rthing\x1b[2J\x85end", "in\tput\udce9.article", 3)

    monkeypatch.setattr(cli, "run", hostile)
    status, err = main(capsys)
    one_line(err, 2, status, "in\\tput\\udce9.article:3: bad\\rthing\\x1b[2J\\x85end")


# --- all outputs or none ----------------------------------------------------------------------------
def other_article(tmp_path: Path) -> list[str]:
    """A different article whose outputs take the shipped article's names."""
    content, bib = write_document(tmp_path, "# Other {#a}\n\nAnother claim.[1]\n", numbered_entry(1))
    return ["--content", str(content), "--bib", str(bib), "--name", "kalbajar", "--format", "all"]


def test_a_file_where_the_sections_folder_goes_changes_nothing(
    previous_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = previous(previous_builds, "all", tmp_path)
    shutil.rmtree(out / "sections")
    (out / "sections").write_text("a file, not a folder\n", encoding="utf-8")
    before = snapshot(out)
    status, err = main(capsys, *other_article(tmp_path), "-o", str(out))
    one_line(err, 2, status, f"{out / 'sections'}: ", "a file has this name")
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_directory_where_an_output_goes_changes_nothing(
    previous_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = previous(previous_builds, "all", tmp_path)
    (out / "kalbajar.html").unlink()
    (out / "kalbajar.html").mkdir()
    (out / "kalbajar.html" / "inside.txt").write_text("kept\n", encoding="utf-8")
    before = snapshot(out)
    status, err = main(capsys, *other_article(tmp_path), "-o", str(out))
    one_line(err, 2, status, f"{out / 'kalbajar.html'}: ", "directory")
    assert snapshot(out) == before


def test_a_broken_template_changes_nothing(
    previous_builds: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = previous(previous_builds, "all", tmp_path)
    before = snapshot(out)
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "article.html.j2").write_text("<p>fine</p>\n{% if %}\n", encoding="utf-8")
    argv = [*other_article(tmp_path), "--templates", str(tmp_path / "tpl"), "-o", str(out)]
    status, err = main(capsys, *argv)
    one_line(err, 2, status, "article.html.j2:2", "syntax")
    assert snapshot(out) == before


def test_a_rename_that_fails_midway_puts_the_earlier_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "c.txt").write_bytes(b"old c")
    before = snapshot(tmp_path)
    real = os.replace
    calls: list[str] = []

    def failing(src: str | Path, dst: str | Path) -> None:
        calls.append(Path(dst).name)
        if Path(dst).name == "c.txt" and Path(src).name.endswith(".tmp"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OutputError) as failure:
        commit(tmp_path, {"a.txt": b"new a", "b.txt": b"new b", "c.txt": b"new c"})
    assert failure.value.file == str(tmp_path / "c.txt") and "No space left" in failure.value.message
    assert calls[:3] == ["a.txt", "b.txt", "c.txt"]
    assert snapshot(tmp_path) == before  # a and its previous bytes back, b gone, no temporary files left
    monkeypatch.setattr(os, "replace", real)
    commit(tmp_path, {"a.txt": b"new a", "b.txt": b"new b", "c.txt": b"new c"})
    assert snapshot(tmp_path) == {"a.txt": b"new a", "b.txt": b"new b", "c.txt": b"new c"}


# --- concurrent builds into one directory -----------------------------------------------------------
WORDS = ("alpha", "bravo", "charlie", "delta")

# The CLI in a child whose every rename takes 0 to 60 ms: the commits of concurrent builds would interleave
# if nothing kept them apart (the rename loop alone is otherwise too quick to catch in the act).
SLOW_RENAMES = (
    "import os, random, sys, time\n"
    "real = os.replace\n"
    "def slow(src, dst):\n"
    "    time.sleep(random.uniform(0, 0.06))\n"
    "    real(src, dst)\n"
    "os.replace = slow\n"
    "from kalbajar_report.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def concurrent_article(folder: Path, word: str) -> list[str]:
    folder.mkdir()
    body = f"# Section of build {word} {{#a}}\n\nA claim of build {word}.[1]\n"
    bib = f"@misc{{gen-1,\n  title = {{Reference of build {word}}},\n  marker = {{1}},\n}}\n"
    content, bib_path = write_document(folder, body, bib)
    return ["--content", str(content), "--bib", str(bib_path)]


def build_of(path: Path) -> set[str]:
    """Which builds' words a file holds (the PDF read as text, with its attached .bib)."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        text += reader.attachments["shared.bib"][0].decode("utf-8")
    elif path.suffix in OFFICE_SUFFIXES:
        text = zipped_text(path)
    else:
        text = path.read_text(encoding="utf-8")
    return {word for word in WORDS if f"build {word}" in text}


def test_concurrent_builds_into_one_directory_leave_one_builds_set(tmp_path: Path) -> None:
    args = [concurrent_article(tmp_path / word, word) for word in WORDS]
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    for _ in range(3):
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    SLOW_RENAMES,
                    *a,
                    "--name",
                    "shared",
                    "--format",
                    "all",
                    "-o",
                    "out",
                ],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for a in args
        ]
        try:
            statuses = [p.wait(timeout=300) for p in procs]
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait()
        errors = [p.stderr.read() for p in procs if p.stderr]
        for p in procs:
            if p.stderr:
                p.stderr.close()
        assert statuses == [0, 0, 0, 0], errors
        files = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "shared.schema.json")
        assert [p.relative_to(out).as_posix() for p in files] == sorted(
            [
                "sections/a.tex",
                "shared-briefing.pdf",
                "shared.bib",
                "shared.csl.json",
                "shared.html",
                "shared.json",
                "shared.md",
                "shared.ris",
                "shared.tex",
                "shared.typ",
                *(f"shared{suffix}" for suffix in OFFICE_SUFFIXES if pandoc_available()),
            ]
        )
        owners = {p.relative_to(out).as_posix(): build_of(p) for p in files}
        assert all(len(words) == 1 for words in owners.values()), owners
        assert len(set.union(*owners.values())) == 1, owners
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
