"""The text scorecard and its choices: no-report bugs shown, ISO --since only (and not in the
future), --ca by prefix and words or `unattributed`, full names, aligned states, newest first."""

from __future__ import annotations

from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.outputs.scorecard_format import scorecard_lines
from bzanalytics.snapshot.frames import open_snapshot
from bzanalytics.snapshot.store import Store
from tests.test_metrics_cli import PRELIMINARY, bmo_bug

LONG = "Quillfeather Trust Services Global Certification Authority Holdings"  # fictional
AS_OF = "2025-09-01T00:00:00Z"


def choices_bugs() -> list[dict]:
    """Bramblegate (4 bugs), Quillfeather (1), Quarrystone (1) and one unattributed bug."""
    bramble, quill = "ops@bramblegate.example.com", "pki@quillfeather.example.com"
    filed = "reporter@example.com"

    def answered(bug_id, summary, created, assignee, **kw):
        # third-party bug answered with a preliminary report 5 h later: 72 h met
        return bmo_bug(bug_id, summary, created,
                       [(created, filed, "Found it."),
                        (created.replace("T10", "T15"), assignee,
                         PRELIMINARY.format(aware=created[:10] + " 09:00 UTC"))],
                       assignee=assignee, **kw)

    def silent(bug_id, summary, created, assignee, **kw):
        return bmo_bug(bug_id, summary, created, [(created, filed, "Found it.")],
                       assignee=assignee, **kw)

    bugs = [
        answered(1900001, "Bramblegate PKI Ltd: bad field", "2025-04-01T10:00:00Z", bramble),
        silent(1900002, "Bramblegate PKI Ltd: late CRL", "2025-05-01T10:00:00Z", bramble),
        silent(1900003, "Bramblegate PKI Ltd: OCSP", "2025-06-01T10:00:00Z", bramble),
        silent(1900004, "Bramblegate PKI Ltd: CPS", "2025-07-01T10:00:00Z", bramble,
               status="RESOLVED", resolution="WORKSFORME", resolved="2025-07-02T00:00:00Z"),
        answered(1900005, "Quillfeather Trust Services: bad OID", "2025-04-02T10:00:00Z", quill,
                 status="UNCONFIRMED"),
        silent(1900006, "Quarrystone CA: weak key", "2025-04-03T10:00:00Z",
               "ops@quarrystone.example.com"),
        silent(1900007, "Mystery Outfit: odd serials", "2025-04-04T10:00:00Z",
               "x@unknown.example.com"),
    ]
    return bugs


def saved(path: Path, bugs: list[dict]) -> Path:
    with Store.open(path) as store:
        store.save_bugs(bugs, origin="import", fetched_at=AS_OF, state={"db_time": AS_OF})
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return saved(tmp_path_factory.mktemp("choices") / "s.db", choices_bugs())


def run(db: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["scorecard", "--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_no_report_bugs_are_in_the_default_view(db, capsys):
    """Bramblegate: 1 met, 3 bugs without any report past the deadline (item 6)."""
    code, out, _ = run(db, capsys)
    assert code == 0 and all(len(line) <= 100 for line in out.splitlines())
    header = next(line for line in out.splitlines() if line.startswith("CA owner"))
    row = next(line for line in out.splitlines() if "Bramblegate" in line)
    cells = row.split()
    assert cells[cells.index("1/1") + 2] == "3"  # "72h met 1/1 100%", then "no rep 3"
    assert header.index("no rep") + len("no rep") == row.index("1/1 100%") + len(
        "1/1 100%") + 2 + len("no rep")
    assert "no rep: past the 72-hour deadline without any" in out


@pytest.mark.parametrize("since", ["01/02/2025", "2025-1-2", "2025-02-30", "02.01.2025",
                                   "2025-01-02 10:00", "yesterday"])
def test_since_takes_iso_dates_only(db, capsys, since):
    code, out, err = run(db, capsys, "--since", since)
    assert (code, out) == (2, "")
    assert "not a date: use the ISO form YYYY-MM-DD" in err and err.count("\n") == 1


def test_since_on_each_side_of_the_as_of_date(db, capsys):
    code, out, _ = run(db, capsys, "--since", "2025-09-01")  # the as-of day itself: allowed
    assert code == 0 and "bugs filed since 2025-09-01" in out
    code, _, err = run(db, capsys, "--since", "2025-09-02")
    assert code == 2
    assert "--since 2025-09-02 is in the future: this snapshot is as of 2025-09-01" in err
    code, out, _ = run(db, capsys, "--since", "2025-06-01")  # from 1 June: two Bramblegate bugs
    row = next(line for line in out.splitlines() if "Bramblegate" in line)
    assert row.split()[1:4] == ["Bramblegate", "PKI", "Ltd"] and row.split()[4] == "2"


def test_ca_by_prefix_and_words(db, capsys):
    code, out, _ = run(db, capsys, "--ca", "bramble")
    assert code == 0 and "Incidents (4):" in out
    code, out, _ = run(db, capsys, "--ca", "quill trust")  # the start of two of its words
    assert code == 0 and "Incidents (1):" in out
    code, _, err = run(db, capsys, "--ca", "Q")  # two CAs start with Q: say which
    assert code == 2
    assert "--ca 'Q' matches 2 CAs: Quarrystone CA, Quillfeather Trust Services; give more of " \
           "the name" in err
    code, _, err = run(db, capsys, "--ca", "Zebra")
    assert code == 2 and "close matches: none" in err


def test_ca_unattributed_lists_bugs_with_their_raw_prefix(db, capsys):
    code, out, _ = run(db, capsys, "--ca", "unattributed")
    assert code == 0 and "Incidents (1):" in out
    assert "(unattributed)" in out
    assert "    unattributed, summary prefix: Mystery Outfit" in out


def test_one_ca_shows_its_full_name(db):
    with open_snapshot(db) as snap:
        card = snap.scorecard(ca="quill").assign(ca=LONG)
    assert "…" in scorecard_lines(card)[1]  # the table of all CAs fits 100 characters
    assert scorecard_lines(card, full_names=True)[1].startswith(f"* {LONG}  ")


def test_one_ca_titles_newest_first_aligned(db, capsys):
    code, out, _ = run(db, capsys, "--ca", "bramblegate pki ltd")
    assert code == 0
    lines = out.splitlines()
    start = lines.index("Incidents (4):") + 1
    firsts = [line for line in lines[start:] if line[:1].isdigit()]
    assert [line.split()[0] for line in firsts] == ["1900004", "1900003", "1900002", "1900001"]
    # WORKSFORME is wider than 9 characters: the 72h column still starts at the same place
    assert len({line.index("72h ") for line in firsts}) == 1
    assert lines[lines.index(firsts[0]) + 1] == "    Bramblegate PKI Ltd: CPS"


def test_an_empty_selection_says_why_instead_of_failing(db, capsys, tmp_path):
    # Quarrystone's only bug was filed on 2025-04-03: from the next day on there is none
    code, out, err = run(db, capsys, "--ca", "Quarrystone", "--since", "2025-04-04")
    assert (code, err) == (0, "")
    assert "Incidents (0):\n    none: no bug of this selection was filed on or after " \
           "2025-04-04" in out
    code, out, _ = run(db, capsys, "--ca", "Quarrystone", "--since", "2025-04-03")
    assert code == 0 and "Incidents (1):" in out
    # a snapshot where every bug names a known CA has no unattributed bugs to list
    attributed = saved(tmp_path / "attributed.db",
                       [b for b in choices_bugs() if "Mystery" not in b["summary"]])
    code, out, err = run(attributed, capsys, "--ca", "unattributed")
    assert code == 0 and "Traceback" not in err
    assert "none: every bug in this snapshot is attributed to a CA" in out
