"""Small HTML pieces shared by the report, the per-CA pages and the attention list (pure)."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

import pandas as pd

from bzanalytics.metrics.common import BMO, bug_url

DASH = "–"

esc = html.escape


def missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and value != value)


def num(value: Any, digits: int = 1) -> str:
    return DASH if missing(value) else f"{float(value):,.{digits}f}"


def whole(value: Any) -> str:
    return DASH if missing(value) else f"{int(value):,}"


def pct(value: Any) -> str:
    return DASH if missing(value) else f"{100 * float(value):.0f} %"


def link(url: Any, text: str, site: str = BMO) -> str:
    """A link to the snapshot's own Bugzilla only: anything else is shown as plain text."""
    if isinstance(url, str) and url.startswith(bug_url(site)):
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text)


def table(headers: Iterable[tuple[str, bool]], rows: Iterable[Iterable[str]],
          scroll: bool = False, row_attrs: Iterable[str] | None = None,
          table_id: str | None = None) -> str:
    """Rows are already-escaped HTML cells; headers are (label, numeric) pairs; `row_attrs`
    (escaped attribute text, one per row) go into each `<tr>`."""
    headers = list(headers)
    head = "".join(f'<th class="num">{esc(h)}</th>' if n else f"<th>{esc(h)}</th>"
                   for h, n in headers)
    rows = list(rows)
    attrs = list(row_attrs) if row_attrs is not None else [""] * len(rows)
    body = []
    for row, extra in zip(rows, attrs, strict=True):
        cells = "".join(f'<td class="num">{c}</td>' if n else f"<td>{c}</td>"
                        for c, (_, n) in zip(row, headers, strict=True))
        body.append(f"<tr{' ' + extra if extra else ''}>{cells}</tr>")
    ident = f' id="{esc(table_id)}"' if table_id else ""
    out = f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="scroll">{out}</div>' if scroll else out


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def css() -> str:
    return resources.files("bzanalytics.outputs").joinpath("report_assets/report.css").read_text(
        "utf-8")


def slug(name: str) -> str:
    """A CA's page name: lower case, runs of other characters as one "-" ("Quillfeather Trust
    Services" -> "quillfeather-trust-services")."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "ca"
