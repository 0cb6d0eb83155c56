"""A catalogue of fictional incident types: summary titles and the prose a report needs.

Each entry is tied to one Whiteboard category so the tag, the summary and the report agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class Issue:
    category: str
    title: str
    what: str          # one sentence: what went wrong
    policy: str        # the requirement breached
    cert_type: str
    cause: str         # root cause prose
    fix: str           # remediation prose
    involves_certs: bool = True


CATALOGUE = (
    Issue("ov-misissuance", "OV certificates with incorrect stateOrProvinceName",
          "OV TLS certificates were issued with a stateOrProvinceName that did not match the "
          "validated organization address", "TLS BR 7.1.4.2", "OV TLS",
          "The address normalisation table used by the validation tool mapped two regions to one "
          "abbreviation", "We corrected the table and added a pre-issuance check against it"),
    Issue("ov-misissuance", "Organization name with trailing whitespace",
          "certificates contained an organizationName with a trailing space", "TLS BR 7.1.4.2",
          "OV TLS", "The enrollment form did not trim values copied from the registry record",
          "Input is now trimmed and the linter rejects leading or trailing whitespace"),
    Issue("ev-misissuance", "EV certificates with invalid jurisdictionLocalityName",
          "EV certificates carried a jurisdictionLocalityName for an entity registered at state "
          "level", "EV Guidelines 9.2.4", "EV TLS",
          "Validation staff followed an outdated work instruction for registration levels",
          "The work instruction was rewritten and a second-person review was added"),
    Issue("ev-misissuance", "EV businessCategory mismatch",
          "EV certificates used the wrong businessCategory value", "EV Guidelines 9.2.3", "EV TLS",
          "A drop-down default was accepted without review",
          "The default was removed and the value is now mandatory"),
    Issue("dv-misissuance", "Domain validation reuse beyond the allowed period",
          "DV certificates relied on domain validation older than the permitted reuse period",
          "TLS BR 4.2.1", "DV TLS",
          "A cache expiry setting used days where the code expected hours",
          "We fixed the unit handling and added a test on the reuse boundary"),
    Issue("dv-misissuance", "Certificates with an unvalidated subdomain",
          "certificates included a subdomain that had not been validated", "TLS BR 3.2.2.4",
          "DV TLS", "Wildcard validation was applied to a name outside its scope",
          "Scope matching now follows the labels exactly"),
    Issue("leaf-revocation-delay", "Delayed revocation of misissued certificates",
          "the revocation of affected subscriber certificates was not completed within five days",
          "TLS BR 4.9.1.1", "OV TLS",
          "Several subscribers operate critical systems and asked for more time",
          "We revised the subscriber agreement and practise mass revocation twice a year"),
    Issue("ca-revocation-delay", "Delayed revocation of a subordinate CA certificate",
          "a subordinate CA certificate was revoked after the seven-day deadline", "TLS BR 4.9.1.2",
          "Subordinate CA",
          "The key ceremony needed to sign the CRL could not be scheduled in time",
          "We keep a standing ceremony slot every week"),
    Issue("crl-failure", "CRL not reissued before nextUpdate",
          "a CRL was not reissued before its nextUpdate time", "TLS BR 4.9.7", "CRL",
          "The scheduler skipped a run after a daylight saving change",
          "The scheduler now runs on UTC and alerts when a CRL is older than 24 hours",
          involves_certs=False),
    Issue("ocsp-failure", "OCSP responder returned unauthorized",
          "the OCSP responder answered unauthorized for certificates it should know",
          "TLS BR 4.10.2", "OCSP", "A database replica lagged behind the issuing system",
          "Responses now come from the primary and replica lag is monitored",
          involves_certs=False),
    Issue("disclosure-failure", "Intermediate certificate not disclosed in CCADB",
          "a new intermediate certificate was not disclosed in the CCADB within seven days",
          "Mozilla Root Store Policy 5.3.2", "Subordinate CA",
          "The disclosure task was assigned to a team member who had left",
          "Disclosure is now part of the ceremony checklist", involves_certs=False),
    Issue("policy-failure", "CP/CPS not updated within 365 days",
          "the CP/CPS was not reviewed and republished within 365 days", "TLS BR 2.3",
          "Policy documents", "The review reminder was tied to a calendar that was retired",
          "The review date is tracked in our compliance system", involves_certs=False),
    Issue("audit-failure", "Audit report not provided in time",
          "the annual audit report was not provided within the required period",
          "Mozilla Root Store Policy 3.1.3", "Audit", "The auditor's quality review took longer",
          "We start the audit cycle a month earlier", involves_certs=False),
    Issue("smime-misissuance", "S/MIME certificates with incorrect keyUsage",
          "S/MIME certificates were issued with a keyUsage not allowed for their profile",
          "S/MIME BR 7.1.2.3", "S/MIME",
          "A profile template was copied from a legacy profile",
          "Profiles are now generated from one reviewed definition"),
    Issue("uncategorized", "Certificate problem report not answered within 24 hours",
          "a certificate problem report was not answered within 24 hours", "TLS BR 4.9.5",
          "Problem reporting", "The shared mailbox rule filed reports into a folder nobody read",
          "Reports now open a ticket with a paging alert", involves_certs=False),
    Issue("ca-misissuance", "Subordinate CA certificate with an incorrect EKU",
          "a subordinate CA certificate was signed with an extendedKeyUsage that is not allowed",
          "TLS BR 7.1.2.2", "Subordinate CA", "The ceremony script used an outdated profile",
          "Ceremony scripts are linted before every ceremony"),
)

CATEGORY_WEIGHTS = {
    "ov-misissuance": 24, "ev-misissuance": 12, "dv-misissuance": 8, "leaf-revocation-delay": 8,
    "ca-revocation-delay": 2, "crl-failure": 6, "ocsp-failure": 8, "disclosure-failure": 8,
    "policy-failure": 10, "audit-failure": 4, "smime-misissuance": 3, "ca-misissuance": 4,
    "uncategorized": 3,
}


def pick_issue(rng: Random) -> Issue:
    cats = list(CATEGORY_WEIGHTS)
    category = rng.choices(cats, weights=list(CATEGORY_WEIGHTS.values()))[0]
    return rng.choice([i for i in CATALOGUE if i.category == category])


AUDIT_TITLES = ("Findings in {year} Audit", "Audit findings for the period ending {year}",
                "{year} audit qualification", "Audit finding: internal control documentation",
                "Qualified audit opinion {year}")


def audit_issue(year: int, rng: Random) -> Issue:
    """Audit-finding bugs; the IRG convention names the year the audit period ended, but most
    real titles are free-form."""
    title = AUDIT_TITLES[0] if rng.random() < 0.15 else rng.choice(AUDIT_TITLES[1:])
    return Issue("audit-finding", title.format(year=year),
                 "our auditor reported findings in the audit", "Mozilla Root Store Policy 3.1",
                 "Audit", "Internal control documentation lagged behind practice",
                 "We updated the documentation and added a quarterly internal review",
                 involves_certs=False)


def delay_issue(year: int) -> Issue:
    return Issue("audit-delay", f"Overdue Audit Statements {year}",
                 "audit statements were not provided in time", "Mozilla Root Store Policy 3.1.3",
                 "Audit", "The audit was scheduled too late",
                 "Audit scheduling moved to the start of the period", involves_certs=False)
