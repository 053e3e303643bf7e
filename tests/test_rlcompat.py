"""The one module that touches ReportLab's private names refuses versions it was not tested with."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import reportlab

from kalbajar_report.pdf import rlcompat

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("version", ["4.1.0", "3.6.13", "5.2.0", "6.0.1"])
def test_versions_outside_the_tested_range_are_refused(version: str) -> None:
    with pytest.raises(ImportError, match=re.escape(version)):
        rlcompat.check_version(version)


@pytest.mark.parametrize("version", ["4.2.0", "4.4.10", "5.0.1", "5.1.0"])
def test_versions_inside_the_range_are_accepted(version: str) -> None:
    rlcompat.check_version(version)


def test_the_installed_reportlab_is_in_range_and_the_pin_matches_the_check() -> None:
    rlcompat.check_version(reportlab.Version)
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pin = next(p for p in pins if p.startswith("reportlab"))
    low, high = rlcompat.TESTED
    assert f">={low[0]}.{low[1]}" in pin and f"<{high[0]}.{high[1] + 1}" in pin


def test_no_other_module_uses_a_private_reportlab_name() -> None:
    private = re.compile(
        r"\.(_y1p|_y1|_x1|_atTop|_height|_width_max|_doc|_leftPadding|_bottomPadding|_prevASpace)\b"
    )
    for path in (ROOT / "kalbajar_report").rglob("*.py"):
        if path.name == "rlcompat.py":
            continue
        assert not private.search(path.read_text(encoding="utf-8")), path
