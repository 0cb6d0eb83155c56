"""The synthetic corpus generator: determinism, BMO shape, realism coverage, and a truth that
agrees with the planted events (checked by hand-computed cases and by invariants that do not use
the project's parser)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bzanalytics.cli import main
from bzanalytics.synth.cas import owners
from bzanalytics.synth.corpus import write_corpus
from bzanalytics.synth.people import Person
from bzanalytics.synth.scenario import WB, BugPlan, PComment
from bzanalytics.synth.templates import Awareness
from bzanalytics.synth.truth import bug_truth

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
BUG_KEYS = {"id", "summary", "status", "resolution", "product", "component", "creator",
            "creator_detail", "assigned_to", "assigned_to_detail", "creation_time",
            "last_change_time", "cf_last_resolved", "whiteboard", "keywords", "is_open",
            "comment_count", "dupe_of", "groups", "comments", "history", "attachments"}
COMMENT_KEYS = {"id", "bug_id", "count", "text", "raw_text", "creator", "author", "time",
                "creation_time", "is_private", "attachment_id", "tags"}
REPORT_HEAD = re.compile(r"^\W*(preliminary|full incident|incident report|audit incident|"
                         r"(report |incident report )?closure summary|update\b|weekly update|"
                         r"status update)", re.I)


def load(corpus: Path) -> tuple[list[dict], dict]:
    bugs = [json.loads(line) for line in (corpus / "bugs.jsonl").open(encoding="utf-8")]
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    return bugs, truth


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[list[dict], dict]:
    out = tmp_path_factory.mktemp("synth2000")
    write_corpus(out, 2000, 11)
    return load(out)


def t(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


def asks(text: str) -> bool:
    """A '?' outside quoted lines and URLs (methodology's question test, written for the test)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    return "?" in re.sub(r"https?://\S+", "", body)


# ------------------------------------------------------------------ determinism and CLI

def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    for name, seed, jobs in (("a", 5, 1), ("b", 5, 2), ("c", 6, 1)):
        write_corpus(tmp_path / name, 60, seed, jobs=jobs)
    for f in ("corpus.json", "bugs.jsonl", "truth.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    a, c = (tmp_path / x / "bugs.jsonl" for x in "ac")
    assert a.read_bytes() != c.read_bytes()


def test_bundled_sample_is_what_the_command_regenerates(tmp_path):
    if not (SAMPLE / "corpus.json").exists():
        pytest.skip("data/sample not present")
    meta = json.loads((SAMPLE / "corpus.json").read_text())
    assert meta["generated_by"] == "bzanalytics synth --bugs 300 --seed 2026"
    assert main(["synth", "--bugs", "300", "--seed", "2026", "--out", str(tmp_path)]) == 0
    for f in ("corpus.json", "bugs.jsonl", "truth.json"):
        assert (tmp_path / f).read_bytes() == (SAMPLE / f).read_bytes(), f
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 5_000_000


def test_cli_rejects_bad_arguments_in_one_line(tmp_path, capsys):
    assert main(["synth", "--bugs", "0", "--out", str(tmp_path)]) == 2
    a_file = tmp_path / "f"
    a_file.write_text("x")
    assert main(["synth", "--bugs", "3", "--out", str(a_file)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("bzanalytics: ") for line in err)
    assert "Traceback" not in "".join(err)


def test_corpus_json_names_the_generator(tmp_path):
    write_corpus(tmp_path, 3, 9)
    meta = json.loads((tmp_path / "corpus.json").read_text())
    assert meta == {"format": "bzanalytics-corpus/1", "product": "CA Program",
                    "component": "CA Certificate Compliance",
                    "generated_by": "bzanalytics synth --bugs 3 --seed 9", "seed": 9,
                    "now": "2026-11-01T00:00:00Z"}


# ------------------------------------------------------------------ shape

def test_every_bug_is_bmo_json(corpus):
    bugs, truth = corpus
    ids = [b["id"] for b in bugs]
    assert ids == sorted(set(ids))
    assert set(truth["bugs"]) == {str(i) for i in ids}
    for b in bugs:
        assert set(b) >= BUG_KEYS, b["id"]
        assert STAMP.match(b["creation_time"]) and STAMP.match(b["last_change_time"])
        assert [c["count"] for c in b["comments"]] == list(range(len(b["comments"])))
        assert b["comment_count"] == len(b["comments"])
        assert b["comments"][0]["time"] == b["creation_time"]
        times = [c["time"] for c in b["comments"]]
        assert times == sorted(times)
        for c in b["comments"]:
            assert set(c) == COMMENT_KEYS and STAMP.match(c["time"]) and c["bug_id"] == b["id"]
            assert c["text"] == c["raw_text"] and c["time"] == c["creation_time"]
        for h in b["history"]:
            assert STAMP.match(h["when"]) and h["when"] <= b["last_change_time"]
            assert all(set(ch) == {"field_name", "removed", "added"} for ch in h["changes"])
        assert max(times) <= b["last_change_time"] < "2026-11-01T00:00:00Z"
        assert b["is_open"] == (b["status"] != "RESOLVED")
        assert (b["cf_last_resolved"] is not None) == (b["status"] == "RESOLVED")
        assert b["creator_detail"]["email"] == b["creator"]
        assert b["product"] == "CA Program" and b["groups"] == []


def test_only_fictional_addresses(corpus):
    bugs, _ = corpus
    domain = re.compile(r"@([\w.-]+)")
    hosts = set()
    for b in bugs:
        people = [b["creator"], b["assigned_to"]] + [c["author"] for c in b["comments"]] + \
            [h["who"] for h in b["history"]]
        hosts |= {domain.search(p).group(1) for p in people}
    assert all(re.fullmatch(r"([\w-]+\.)?example\.(com|org|net)", h) for h in hosts), hosts


# ------------------------------------------------------------------ realism coverage

def _texts(bugs):
    return [c["text"] for b in bugs for c in b["comments"]]


COVERAGE = {
    "legacy numbered question heading": r"(?m)^(\*\*)?1\. How your CA first became aware",
    "legacy short label": r"(?m)^(\d\. )?Root cause$",
    "legacy merged 4 & 5": r"(?m)^4 & 5\. Summary and complete certificate data",
    "legacy old wording": r"stopped issuing certificates with the problem",
    "report split across comments": r"continued from the previous comment",
    "v2 markdown heading": r"(?m)^## Incident Report$",
    "v2 plain heading": r"(?m)^Incident Report$",
    "capitals with trailing punctuation": r"(?m)^(TIMELINE -|SUMMARY:|ROOT CAUSE ANALYSIS -)$",
    "numbered v2 heading": r"(?m)^\d+\. Root Cause Analysis$",
    "smart apostrophe": "didn’t go well",
    "v3 preliminary": r"(?m)^## Preliminary Incident Report$",
    "v3 full plain": r"(?m)^Full Incident Report$",
    "v3 field alone on its line": r"(?m)^Non-compliance identified date:\n\d{4}-",
    "CCADB id": r"CA Owner CCADB unique ID:\**\s*A\d{6}",
    "closure summary": r"Report Closure Summary",
    "incident report closure summary": r"Incident Report Closure Summary",
    "update heading": r"(?m)^Update – ",
    "audit v1": r"Issue Description:",
    "audit v2": r"(?m)^### Finding #1$",
    "form boilerplate": r"^User Agent: .*\n\nSteps to reproduce:(.|\n)*Actual results:",
    "attached file": r"^Attached file report\.xlsx",
    "iso with en dash": r"\d{4}-\d\d-\d\d – \d\d:\d\d UTC",
    "dotted day-first, zone stated elsewhere":
        r"(?s)All times in UTC.*\b\d\d\.\d\d\.\d{4} \d\d:\d\d",
    "year-less month/day GMT": r"\b\d{1,2}/\d{1,2} at \d\d:\d\d GMT",
    "weekday day-first BST":
        r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d/\d\d/\d{4} \d\d:\d\d \(BST\)",
    "weekday month-first Pacific": r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2}/\d{1,2}/\d{4} "
                                   r"\d{1,2}:\d\d [AP]M",
    "long form Pacific": r"(?s)Times are Pacific.*\d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}:\d\d [AP]M",
    "year-less day": r"On [A-Z][a-z]{2} \d{1,2}(st|nd|rd|th) ",
    "offset": r"\d\d:\d\d [+-]\d\d:\d\d",
    "CET/CEST": r"\d\d:\d\d CES?T",
    "dotted ISO": r"\d{4}\.\d\d\.\d\d",
    "day/month context line": r"\d\d\.\d\d\.\d{4}: Last annual review",
    "root program lists the questions": r"you must respond in this bug to provide the following",
    "third party's own timestamps": r"My own notes:",
    "quoted question in a remark": r"(?m)^> Why did the linter",
    "URL with a question mark": r"https://crt\.sh/\?id=",
    # taught by the real development set (bench/real/, docs/synthetic-corpus.md)
    "legacy questions as bullets": r"(?m)^- How your CA first became aware",
    "Incident Report title over legacy questions":
        r"(?m)^Incident Report – .+\n(.|\n)*How your CA first became aware",
    "first-answer date that is not awareness": r"requirement in force since|rule that took effect",
    "time stamp alone above its event": r"(?m)^[-•]? ?\d{4}[-.]\d\d[-.]\d\d[ T–\d:]+(UTC|Z)\n {4}",
    "outward notification in a timeline": r"Affected subscribers were notified",
    "first notice without report words": r"^On [^\n]+ (we|our) [^\n]+\. In short, ",
    "Preliminary Incident Report title in free text": r"^Preliminary Incident Report\n[^#\n]",
    "Initial Incident Report title": r"^Initial Incident Report\n",
    "identified time approximate": r"identified date:\**\s*\d{4}-\d\d-\d\d \(~\d\d:\d\d UTC\)",
    "year-less weekday, 12-hour clock, Pacific":
        r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) [A-Z][a-z]+ \d{1,2} at "
        r"\d{1,2}:\d\d[ap]m Pacific",
    "year-less weekday day": r"On (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) "
                             r"\d{1,2}(st|nd|rd|th) [A-Z][a-z]+ ",
}


@pytest.mark.parametrize("name", sorted(COVERAGE))
def test_realism_text_phenomena_occur(corpus, name):
    pattern = re.compile(COVERAGE[name])
    assert any(pattern.search(text) for text in _texts(corpus[0])), name


def test_realism_metadata_phenomena_occur(corpus):
    bugs, truth = corpus
    wb_values = [b["whiteboard"] for b in bugs] + [
        ch["added"] for b in bugs for h in b["history"] for ch in h["changes"]
        if ch["field_name"] == "whiteboard"]
    for pattern in (r"Next update \d{4}-\d\d-\d\d", r"Next update \d{1,2}-\d{1,2}-\d{4}",
                    r"Next update \d\d-[A-Z][a-z]{2}-\d{4}", r"\[close on \d{4}-\d\d-\d\d\]",
                    r"\[delayed-revocation-leaf\]", r"\[disclosure failure\]", r"\]\["):
        assert any(re.search(pattern, w) for w in wb_values), pattern
    changes = [(ch["field_name"], ch["removed"], ch["added"])
               for b in bugs for h in b["history"] for ch in h["changes"]]
    assert ("product", "NSS", "CA Program") in changes
    assert any(f == "whiteboard" and "Next update" in r and "Next update" in a
               for f, r, a in changes)  # a promise moved
    assert any(c["is_private"] for b in bugs for c in b["comments"])
    resolutions = Counter(b["resolution"] for b in bugs)
    assert resolutions["INVALID"] and resolutions["DUPLICATE"] and resolutions["FIXED"]
    assert any(b["summary"].startswith("[meta]") for b in bugs)
    assert any(re.search(r": Findings in 20\d\d Audit$", b["summary"]) for b in bugs)
    assert any(b["summary"].startswith("Featherline CA") for b in bugs)  # before the rename
    templates = {(c["template"], c["kind"]) for e in truth["bugs"].values()
                 for c in e["comments"].values()}
    assert {("legacy", "legacy"), ("legacy", "audit"), ("ccadb-v2", "full"),
            ("ccadb-v2", "audit"), ("ccadb-v3", "preliminary"), ("ccadb-v3", "full"),
            ("ccadb-v3", "closure"), (None, "preliminary"), (None, "update")} <= templates


def test_grace_period_reports_exist(corpus):
    bugs, truth = corpus
    late_legacy = late_v2 = False
    for b in bugs:
        for c in b["comments"]:
            template = truth["bugs"][str(b["id"])]["comments"][str(c["count"])]["template"]
            late_legacy |= template == "legacy" and "2023-10-17" <= c["time"] < "2023-11-17"
            late_v2 |= template == "ccadb-v2" and "2025-03-01" <= c["time"] < "2025-04-01"
    assert late_legacy and late_v2


def test_proportions_like_the_real_component(corpus):
    bugs, truth = corpus
    entries = truth["bugs"].values()
    years = Counter(e["metrics"]["year"] for e in entries)
    assert set(years) == set(range(2017, 2027))
    assert all(n >= 0.03 * len(bugs) for n in years.values())
    self_share = sum(e["self_filed"] for e in entries) / len(bugs)
    assert 0.4 < self_share < 0.75
    fixed = sum(b["resolution"] == "FIXED" for b in bugs) / len(bugs)
    assert 0.8 < fixed < 0.95
    cas = Counter(e["ca"] for e in entries)
    assert len(cas) == 20
    prefixes = {}
    for e in entries:
        prefixes.setdefault(e["ca"], set()).add(e["ca_raw"])
    assert sum(len(p) >= 3 for p in prefixes.values()) >= 15  # several spellings per owner
    questions = [q for e in entries for q in e["questions"]]
    late = [q for q in questions if q["answer_count"] is not None and q["gap_days"] > 7]
    never = [q for q in questions if q["answer_count"] is None]
    assert late and never and len(late) + len(never) < 0.25 * len(questions)


# ------------------------------------------------------------------ truth invariants

def test_summary_prefixes_resolve_through_the_alias_table(corpus):
    norm = lambda s: re.sub(r"[\W_]+", "", s).lower()  # noqa: E731
    names = {}
    for o in owners():
        for n in (o.name, *o.aliases, *(f for f, _ in o.former)):
            names[norm(n)] = o.name
    for e in corpus[1]["bugs"].values():
        assert names[norm(e["ca_raw"])] == e["ca"], e["ca_raw"]


def test_truth_times_are_ordered(corpus):
    for e in corpus[1]["bugs"].values():
        tm = {k: t(v) for k, v in e["times"].items()}
        if tm["T_first_ca"]:
            assert tm["T_create"] <= tm["T_first_ca"]
        if tm["T_initial"]:
            assert tm["T_first_ca"] <= tm["T_initial"]
            if tm["T_aware"]:
                assert tm["T_aware"] <= tm["T_initial"]
        if tm["T_full"]:
            assert tm["T_initial"] <= tm["T_full"]
        if tm["T_resolved"]:
            assert tm["T_create"] < tm["T_resolved"]
        if e["awareness"]["precision"] == "day":
            assert e["awareness"]["time"].endswith("T00:00:00Z")


def test_truth_agrees_with_the_comments(corpus):
    bugs, truth = corpus
    for b in bugs:
        e = truth["bugs"][str(b["id"])]
        reporters = set()
        for c in b["comments"]:
            tc = e["comments"][str(c["count"])]
            assert tc["is_private"] == c["is_private"]
            if tc["kind"] is not None and tc["role"] != "ca":
                # IRG 3.x: a reporter may file the Preliminary Incident Report itself
                assert (c["count"], tc["kind"], tc["role"]) == (0, "preliminary", "community")
                assert "Third Party Reported" in c["text"] and b["creation_time"] >= "2025-03"
            elif tc["kind"] is not None:
                reporters.add(c["author"])
            if tc["role"] in ("root_program", "community") and not c["is_private"] \
                    and c["count"] > 0:
                assert tc["question"] == asks(c["text"]), c["text"]
            if tc["is_private"]:
                assert tc["role"] != "ca" and not asks(c["text"])
            if tc["role"] == "ca" and tc["kind"] is None:
                assert not REPORT_HEAD.match(c["text"]), c["text"][:80]
            if tc["kind"] == "update":
                assert REPORT_HEAD.match(c["text"])
        if not e["self_filed"]:
            assert e["comments"]["0"]["kind"] in (None, "preliminary")
        else:
            assert b["creator"] in (b["assigned_to"], *reporters)
        ca = next(o for o in owners() if o.name == e["ca"])
        for c in b["comments"]:
            if e["comments"][str(c["count"])]["role"] == "ca":
                assert c["author"].endswith("@" + ca.domain) or c["author"] in (
                    b["assigned_to"], *reporters)


def test_identified_date_matches_self_filed_awareness(corpus):
    bugs, truth = corpus
    field = re.compile(r"Non-compliance identified date:\**\s*(\d{4}-\d\d-\d\d)(?:(?: at)? "
                       r"(\d\d:\d\d) UTC)?")
    checked = 0
    for b in bugs:
        e = truth["bugs"][str(b["id"])]
        if not e["self_filed"] or e["awareness"]["time"] is None:
            continue
        for c in b["comments"]:
            m = field.search(c["text"])
            if m:
                assert m.group(1) == e["awareness"]["time"][:10]
                if m.group(2):
                    assert e["awareness"]["precision"] == "minute"
                    assert m.group(2) == e["awareness"]["time"][11:16]
                checked += 1
    assert checked > 50


# ------------------------------------------------------------------ hand-computed truth

OWNER = owners()[0]
CA = Person("alex.holm@" + OWNER.domain, "Alex Holm")
RP = Person("rp.mozilla1@example.org", "Root Program (Mozilla)")
REPORTER = Person("sam.rooke@example.net", "Sam Rooke")


def _plan(created: datetime, self_filed: bool, comments: list[PComment], whiteboard: list[WB],
          resolved: datetime | None = None) -> BugPlan:
    from bzanalytics.synth.issues import CATALOGUE

    plan = BugPlan(1, created, OWNER, "x", OWNER.name, self_filed,
                   CA if self_filed else REPORTER, CATALOGUE[0], ["ca-compliance"],
                   comments=comments, whiteboard=whiteboard)
    if resolved:
        plan.status, plan.resolution, plan.resolved = "RESOLVED", "FIXED", resolved
    return plan


def d(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=UTC)


def test_hand_computed_third_party_2025_bug():
    created = d("2025-04-01T10:00:00")
    comments = [
        PComment(created, REPORTER, "community", "report"),
        PComment(d("2025-04-01T20:00:00"), CA, "ca", "ack"),
        # awareness stated to the day, two days before the bug: the day straddles 72 hours
        PComment(d("2025-04-02T12:00:00"), CA, "ca", "p", kind="preliminary",
                 template="ccadb-v3", aware=Awareness(d("2025-03-30T09:00:00"), "day")),
        PComment(d("2025-04-03T00:00:00"), RP, "root_program", "q?", is_question=True),
        PComment(d("2025-04-10T00:00:00"), CA, "ca", "f", kind="full", template="ccadb-v3",
                 aware=Awareness(d("2025-03-30T09:00:00"), "day")),
        PComment(d("2025-04-21T01:00:00"), CA, "ca", "u", kind="update"),
        PComment(d("2025-04-25T00:00:00"), CA, "ca", "c", kind="closure", template="ccadb-v3"),
    ]
    wb = [WB(created, REPORTER.email, "[ca-compliance]", ("ca-compliance",)),
          WB(d("2025-04-11T00:00:00"), RP.email, "[ca-compliance] Next update 2025-04-20",
             ("ca-compliance",), next_update=datetime(2025, 4, 20).date())]
    e = bug_truth(_plan(created, False, comments, wb, d("2025-05-01T00:00:00")), AS_OF)
    m = e["metrics"]
    assert e["awareness"] == {"time": "2025-03-30T00:00:00Z", "precision": "day",
                              "source": "report"}
    assert m["response_hours"] == 10.0
    assert (m["initial_report_hours"], m["initial_report_status"]) == (84.0, "unknown_awareness")
    assert (m["full_report_days"], m["full_report_status"]) == (11.0, "met")
    assert m["legacy_full_report_status"] == "not_applicable"
    assert (m["questions"], m["questions_late"], m["question_worst_gap_days"]) == (1, 0, 7.0)
    assert e["questions"] == [{"count": 3, "answer_count": 4, "gap_days": 7.0, "late": False}]
    # prelim -> full is 7.5 days, full -> update 11 days 1 hour (ends after the end of
    # the promised day, so the Next update does not cover it)
    assert (m["cadence_gaps_over_7d"], m["cadence_worst_gap_days"]) == (2, 11.041667)
    assert [g["days"] for g in e["gaps"]] == [7.5, 11.041667]
    assert (m["next_updates_set"], m["next_updates_missed"]) == (1, 1)
    assert (m["days_to_close"], m["closure_to_close_days"]) == (29.583333, 6.0)
    assert m["category"] == "uncategorized" and m["excluded"] is None


def test_hand_computed_legacy_self_filed_open_bug():
    created = d("2020-05-01T00:00:00")
    comments = [PComment(created, CA, "ca", "r", kind="legacy", template="legacy",
                         aware=Awareness(d("2020-04-28T12:00:00"), "minute")),
                PComment(d("2020-05-20T00:00:00"), REPORTER, "community", "why?",
                         is_question=True)]
    wb = [WB(created, CA.email, "[ca-compliance] [ocsp-failure]",
             ("ca-compliance", "ocsp-failure"))]
    e = bug_truth(_plan(created, True, comments, wb), AS_OF)
    m = e["metrics"]
    assert m["response_hours"] is None
    assert (m["initial_report_hours"], m["initial_report_status"]) == (60.0, "not_applicable")
    assert (m["full_report_days"], m["full_report_status"]) == (2.5, "not_applicable")
    assert (m["legacy_full_report_days"], m["legacy_full_report_status"]) == (0.0, "met")
    # unanswered, open: its age runs to as_of; asked before 2023-10-17 so never late
    assert (m["questions_unanswered"], m["questions_late"]) == (1, 0)
    assert m["question_worst_gap_days"] == (AS_OF - d("2020-05-20T00:00:00")).days
    assert m["cadence_gaps_over_7d"] == 0  # the trailing gap starts before 2023-05-02
    assert m["category"] == "ocsp-failure" and m["days_to_close"] is None


def test_hand_computed_self_filed_bug_without_report():
    created = d("2024-01-10T00:00:00")
    comments = [PComment(created, CA, "ca", "We are filing this bug.")]
    wb = [WB(created, CA.email, "", ())]
    e = bug_truth(_plan(created, True, comments, wb), AS_OF)
    m = e["metrics"]
    assert e["awareness"] == {"time": None, "precision": None, "source": "unknown"}
    assert (m["initial_report_hours"], m["initial_report_status"]) == (None, "no_report")
    assert (m["full_report_status"], m["legacy_full_report_status"]) == ("no_report",
                                                                           "not_applicable")
    # trailing interval from the only CA comment to as_of, uncovered
    assert m["cadence_gaps_over_7d"] == 1
    assert m["cadence_worst_gap_days"] == (AS_OF - created).days


# ------------------------------------------------------------------ consumers

def test_fake_bmo_serves_and_import_loads_a_corpus(tmp_path):
    import requests

    from bzanalytics.snapshot.store import Store
    from bzanalytics.testing.fakebmo import FakeBMO

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, 3)
    bugs, _ = load(corpus)
    with FakeBMO(corpus) as fake:
        answer = requests.get(fake.url + "/rest/bug", timeout=10, params={
            "product": "CA Program", "component": "CA Certificate Compliance",
            "include_fields": "id,comment_count"}).json()
        assert sorted(b["id"] for b in answer["bugs"]) == [b["id"] for b in bugs]
        first = bugs[0]
        comments = requests.get(f"{fake.url}/rest/bug/{first['id']}/comment",
                                timeout=10).json()["bugs"][str(first["id"])]["comments"]
        assert [c["text"] for c in comments] == [
            c["text"] for c in first["comments"] if not c["is_private"]]
    assert main(["import", "--db", str(tmp_path / "s.sqlite"), str(corpus)]) == 0
    with Store.open(tmp_path / "s.sqlite", create=False) as store:
        counts = store.counts()
    assert counts["bugs"] == 40
    assert counts["comments"] == sum(len(b["comments"]) for b in bugs)


# ------------------------------------------------------------------ time writing styles

@pytest.mark.parametrize(("style", "summer", "winter"), [
    ("uk-weekday", "Fri 16/08/2019 23:18 (BST)", "Wed 16/01/2019 22:18 (GMT)"),
    ("us-weekday-pacific", "Fri 8/16/2019 3:18 PM", "Wed 1/16/2019 2:18 PM"),
    ("long-pacific", "16 August 2019 at 3:18 PM", "16 January 2019 at 2:18 PM"),
    ("cet", "2019-08-17 00:18 CEST", "2019-01-16 23:18 CET"),
    ("offset-berlin", "2019-08-17 00:18 +02:00", "2019-01-16 23:18 +01:00"),
    ("iso-endash", "2019-08-16 – 22:18 UTC", "2019-01-16 – 22:18 UTC"),
    ("dotted-dmy", "16.08.2019 22:18", "16.01.2019 22:18"),
    ("yearless-gmt", "8/16 at 22:18 GMT", "1/16 at 22:18 GMT"),
    ("weekday-pacific-pm", "Friday August 16 at 3:18pm Pacific",
     "Wednesday January 16 at 2:18pm Pacific"),
])
def test_styles_convert_the_true_instant(style, summer, winter):
    from bzanalytics.synth.dates import STYLE_BY_NAME

    s = STYLE_BY_NAME[style]
    assert s.render(d("2019-08-16T22:18:00")) == summer
    assert s.render(d("2019-01-16T22:18:00")) == winter


def test_a_local_time_that_occurs_twice_names_its_zone():
    from bzanalytics.synth.dates import STYLE_BY_NAME

    # 2021-11-07 01:49 happened twice in Pacific time: 08:49 UTC (PDT), 09:49 UTC (PST)
    long = STYLE_BY_NAME["long-pacific"]
    assert long.render(d("2021-11-07T08:49:00")) == "7 November 2021 at 1:49 AM PDT"
    assert long.render(d("2021-11-07T09:49:00")) == "7 November 2021 at 1:49 AM PST"
    assert long.render(d("2021-11-07T11:49:00")) == "7 November 2021 at 3:49 AM"


def test_day_month_evidence():
    from bzanalytics.synth.dates import STYLE_BY_NAME

    dotted, uk = STYLE_BY_NAME["dotted-dmy"], STYLE_BY_NAME["uk-weekday"]
    assert dotted.evident(d("2018-11-13T10:10:00"))       # 13 cannot be a month
    assert not dotted.evident(d("2018-11-10T10:10:00"))   # 10.11 reads both ways
    # 2023-11-01 and 2023-01-11 are both Wednesdays: the weekday does not settle it
    assert not uk.evident(d("2023-11-01T15:48:00"))
    assert uk.evident(d("2023-11-02T15:48:00"))           # Thu 2 Nov; 11 Feb was a Saturday
