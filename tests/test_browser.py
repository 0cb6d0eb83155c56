"""The report in a real browser: headless Chromium loads it and a CA page without console
errors, every <img> decodes, the screenshots show rendered pages, and the incidents filter hides
exactly the rows it should. Skipped where Chromium is not installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib
import matplotlib.image
import pandas as pd
import pytest

from bzanalytics.cli import main
from bzanalytics.outputs import report
from bzanalytics.sample import CACHE_ENV

matplotlib.use("Agg")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed"),
]

# Injected into a copy of the page only (the report's own script is the incidents filter).
PROBE = """<script>
window.addEventListener("load", () => {
  const images = [...document.images];
  const broken = images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt);
  document.body.setAttribute("data-images", images.length);
  document.body.setAttribute("data-broken", JSON.stringify(broken));
});
</script>"""


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={tmp / 'profile'}", "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=5000", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _page_problems(stderr: str) -> list[str]:
    """Console messages and load failures Chromium logged for the page (not its own dbus noise)."""
    pattern = re.compile(r"CONSOLE|Uncaught|Failed to load|net::ERR_|Not allowed to load")
    return [line for line in stderr.splitlines() if pattern.search(line)]


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(out / "cache"))
        # the report folder is replaced whole, so it must not hold the sample cache
        assert main(["report", "--out", str(out / "report")]) == 0
    return out / "report" / "report.html"


def test_report_renders_without_console_errors(sample_report, tmp_path):
    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, "--window-size=1280,2400", f"--screenshot={shot}",
                    sample_report.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _page_problems(run.stderr) == []
    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (2400, 1280)
    # a rendered page: not one flat colour (a blank or error page would be)
    assert pixels[..., :3].std() > 0.05
    # the synthetic banner's orange border (#e69f00) is drawn near the top of the page
    top = (pixels[:600, :, :3] * 255).round()
    orange = (abs(top[..., 0] - 230) < 8) & (abs(top[..., 1] - 159) < 8) & (top[..., 2] < 10)
    assert orange.sum() > 100


def test_every_image_decodes(sample_report, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(sample_report.read_text(encoding="utf-8").replace("</body>",
                                                                       PROBE + "</body>"),
                     encoding="utf-8")
    run = _chromium(tmp_path, "--dump-dom", probe.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'data-images="(\d+)" data-broken="([^"]*)"', run.stdout)
    assert found, "the probe did not run"
    assert int(found.group(1)) == len(report.FIGURES)
    assert json.loads(found.group(2).replace("&quot;", '"')) == []


def test_a_broken_image_is_detected(tmp_path):
    """The probe itself can fail: a page with an undecodable data URI reports it."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><img alt="bad" src="data:image/svg+xml;base64,'
                    'bm90IHN2Zw=="></body></html>'.replace("</body>", PROBE + "</body>"),
                    encoding="utf-8")
    run = _chromium(tmp_path, "--dump-dom", page.as_uri())
    found = re.search(r'data-broken="([^"]*)"', run.stdout)
    assert found and json.loads(found.group(1).replace("&quot;", '"')) == ["bad"]


def test_ca_page_renders_and_links_back(sample_report, tmp_path):
    page = sample_report.parent / "ca" / "quillfeather-trust-services.html"
    shot = tmp_path / "ca.png"
    run = _chromium(tmp_path, "--window-size=1280,1600", f"--screenshot={shot}", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _page_problems(run.stderr) == []
    pixels = matplotlib.image.imread(shot)
    assert pixels[..., :3].std() > 0.05
    probe = tmp_path / "ca-probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                     encoding="utf-8")
    run = _chromium(tmp_path, "--dump-dom", probe.as_uri())
    found = re.search(r'data-images="(\d+)" data-broken="([^"]*)"', run.stdout)
    assert found and found.group(1) == "1" and found.group(2) == "[]"


@pytest.mark.parametrize("query, expected", [
    ("", lambda rows: len(rows)),
    ("#ca=Quillfeather%20Trust%20Services&status=open",
     lambda rows: sum(r["ca"] == "Quillfeather Trust Services" and r["open"] for r in rows)),
    ("#year=2024&status=72h:%20missed",
     lambda rows: sum(r["year"] == 2024 and r["initial"] == "missed" for r in rows)),
])
def test_the_incidents_filter_hides_the_right_rows(sample_report, tmp_path, query, expected):
    from bzanalytics import sample

    with sample.sample_snapshot(cache=sample_report.parent / "cache") as snap:
        incidents = snap.incidents()
    rows = [{"ca": r["ca"], "open": r["t_resolved"] is pd.NaT or pd.isna(r["t_resolved"]),
             "year": int(r["year"]), "initial": r["initial_report_status"]}
            for r in incidents.to_dict("records")]
    run = _chromium(tmp_path, "--dump-dom", sample_report.as_uri() + query)
    assert run.returncode == 0, run.stderr[-2000:]
    shown = re.search(r'data-shown-incidents="(\d+)"', run.stdout)
    assert shown, "the filter script did not run"
    assert int(shown.group(1)) == expected(rows) > 0
    table = run.stdout[run.stdout.index('id="incidents-table"'):]
    table = table[:table.index("</table>")]
    assert table.count(" hidden") == len(rows) - int(shown.group(1))
