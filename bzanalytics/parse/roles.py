"""Who is speaking in a bug: `bot`, `root_program`, `ca` or `community` (methodology.md, Roles).

Order: automation table; root-program table unless that organisation is the bug's own CA (Google
Trust Services, Apple, Microsoft run root programs and CAs); then the CA (assignee, a report
author in the bug, an e-mail domain of the bug's CA); everyone else is community.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from bzanalytics.parse.ca import key, owner_for_domain
from bzanalytics.parse.tables_data import root_programs

BOT = "bot"
ROOT_PROGRAM = "root_program"
CA = "ca"
COMMUNITY = "community"

# Bugzilla's placeholder assignee: nobody has taken the bug.
_NO_ASSIGNEE = frozenset({"nobody@mozilla.org", "nobody@bugzilla.org", ""})
# A root program run by the company behind a CA owner of another name.
_ORG_CA_KEY = {"chrome": "google", "chromerootprogram": "google"}


@dataclass(frozen=True)
class BugPeople:
    """What roles depend on for one bug."""

    ca: str | None
    assignee: str | None = None
    report_authors: frozenset[str] = field(default_factory=frozenset)


@cache
def _bots() -> frozenset[str]:
    return frozenset(b["login"].lower() for b in root_programs()["bots"])


@cache
def _accounts() -> dict[str, str]:
    return {a["login"].lower(): a["organisation"] for a in root_programs()["accounts"]}


@cache
def _rp_domains() -> dict[str, str]:
    return {d["domain"].lower(): d["organisation"] for d in root_programs()["domains"]}


@cache
def root_program_org(login: str | None) -> str | None:
    """The root program an account speaks for, by login or e-mail domain."""
    if not login:
        return None
    login = login.lower()
    org = _accounts().get(login)
    if org is None and "@" in login:
        domain = login.rsplit("@", 1)[1]
        parts = domain.split(".")
        org = next((_rp_domains()[".".join(parts[i:])] for i in range(len(parts) - 1)
                    if ".".join(parts[i:]) in _rp_domains()), None)
    return org


def is_bot(login: str | None) -> bool:
    return bool(login) and login.lower() in _bots()  # type: ignore[union-attr]


@cache
def org_is_ca(org: str, ca: str) -> bool:
    """Whether a root-program organisation is the same company as the CA owner `ca`."""
    org_key = key(org)
    return key(ca).startswith(_ORG_CA_KEY.get(org_key, org_key))


def role_of(author: str | None, people: BugPeople) -> str:
    """The role of one comment author in one bug."""
    if is_bot(author):
        return BOT
    org = root_program_org(author)
    if org is not None and not (people.ca and org_is_ca(org, people.ca)):
        return ROOT_PROGRAM
    login = (author or "").lower()
    if login and (
        (people.assignee and login == people.assignee.lower()
         and login not in _NO_ASSIGNEE)
        or login in people.report_authors
        or (people.ca and owner_for_domain(login) == people.ca)
    ):
        return CA
    return COMMUNITY
