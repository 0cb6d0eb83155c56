"""Owner at filing vs today's owner, and distrusted owners, through the scorecard, CLI and report.

Hand-built frames check the arithmetic; the 1,688 real summaries (read from ../shared) check that
only recorded transfers move bugs between owners.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from bzanalytics import ca_from_summary
from bzanalytics.cli import main
from bzanalytics.errors import UsageError
from bzanalytics.metrics import scorecard
from bzanalytics.metrics.aggregate import regroup, select
from tests.metrics_helpers import incidents_frame
from tests.parse_helpers import REAL_BUGS, real_bugs


def _merged_frame() -> pd.DataFrame:
    """incidents_frame, where Beta CA (1 bug, 72 h missed) has since become part of Alpha CA."""
    frame = incidents_frame()
    frame["ca_current"] = frame["ca"].replace({"Beta CA": "Alpha CA"}).astype("str")
    return frame


def test_owner_grouping_is_the_default_and_keeps_beta_apart():
    card = scorecard(_merged_frame()).set_index("ca")
    assert card.loc["Alpha CA", "incidents"] == 6
    assert card.loc["Beta CA", "incidents"] == 1
    assert (card.loc["Alpha CA", "initial_met"], card.loc["Alpha CA", "initial_n"]) == (4, 5)


def test_current_owner_grouping_rolls_beta_into_alpha():
    card = scorecard(_merged_frame(), group_by="current-owner").set_index("ca")
    assert "Beta CA" not in card.index
    # Alpha's 6 + Beta's 1; 72 h: Alpha 4 met + 1 missed, Beta 1 missed -> 4 / 6
    assert card.loc["Alpha CA", "incidents"] == 7
    assert (card.loc["Alpha CA", "initial_met"], card.loc["Alpha CA", "initial_n"]) == (4, 6)
    assert card["incidents"].sum() == len(_merged_frame())


def test_select_matches_the_grouping_column():
    frame = _merged_frame()
    assert len(select(frame, ca="beta ca")) == 1
    assert len(select(frame, ca="alpha ca", group_by="current-owner")) == 7
    with pytest.raises(UsageError, match="no CA named"):
        select(frame, ca="beta ca", group_by="current-owner")


def test_regroup_keeps_the_owner_at_filing():
    frame = _merged_frame()
    assert regroup(frame, "owner") is frame
    moved = regroup(frame, "current-owner")
    beta = moved.loc[moved["ca_at_filing"].eq("Beta CA").fillna(False).to_numpy()]
    assert list(beta["ca"]) == ["Alpha CA"]


def test_unknown_grouping_and_distrust_choice_are_usage_errors():
    with pytest.raises(UsageError, match="grouping"):
        scorecard(_merged_frame(), group_by="parent")
    with pytest.raises(UsageError, match="--distrusted"):
        scorecard(_merged_frame(), distrusted="hide")


def test_distrusted_owners_are_marked_or_left_out():
    frame = incidents_frame()
    frame["ca"] = frame["ca"].replace({"Beta CA": "Entrust"}).astype("str")
    frame["ca_current"] = frame["ca"]
    card = scorecard(frame).set_index("ca")
    assert card.loc["Entrust", "distrusted"] == "Chrome 2024-11-11; Mozilla 2024-11-30"
    assert pd.isna(card.loc["Alpha CA", "distrusted"])
    kept = scorecard(frame, distrusted="exclude")
    assert "Entrust" not in set(kept["ca"])
    assert set(kept["ca"]) == set(card.index) - {"Entrust"}


# -- real summaries and the command line -------------------------------------------------------

@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    if not REAL_BUGS.is_file():
        pytest.skip("../shared/data/bmo-ca-compliance-bugs.json is not available")
    db = tmp_path_factory.mktemp("owners") / "real.sqlite"
    assert main(["import", "--db", str(db), "--quiet", str(REAL_BUGS)]) == 0
    return db


def _json_card(db: Path, capsys, *extra: str) -> dict:
    capsys.readouterr()
    assert main(["scorecard", "--db", str(db), "--format", "json", *extra]) == 0
    out = json.loads(capsys.readouterr().out)
    return out


def test_cli_groupings_on_real_metadata(real_db, capsys):
    by_owner = _json_card(real_db, capsys)
    by_current = _json_card(real_db, capsys, "--group-by", "current-owner")
    assert by_owner["group_by"] == "owner" and by_current["group_by"] == "current-owner"
    owner = {r["ca"]: r["incidents"] for r in by_owner["scorecard"]}
    current = {r["ca"]: r["incidents"] for r in by_current["scorecard"]}
    assert "QuoVadis" in owner and "QuoVadis" not in current
    assert current["DigiCert"] == owner["DigiCert"] + owner["QuoVadis"]
    assert sum(owner.values()) == sum(current.values())
    entrust = next(r for r in by_owner["scorecard"] if r["ca"] == "Entrust")
    assert "Mozilla 2024-11-30" in entrust["distrusted"]
    excluded = _json_card(real_db, capsys, "--distrusted", "exclude")
    assert "Entrust" not in {r["ca"] for r in excluded["scorecard"]}


def test_cli_text_says_which_grouping(real_db, capsys):
    assert main(["scorecard", "--db", str(real_db), "--group-by", "current-owner"]) == 0
    out = capsys.readouterr().out
    assert "Grouped by today's CA owner" in out
    assert "† distrusted by a root program" in out
    assert all(len(line) <= 100 for line in out.splitlines())
    assert main(["scorecard", "--db", str(real_db)]) == 0
    assert "Grouped by CA owner at filing." in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["scorecard", "--db", str(real_db), "--group-by", "parent"])
    assert exit_info.value.code == 2


def test_real_counts_move_only_for_recorded_transfers():
    owners, current = Counter(), Counter()
    for bug in real_bugs():
        match = ca_from_summary(bug["summary"])
        owners[match.owner] += 1
        current[match.current_owner] += 1
    changed = {name for name in owners | current if owners[name] != current[name]}
    assert changed == {"QuoVadis", "DigiCert"}


def test_report_uses_and_names_the_grouping(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from bzanalytics.outputs.report import write_report
    from tests.report_helpers import FrameSnapshot
    from tests.report_helpers import incidents_frame as report_incidents

    frame = report_incidents()
    first = frame["ca"].dropna().iloc[0]
    frame["ca_current"] = frame["ca"].where(frame["ca"].ne(first).fillna(True), "Acme Holding")
    snap = FrameSnapshot(frame.astype({"ca_current": "str"}))
    result = write_report(snap, tmp_path / "by-owner", source="test")
    page = result.html_path.read_text("utf-8")
    assert "<dt>CA grouping</dt><dd>CA owner at filing</dd>" in page
    assert "Acme Holding" not in page
    result = write_report(snap, tmp_path / "by-current", source="test", group_by="current-owner")
    page = result.html_path.read_text("utf-8")
    assert "today&#x27;s CA owner (recorded transfers applied)" in page
    assert "Acme Holding" in page


def test_attention_items_follow_the_grouping_and_distrust_choice():
    from bzanalytics.commands.attention import _grouped

    items = pd.DataFrame({"bug_id": pd.array([1, 2, 3], dtype="Int64"),
                          "ca": pd.array(["QuoVadis", "Entrust", None], dtype="str")})
    assert list(_grouped(items, "owner", "mark")["ca"].fillna("-")) == ["QuoVadis", "Entrust", "-"]
    moved = _grouped(items, "current-owner", "mark")
    assert list(moved["ca"].fillna("-")) == ["DigiCert", "Entrust", "-"]
    kept = _grouped(items, "owner", "exclude")
    assert list(kept["bug_id"]) == [1, 3]
