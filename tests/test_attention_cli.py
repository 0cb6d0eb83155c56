"""`bzanalytics attention` on the bundled sample: formats, filters, replay of an earlier moment,
bad input, and agreement of every item with the incidents, questions and promises tables."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from bzanalytics import sample
from bzanalytics.cli import main
from bzanalytics.metrics.attention import ITEM_COLUMNS, KINDS
from bzanalytics.snapshot.rewind import rewind_bugs, rewind_events


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cache")
    sample.sample_db(cache=directory)
    return directory


@pytest.fixture()
def cli(cache, monkeypatch, capsys):
    monkeypatch.setenv(sample.CACHE_ENV, str(cache))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["attention", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture(scope="module")
def snapshot(cache):
    with sample.sample_snapshot(cache=cache) as snap:
        yield snap


def test_json_is_a_list_of_items_with_every_field(cli, snapshot):
    code, out, _ = cli("--format", "json")
    assert code == 0
    items = json.loads(out)
    assert isinstance(items, list) and items
    assert all(list(item) == ITEM_COLUMNS for item in items)
    assert {i["state"] for i in items} <= {"overdue", "due_soon", "new"}
    assert {i["kind"] for i in items} <= {k.name for k in KINDS}
    assert [i["bug_id"] for i in items] == list(snapshot.attention()["bug_id"])
    overdue = [i["hours_overdue"] for i in items if i["state"] == "overdue"]
    assert overdue == sorted(overdue, reverse=True) and all(h > 0 for h in overdue)


def test_every_item_agrees_with_the_tables(snapshot):
    items = snapshot.attention()
    incidents = snapshot.incidents().set_index("bug_id")
    questions = snapshot.questions()
    for item in items.to_dict("records"):
        bug = incidents.loc[item["bug_id"]]
        assert pd.isna(bug["t_resolved"])  # items are for open bugs only
        if item["kind"] == "initial_report_overdue":
            expected = "no_report" if item["state"] == "overdue" else "pending"
            assert bug["initial_report_status"] == expected
            assert bug["initial_report_due"] == item["due"]
        if item["kind"] == "full_report_overdue":
            # due at the 14-day limit, or at the CA's earlier promised date
            clocks = [("full_report_status", "full_report_due")]
            if bug["full_report_promise_status"] in ("pending", "no_report"):
                clocks.append(("full_report_promise_status", "full_report_promise_due"))
            status, due = min(clocks, key=lambda c: bug[c[1]])
            assert bug[due] == item["due"]
            assert (bug[status] == "no_report") == (item["state"] == "overdue")
        if item["kind"] == "question_unanswered":
            q = questions.loc[(questions["evidence"] == item["evidence"]).to_numpy()].iloc[0]
            assert bool(q["late"]) == (item["state"] == "overdue")
        if item["kind"] == "update_overdue" and item["state"] == "overdue":
            assert bug["cadence_gaps_over_7d"] >= 1
        if item["kind"] == "next_update_missed" and item["state"] == "overdue":
            assert bug["next_updates_missed"] >= 1


def test_the_full_metrics_and_the_open_bugs_path_give_the_same_items(cache):
    with sample.sample_snapshot(cache=cache) as fresh:
        quick = fresh.attention()  # measures the open bugs only
        fresh.incidents()
        assert fresh.attention().equals(quick)  # now from the full metrics


def test_text_markdown_and_html(cli, snapshot):
    items = snapshot.attention()
    first = items.iloc[0]
    code, text, _ = cli()
    assert code == 0
    assert text.startswith("SYNTHETIC SAMPLE")
    assert f"Attention as of 2026-11-01 00:00 UTC: {len(items)} items" in text
    assert f"{first['kind']:<22}  {first['bug_id']}" in text
    code, md, _ = cli("--format", "markdown")
    assert md.count("\n| ") == len(items) + 1  # header and one row per item
    code, page, _ = cli("--format", "html")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    # a kind is never broken inside (code text otherwise breaks anywhere)
    assert f'<code class="kind">{first["kind"]}</code>' in page and "code.kind" in page
    assert page.count("<tr>") == len(items) + 1
    assert f"show_bug.cgi?id={first['bug_id']}" in page


def test_ca_filter_matches_any_case(cli, snapshot):
    ca = snapshot.attention()["ca"].dropna().iloc[0]
    code, out, _ = cli("--ca", ca.upper()[:8], "--format", "json")
    assert code == 0
    items = json.loads(out)
    assert items and {i["ca"] for i in items} == {ca}


def test_due_within_and_new_days_change_the_list(cli, snapshot):
    wide = snapshot.attention(due_within_hours=24 * 30, new_days=0)
    base = snapshot.attention()
    assert (wide["state"] == "due_soon").sum() > (base["state"] == "due_soon").sum()
    assert not (wide["kind"] == "new_bug").any()
    assert cli("--due-within", str(24 * 30), "--new-days", "0")[0] == 0
    _, out, _ = cli("--due-within", str(24 * 30), "--new-days", "0", "--format", "json")
    assert [i["kind"] for i in json.loads(out)] == list(wide["kind"])


def test_an_earlier_as_of_replays_that_moment(cli, snapshot):
    earlier = pd.Timestamp("2026-09-01", tz="UTC")  # bugs then open were resolved later
    items = snapshot.attention(earlier)
    bugs = snapshot.bugs().set_index("bug_id")
    assert (bugs.loc[items["bug_id"], "creation_time"] <= earlier).all()
    # bugs resolved since then were open at that moment: the list then is not today's
    resolved_later = bugs["last_resolved"] > earlier
    assert items["bug_id"].isin(bugs.index[resolved_later.fillna(False)]).any()
    _, out, _ = cli("--as-of", "2026-09-01", "--format", "json")
    assert [i["bug_id"] for i in json.loads(out)] == list(items["bug_id"])


@pytest.mark.parametrize("args, message", [
    (("--as-of", "yesterday-ish"), "--as-of 'yesterday-ish' is not a date or time"),
    (("--as-of", "2030-01-01"), "is after the snapshot's as-of time"),
    (("--due-within", "-1"), "--due-within must be a number of at least 0"),
    (("--new-days", "nan"), "--new-days must be a number of at least 0"),
    (("--ca", "No Such Certification Authority"), "no CA named"),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_db_is_a_snapshot_error(cli, tmp_path):
    code, _, err = cli("--db", str(tmp_path / "nope.sqlite"))
    assert code == 5 and "nope.sqlite" in err


# ------------------------------------------------------------------ rewind


def _frames():
    utc = lambda s: pd.Timestamp(s, tz="UTC")  # noqa: E731
    bugs = pd.DataFrame({
        "bug_id": pd.array([1, 2], dtype="Int64"), "summary": ["A: new title", "B: later"],
        "status": ["RESOLVED", "NEW"], "resolution": ["FIXED", None],
        "creation_time": [utc("2025-01-01"), utc("2025-03-01")],
        "last_change_time": [utc("2025-02-10"), utc("2025-03-01")],
        "last_resolved": [utc("2025-02-10"), pd.NaT],
        "whiteboard": ["[ca-compliance] [dv-misissuance]", ""], "is_open": [False, True],
        "assigned_to": ["ca@example.com", None], "keywords": [None, None],
        "dupe_of": pd.array([None, None], dtype="Int64"),
    }).astype({"summary": "str", "status": "str", "resolution": "str", "whiteboard": "str"})
    history = pd.DataFrame({
        "bug_id": pd.array([1, 1, 1, 1], dtype="Int64"),
        "when": [utc("2025-01-05"), utc("2025-02-01"), utc("2025-02-10"), utc("2025-02-10")],
        "who": ["x"] * 4,
        "field_name": ["whiteboard", "summary", "status", "resolution"],
        "removed": ["[ca-compliance]", "A: old title", "ASSIGNED", None],
        "added": ["[ca-compliance] [dv-misissuance]", "A: new title", "RESOLVED", "FIXED"],
    }).astype({"field_name": "str", "removed": "str", "added": "str"})
    return bugs, history


def test_rewind_restores_each_field_as_it_was():
    bugs, history = _frames()
    when = pd.Timestamp("2025-01-20", tz="UTC")
    then = rewind_bugs(bugs, history, when)
    assert list(then["bug_id"]) == [1]  # bug 2 was not filed yet
    first = then.iloc[0]
    assert first["status"] == "ASSIGNED" and bool(first["is_open"])
    assert pd.isna(first["resolution"]) and pd.isna(first["last_resolved"])
    assert first["summary"] == "A: old title"
    assert first["whiteboard"] == "[ca-compliance] [dv-misissuance]"  # changed before `when`
    assert len(rewind_events(history, "when", when)) == 1
    # at the moment of a change, the change is visible
    at = rewind_bugs(bugs, history, pd.Timestamp("2025-02-10", tz="UTC"))
    assert at.iloc[0]["status"] == "RESOLVED" and at.iloc[0]["resolution"] == "FIXED"
    assert not bool(at.iloc[0]["is_open"])
