"""The HTML report: content checked against the hand-built frame, files, determinism, the CLI."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from bzanalytics import sample
from bzanalytics.cli import main
from bzanalytics.outputs import report
from bzanalytics.snapshot.store import Store
from tests.report_helpers import BUG, FrameSnapshot, incidents_frame

matplotlib.use("Agg")


class _Collect(HTMLParser):
    """Every <img src> and <a href> of a page, and its visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.links: dict[str, str] = {}
        self.text: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs["src"])
        if tag == "a":
            self._href = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        self.text.append(data)
        if self._href is not None:
            self.links[self._href] = self.links.get(self._href, "") + data


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, report.ReportResult]:
    out = tmp_path_factory.mktemp("report")
    result = report.write_report(FrameSnapshot(incidents_frame()), out, source="test frame")
    return out, result


def test_report_files_and_summary(written):
    out, result = written
    assert result.html_path == out / "report.html"
    assert (result.incidents, result.cas) == (10, 3)
    names = {p.name for p in result.figure_paths}
    for spec in report.FIGURES:
        assert {f"{spec.name}.png", f"{spec.name}.svg"} <= names
        png = (out / "figures" / f"{spec.name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(png[16:20], "big")  # IHDR: 7.5 in at 150 dpi
        assert width == 1125
        assert b"<svg" in (out / "figures" / f"{spec.name}.svg").read_bytes()[:500]


def test_every_figure_is_embedded_as_a_decodable_svg(written):
    out, _ = written
    page = _parse((out / "report.html").read_text(encoding="utf-8"))
    assert len(page.images) == len(report.FIGURES)
    for src in page.images:
        prefix = "data:image/svg+xml;base64,"
        assert src.startswith(prefix)
        assert base64.b64decode(src[len(prefix):]).lstrip().startswith(b"<?xml")


def test_header_names_snapshot_and_tool(written):
    out, _ = written
    text = " ".join(_parse((out / "report.html").read_text(encoding="utf-8")).text)
    assert "2026-11-01 00:00 UTC" in text
    assert "ab" * 32 in text
    assert f"bzanalytics {report.__version__}" in text
    assert "10 bugs, 3 CA owners" in text
    assert "Synthetic sample — fictional CAs." in text


def test_statuses_link_to_their_evidence(written):
    out, _ = written
    links = _parse((out / "report.html").read_text(encoding="utf-8")).links
    assert links[f"{BUG}104#c2"] == "missed"  # the 72-hour and 14-day cells both link there
    assert links[f"{BUG}103#c2"] == "met"
    assert links[f"{BUG}109"] == "109" * 2  # in the attention list and the incidents table
    assert "(unattributed: Zeta Unknown)" in (out / "report.html").read_text(encoding="utf-8")
    # bug 109 has no evidence for its no_report status: shown, not linked
    # a no_report status has no evidence; only the attention list links the filing (#c0)
    assert [href for href in links if href.startswith(f"{BUG}109#")] == [f"{BUG}109#c0"]


def test_scorecard_rows_carry_counts_and_intervals():
    table = report.scorecard_table(FrameSnapshot(incidents_frame()).scorecard())
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    beta = next(r for r in rows if "Beta Certs" in r)
    # Beta Certs: 72-hour met 1 of 2 -> 50 %, Wilson 9 %–91 %; response median of {2, 0, 200}
    assert "50 % (1/2)" in beta
    assert "95 % CI 9–91 %" in beta
    assert "2.0 h (n=3)" in beta
    assert "1 / 1" in beta  # questions late / asked
    assert "small sample" in beta
    # bug 109 has no CA: its row has no scored incident, only one without a report
    unattributed = next(r for r in rows if "(unattributed)" in r)
    assert "–<span class=\"reason\">1 no report</span>" in unattributed


def test_synthetic_banner_only_for_synthetic_snapshots():
    frame = incidents_frame()
    svgs = {spec.name: b"<svg/>" for spec in report.FIGURES}
    snap = FrameSnapshot(frame, synthetic=False)
    meta = report.ReportMeta(as_of=snap.as_of, content_hash="00", synthetic=False, source="x")
    page = report.render_html(frame, snap.scorecard(), snap.trends(), meta, svgs)
    assert "fictional CAs" not in page
    synthetic = report.render_html(frame, snap.scorecard(), snap.trends(),
                                   report.ReportMeta(snap.as_of, "00", True, "x"), svgs)
    assert 'class="banner"' in synthetic


def test_text_is_escaped_and_foreign_links_are_not_followed():
    frame = incidents_frame()
    frame.loc[0, "ca"] = "<script>alert(1)</script>"
    frame.loc[3, "initial_report_evidence"] = "javascript:alert(1)"
    snap = FrameSnapshot(frame)
    svgs = {spec.name: b"<svg/>" for spec in report.FIGURES}
    page = report.render_html(frame, snap.scorecard(), snap.trends(),
                              report.ReportMeta(snap.as_of, "00", True, "x"), svgs)
    assert "<script>alert" not in page  # the report's own filter script is the only one
    assert page.count("<script>") == 1
    assert "&lt;script&gt;" in page
    assert "javascript:" not in page


def test_report_is_deterministic(written, tmp_path):
    _, first = written
    second = report.write_report(FrameSnapshot(incidents_frame()), tmp_path, source="test frame")
    assert first.html_path.read_bytes() == second.html_path.read_bytes()
    for a, b in zip(first.figure_paths, second.figure_paths, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_unwritable_output_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(report.UsageError, match="exists and is not a directory"):
        report.write_report(FrameSnapshot(incidents_frame()), blocker, source="t")
    with pytest.raises(report.UsageError, match=r"cannot write .*file/out: .*file is not a dir"):
        report.write_report(FrameSnapshot(incidents_frame()), blocker / "out", source="t")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_dates_render_in_utc():
    meta = report.ReportMeta(pd.Timestamp("2026-03-01T23:30:00-02:00"), "00", False, "x")
    frame = incidents_frame()
    snap = FrameSnapshot(frame)
    page = report.render_html(frame, snap.scorecard(), snap.trends(), meta,
                              {spec.name: b"<svg/>" for spec in report.FIGURES})
    assert "2026-03-02 01:30 UTC" in page


SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


@pytest.mark.skipif(not (SAMPLE / "truth.json").is_file(), reason="bundled sample not present")
def test_cli_reports_on_the_bundled_sample(tmp_path, monkeypatch, capsys):
    truth = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))
    kept = [bug for bug in truth["bugs"].values() if bug["excluded"] is None]
    cas = {bug["ca"] for bug in kept if bug["ca"]}
    monkeypatch.setenv(sample.CACHE_ENV, str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert main(["report", "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"wrote {out / 'report.html'} ({len(kept)} incidents, {len(cas)} CAs;")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Synthetic sample — fictional CAs." in page
    as_of = pd.Timestamp(truth["as_of"])
    assert f"{as_of:%Y-%m-%d %H:%M} UTC" in page
    with Store.open(sample.sample_db(cache=tmp_path / "cache"), create=False) as store:
        assert store.content_hash() in page
    assert len(list((out / "figures").glob("*.png"))) == len(report.FIGURES)
    assert len(list((out / "figures").glob("*.svg"))) == len(report.FIGURES)


def test_cli_refuses_a_missing_snapshot(tmp_path, capsys):
    assert main(["report", "--db", str(tmp_path / "nope.sqlite"), "--out", str(tmp_path)]) == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such snapshot file" in err
    assert not (tmp_path / "report.html").exists()


def test_cli_requires_out(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report"])
    assert exit_info.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_an_empty_snapshot_is_refused_in_one_line(tmp_path, capsys):
    db = tmp_path / "empty.sqlite"
    Store.open(db).close()
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds no bugs yet" in err


def test_a_snapshot_whose_bugs_are_all_excluded_still_renders():
    snap = FrameSnapshot(incidents_frame().iloc[0:0])
    page = report.render_html(snap.incidents(), snap.scorecard(), snap.trends(),
                              report.ReportMeta(snap.as_of, "00", False, "x"),
                              {spec.name: b"<svg/>" for spec in report.FIGURES})
    assert "0 bugs, 0 CA owners" in page
    assert page.count("<tr>") == 3  # the header rows of the three tables, no body rows


def test_a_snapshot_without_comments_says_so():
    frame = incidents_frame()
    snap = FrameSnapshot(frame)
    svgs = {spec.name: b"<svg/>" for spec in report.FIGURES}
    bare = report.render_html(frame, snap.scorecard(), snap.trends(),
                              report.ReportMeta(snap.as_of, "00", False, "x", comments=0), svgs)
    assert "No comments in this snapshot." in bare
    full = report.render_html(frame, snap.scorecard(), snap.trends(),
                              report.ReportMeta(snap.as_of, "00", False, "x", comments=3), svgs)
    assert "No comments" not in full
    assert "3 public" in full
