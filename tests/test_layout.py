"""The package's folders are the stages of its flow, and imports run only one way between them.

docs/architecture.md draws the map; this test keeps it true, so the rule cannot rot. Every import
is read from the source (function-level imports included), not from what happens to be loaded.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bzanalytics"

# stage -> the stages its modules may import (besides their own). The package root only carries
# `__version__` and the lazy public names, so importing it is always fine.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "progress": set(),
    "parse": {"errors"},
    "metrics": {"parse", "errors"},
    "snapshot": {"parse", "metrics", "errors"},
    "bmo": {"snapshot", "errors"},
    "outputs": {"snapshot", "metrics", "parse", "errors"},
    "synth": {"errors"},
    "testing": {"synth", "errors"},
    "sample": {"snapshot", "metrics", "errors"},
    "commands": {"bmo", "snapshot", "parse", "metrics", "outputs", "synth", "testing", "sample",
                 "errors", "progress"},
    "cli": {"commands", "errors"},
    "__main__": {"cli"},
}
# Names the package root re-exports lazily for modules that moved into a stage folder.
MOVED = {"plots": "bzanalytics.outputs.plots", "report": "bzanalytics.outputs.report"}
TOP_LEVEL = {"__init__.py", "cli.py", "errors.py", "progress.py", "sample.py", "__main__.py"}


def stage_of(module: str) -> str | None:
    """`bzanalytics.snapshot.store` -> `snapshot`; the package root -> None."""
    parts = module.split(".")
    if parts[0] != "bzanalytics" or len(parts) == 1:
        return None
    return parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every `bzanalytics...` module imported anywhere in the file, with its line."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "bzanalytics":
                # `from bzanalytics import x`: x may be a submodule (a stage) or a public name.
                for alias in node.names:
                    if alias.name in MOVED:
                        found.append((node.lineno, MOVED[alias.name]))
                    elif (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").exists():
                        found.append((node.lineno, f"bzanalytics.{alias.name}"))
            else:
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.startswith("bzanalytics")]


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_known_stage():
    stages = {stage_of(module_name(p)) for p in SOURCES} - {None}
    unknown = stages - set(ALLOWED)
    assert not unknown, f"folders or modules without a stage rule: {unknown}"
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL, f"modules at the top that belong in a stage folder: {top - TOP_LEVEL}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_only_downstream(path: Path):
    own = stage_of(module_name(path))
    if own is None:  # the package root: lazy re-exports by name only
        return
    wrong = [f"line {line}: {name}" for line, name in imports_of(path)
             if (other := stage_of(name)) is not None and other != own
             and other not in ALLOWED[own]]
    assert not wrong, f"{path.relative_to(PACKAGE)} ({own}) imports upstream: {wrong}"


def test_the_rule_catches_an_upstream_import(tmp_path):
    """The checker itself must fail on a violation, or the test above proves nothing."""
    bad = PACKAGE / "parse" / "_layout_probe.py"
    assert not bad.exists()
    try:
        bad.write_text("from bzanalytics.snapshot.store import Store\n", "utf-8")
        names = [name for _, name in imports_of(bad)]
        assert names == ["bzanalytics.snapshot.store"]
        assert stage_of(names[0]) not in ALLOWED["parse"]
    finally:
        bad.unlink()


def test_stage_folders_say_what_they_own():
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()):
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text("utf-8")))
        assert doc and "import" in doc, f"{folder.name}/__init__.py must say what it may import"


# Every name the README, the notebooks and other tools use; moving a module must not break them.
PUBLIC = [
    ("bzanalytics", "open_snapshot"),
    ("bzanalytics", "Snapshot"),
    ("bzanalytics", "parse_report"),
    ("bzanalytics", "ca_from_summary"),
    ("bzanalytics", "plots"),
    ("bzanalytics", "report"),
    ("bzanalytics", "metrics"),
    ("bzanalytics", "sample"),
    ("bzanalytics.metrics", "scorecard"),
    ("bzanalytics.metrics", "yearly_trends"),
    ("bzanalytics.metrics", "measure"),
    ("bzanalytics.metrics", "counts"),
    ("bzanalytics.sample", "sample_snapshot"),
    ("bzanalytics.sample", "default_snapshot"),
    ("bzanalytics.sample", "notice"),
    ("bzanalytics.parse.whiteboard", "parse_whiteboard"),
    ("bzanalytics.plots", None),
]


@pytest.mark.parametrize(("module", "name"), PUBLIC)
def test_public_names_still_import(module: str, name: str | None):
    if module == "bzanalytics.plots":
        # the old module path, as `from bzanalytics import plots` gives it
        import bzanalytics

        assert bzanalytics.plots is importlib.import_module("bzanalytics.outputs.plots")
        assert callable(bzanalytics.plots.incidents_per_year)
        return
    obj = getattr(importlib.import_module(module), name)
    assert obj is not None
