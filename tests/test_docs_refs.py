"""The docs cite only what a reader of this repository can open."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]


def _repo_md_names() -> set[str]:
    return {p.name for p in ROOT.rglob("*.md") if ".venv" not in p.parts}


def test_every_cited_page_and_link_exists() -> None:
    names = _repo_md_names()
    missing = []
    for page in PAGES:
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        for name in re.findall(r"`([\w./-]+\.md)`", text):
            if Path(name).name not in names:
                missing.append(f"{page.name}: `{name}`")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" not in target and not (page.parent / target).exists():
                missing.append(f"{page.name}: ({target})")
    assert missing == []


def test_the_check_catches_a_missing_file(tmp_path: Path) -> None:
    assert "nowhere-notes.md" not in _repo_md_names()
    assert "fake-bmo.md" in _repo_md_names() and "README.md" in _repo_md_names()
