"""What a Python user reaches for first, and the exit codes every command documents."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bzanalytics import __version__, errors
from bzanalytics.cli import build_parser, main
from bzanalytics.snapshot.store import Store
from tests.store_helpers import bug_1001

ROOT = Path(__file__).resolve().parents[1]


def _bza(*argv: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bzanalytics", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120, check=False)


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_python_dash_m_and_version() -> None:
    run = _bza("--version")
    assert (run.returncode, run.stdout, run.stderr) == (0, f"bzanalytics {__version__}\n", "")


def test_bare_command_prints_the_command_list(capsys: pytest.CaptureFixture) -> None:
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    for name in _commands():
        assert re.search(rf"^\s+{re.escape(name)}\s", out, re.M), name
    run = _bza()
    assert run.returncode == 0 and "COMMAND" in run.stdout and run.stderr == ""


def test_each_error_class_has_its_own_code() -> None:
    codes = [cls.exit_code for cls in errors.ERRORS]
    assert len(set(codes)) == len(codes)
    assert [code for code, _ in errors.exit_codes()] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 130]
    assert {cls for cls in vars(errors).values()
            if isinstance(cls, type) and issubclass(cls, errors.BzaError)} == set(errors.ERRORS)


def test_every_help_ends_with_the_one_exit_code_table(capsys: pytest.CaptureFixture) -> None:
    table = errors.exit_code_table()
    helps = {"": build_parser().format_help()}
    helps |= {name: parser.format_help() for name, parser in _commands().items()}
    assert len(helps) >= 9
    for name, text in helps.items():
        assert text.endswith(table + "\n"), name
    for code, _ in errors.exit_codes():
        assert re.search(rf"^\s+{code}\s", table, re.M)
    with pytest.raises(SystemExit):
        main(["status", "--help"])
    assert capsys.readouterr().out.endswith(table + "\n")


def test_the_readme_shows_the_same_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert errors.exit_code_table() in readme


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["scorecard"]])
def test_stdout_on_a_full_disk_is_one_line(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        store.save_bugs([bug_1001()], origin="t", fetched_at="t")
    with open("/dev/full", "w") as full:
        run = _bza(*command, "--db", str(db), stdout=full)
    assert run.returncode == 11
    assert run.stderr == "bzanalytics: cannot write the output: No space left on device\n"


def test_interruption_says_what_is_true_for_the_command(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from bzanalytics.snapshot import frames

    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        store.save_bugs([bug_1001()], origin="t", fetched_at="t")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(frames.Snapshot, "incidents", interrupt)
    assert main(["scorecard", "--db", str(db)]) == 130
    assert capsys.readouterr().err == "bzanalytics: interrupted; nothing was changed\n"
    out = tmp_path / "tables"
    assert main(["export", "--db", str(db), "--out", str(out)]) == 130
    assert capsys.readouterr().err == (f"bzanalytics: interrupted; {out} was left as it was (it "
                                       "is replaced whole or not at all)\n")
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["s.sqlite"]


def test_status_json_is_still_json(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with Store.open(db) as store:
        store.save_bugs([bug_1001()], origin="t", fetched_at="t")
    run = _bza("status", "--db", str(db), "--json")
    assert run.returncode == 0 and json.loads(run.stdout)["counts"]["bugs"] == 1
