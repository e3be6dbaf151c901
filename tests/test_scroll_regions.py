"""A box that scrolls sideways can be reached and scrolled with the keyboard.

axe's scrollable-region-focusable found the plan's tables (revenue, national
plans, gap and pipeline) scrolling at a phone's width with no way in for a
keyboard. Every `.table-responsive` in a template is a focusable, named region.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOX = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-responsive\b[^\"]*\"[^>]*>")


def _templates() -> list[Path]:
    return [
        path
        for pattern in ("templates/**/*.html", "*/templates/**/*.html", "*/jinja2/**/*.jinja")
        for path in ROOT.glob(pattern)
        if ".venv" not in path.parts
    ]


def test_every_sideways_scrolling_table_is_a_named_focusable_region() -> None:
    missing = []
    for path in _templates():
        for tag in BOX.findall(path.read_text()):
            named = "aria-label=" in tag or "aria-labelledby=" in tag
            if 'tabindex="0"' not in tag or 'role="region"' not in tag or not named:
                missing.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not missing, "\n".join(missing)


def test_the_walk_finds_the_tables() -> None:
    assert sum(len(BOX.findall(p.read_text())) for p in _templates()) > 20
