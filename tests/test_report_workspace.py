"""The report as a reviewer's workspace: "Attention now" first, the partial year marked, one page
per CA linked from every CA name, and an incidents table with titles and filter attributes that
shows every row without scripts. Checked on the hand-built frame of tests/report_helpers.py."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from bzanalytics.outputs import ca_pages, plots, report
from bzanalytics.outputs.html import slug
from tests.report_helpers import BUG, FrameSnapshot, incidents_frame

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, report.ReportResult]:
    out = tmp_path_factory.mktemp("workspace")
    return out, report.write_report(FrameSnapshot(incidents_frame()), out, source="test frame")


def page(out: Path, name: str = "report.html") -> str:
    return (out / name).read_text(encoding="utf-8")


def test_slugs():
    assert slug("Quillfeather Trust Services") == "quillfeather-trust-services"
    assert slug("Redwillow Certificação S.A.") == "redwillow-certifica-o-s-a"
    assert slug("***") == "ca"


def test_attention_comes_first_with_its_items(written):
    out, _ = written
    html = page(out)
    assert html.index('id="attention"') < html.index('id="counts"') < html.index('id="trends"')
    section = html[html.index('id="attention"'):html.index('id="counts"')]
    assert "2 items (1 overdue, 1 due soon, 0 new)" in section
    assert section.index("initial_report_overdue") < section.index("question_unanswered")
    assert f'href="{BUG}110#c4"' in section  # since: the comment that started the clock
    assert 'href="ca/alpha-trust.html">Alpha Trust</a>' in section


def test_partial_year_is_marked_in_the_table_and_figures(written):
    out, _ = written
    html = page(out)
    trends = html[html.index('id="trends"'):html.index('id="scorecard"')]
    assert trends.count("partial: to 2026-11-01") == 1
    assert re.search(r"<td>2026<span class=\"reason partial\">partial: to 2026-11-01", trends)
    assert "2026 is a partial year (to 2026-11-01)" in html
    frame, as_of = incidents_frame(), pd.Timestamp("2026-11-01", tz="UTC")
    for fig in (plots.incidents_per_year(frame, as_of=as_of),
                plots.response_time_by_year(frame, as_of=as_of),
                plots.status_by_year(frame, as_of=as_of)):
        labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        assert any(label.startswith("2026*") for label in labels), labels
        assert not any(label.startswith("2025*") for label in labels)
    labels = [t.get_text() for t in plots.incidents_per_year(frame).axes[0].get_xticklabels()]
    assert "2026" in labels  # without as_of nothing is marked
    assert plots.partial_year(pd.Timestamp("2027-01-01", tz="UTC")) is None
    assert plots.partial_year(pd.Timestamp("2027-01-01T00:00:01", tz="UTC")) == 2027


def test_every_ca_name_links_to_its_page(written):
    out, result = written
    assert sorted(p.name for p in result.ca_pages) == [
        "alpha-trust.html", "beta-certs.html", "gamma-pki.html"]
    html = page(out)
    scorecard = html[html.index('id="scorecard"'):html.index('id="incidents"')]
    incidents = html[html.index('id="incidents"'):]
    for ca in ("Alpha Trust", "Beta Certs", "Gamma PKI"):
        assert f'<a href="ca/{slug(ca)}.html">{ca}</a>' in scorecard
        assert incidents.count(f'<a href="ca/{slug(ca)}.html">{ca}</a>') == (
            incidents_frame()["ca"] == ca).sum()
        assert (out / "ca" / f"{slug(ca)}.html").exists()


def test_incidents_table_has_titles_filters_and_every_row(written):
    out, _ = written
    html = page(out)
    body = html[html.index('<table id="incidents-table">'):]
    body = body[:body.index("</table>")]
    rows = re.findall(r"<tr (data-ca=[^>]*)>", body)
    assert len(rows) == 10 and "hidden" not in body  # without the script: everything shown
    assert "Alpha Trust: issue 110" in body
    first = rows[0]  # newest first: bug 110, filed 2026
    assert 'data-ca="Alpha Trust"' in first and 'data-year="2026"' in first
    assert 'data-status="open|72h: pending|14d: pending"' in first
    assert 'data-status="resolved FIXED|72h: not_applicable|14d: not_applicable"' in body
    assert 'data-ca="(unattributed)"' in body
    assert html.count("<script>") == 1 and 'getElementById("incidents-table")' in html


def test_ca_page_contents(written):
    out, _ = written
    html = page(out, "ca/alpha-trust.html")
    assert '<a href="../report.html">' in html and "<script" not in html
    assert "<h1>Alpha Trust</h1>" in html and "Synthetic sample" in html
    assert "4 incidents, 2 open" in html
    attention = html[html.index('id="attention"'):html.index('id="against"')]
    assert "question_unanswered" in attention and "initial_report_overdue" not in attention
    assert html.count("data:image/svg+xml;base64,") == 1
    categories = html[html.index('id="categories"'):html.index('id="renames"')]
    assert re.findall(r"\[([a-z-]+)\]</code></td><td class=\"num\">(\d+)", categories) == [
        ("misissuance", "3"), ("revocation-delay", "1")]
    assert "No former names recorded" in html
    bugs = re.findall(r'show_bug\.cgi\?id=(\d+)">\1</a>', html[html.index('id="incidents"'):])
    assert bugs == ["110", "103", "102", "101"]  # newest first
    assert "Alpha Trust: issue 103" in html


def test_renames_come_from_the_alias_table():
    assert ca_pages.renames("Quillfeather Trust Services") == [
        {"name": "Featherline CA", "until": "2020-06-30"}]
    section = ca_pages.renames_section("Quillfeather Trust Services")
    assert "Featherline CA" in section and "2020-06-30" in section


def test_ca_figure_marks_the_ca_against_the_others():
    frame = incidents_frame()
    from bzanalytics import metrics

    card = metrics.scorecard(frame)
    fig = plots.ca_against_others(card, "Beta Certs")
    titles = [ax.get_title() for ax in fig.axes]
    met, n = int(card.loc[card["ca"] == "Beta Certs", "initial_met"].iloc[0]), int(
        card.loc[card["ca"] == "Beta Certs", "initial_n"].iloc[0])
    assert titles[1] == f"72-hour met rate ({met}/{n})"
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["other CAs\n(2)", "Beta Certs"]  # Alpha Trust and Gamma PKI
    empty = plots.ca_against_others(card, "Nobody CA")
    assert "not measured" in [t.get_text() for t in empty.axes[1].texts]
