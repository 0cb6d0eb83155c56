"""The README's offline command-line tour runs as written, in an empty folder, without network."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TOUR_PORT = "8765"  # the port the README uses; swapped for a free one so parallel runs never clash


def offline_tour() -> str:
    text = README.read_text(encoding="utf-8")
    after = text[text.index("**Offline first**"):]
    match = re.search(r"```sh\n(.*?)```", after, re.S)
    assert match, "the README lost its offline tour"
    return match.group(1)


def free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def test_the_tour_needs_no_network_and_no_placeholder() -> None:
    tour = offline_tour()
    assert "ca.sqlite" not in tour and "you@example.com" not in tour
    urls = re.findall(r"--url (\S+)", tour)
    assert urls and all(u.startswith(f"http://127.0.0.1:{TOUR_PORT}") for u in urls)
    assert tour.count(TOUR_PORT) == 2  # the fake's port and the sync's URL


@pytest.mark.slow  # a synth, a report and a sync in child processes: ~20 s, more under load
def test_the_offline_tour_runs_as_written(tmp_path: Path) -> None:
    script = "set -euo pipefail\n" + offline_tour().replace(TOUR_PORT, free_port())
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("BUGZILLA_API_KEY", None)
    run = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    out = run.stdout
    assert "wrote 300 synthetic bugs to corpus" in out
    assert "synth.sqlite now holds 300 bugs" in out
    assert "Bramblegate PKI Ltd" in out  # the --ca example names a CA of this corpus
    assert "full sync: 300 bugs listed, 300 stored" in out
    assert (tmp_path / "out/report/report.html").is_file()
    manifest = json.loads((tmp_path / "out/tables/manifest.json").read_text())
    assert manifest["synthetic"] is True and manifest["tables"]["bugs"]["rows"] == 300
