# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3. Are initial reports filed within 72 hours?
#
# Since CCADB Incident Reporting Guidelines 2.0 (bugs created from **2023-10-17**; IRG 3.0 from
# 2025-03-01 keeps the timing), a CA must post an initial incident report within 72 hours of
# becoming aware of the problem, and a full report within 14 days. Bugs filed before the rule
# existed are `not_applicable` and left out here.
#
# Each incident gets a status: **met**, **missed**, **no_report** (deadline passed without a
# report), **unknown_awareness** (we cannot tell when the CA became aware, or only to the day and
# the day straddles the limit) or **pending** (deadline not yet passed). Rates are
# met / (met + missed) with 95 % Wilson intervals.
#
# By default this shows the bundled **synthetic** sample; set `BZA_DB` for a real snapshot.

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import Markdown, display

from bzanalytics import plots
from bzanalytics.metrics.aggregate import regroup
from bzanalytics.sample import default_snapshot, grouping, notice

snapshot = default_snapshot()
group_by = grouping()
display(Markdown(notice(snapshot)))
incidents = regroup(snapshot.incidents(), group_by)
ruled = incidents[incidents["initial_report_status"] != "not_applicable"]
print(f"{len(ruled):,} of {len(incidents):,} incidents were filed under the 72-hour rule")

# %% [markdown]
# ## By year

# %%
plots.status_by_year(incidents)

# %%
pd.crosstab(ruled["year"], ruled["initial_report_status"], margins=True, margins_name="all")

# %% [markdown]
# ## Why some incidents cannot be scored
#
# The reason column says what was missing; `awareness unknown` is typical of self-filed bugs
# whose reports never state when the CA found out.

# %%
unscored = ruled[~ruled["initial_report_status"].isin(["met", "missed"])]
pd.crosstab(unscored["initial_report_reason"].fillna("(none)"),
            unscored["initial_report_status"])

# %% [markdown]
# ## By CA
#
# Labels give met/scored; a CA with one or two scored incidents has an interval spanning most of
# the axis, which is the honest answer.

# %%
plots.met_rate_per_ca(incidents)

# %%
card = snapshot.scorecard(group_by=group_by)
card.loc[card["initial_n"] > 0, ["ca", "initial_met", "initial_n", "initial_met_rate",
                                 "initial_ci_low", "initial_ci_high", "small_sample"]].round(2)

# %% [markdown]
# ## The full report: 14 days

# %%
plots.status_by_year(incidents, "full_report_status", "Full report within 14 days of awareness")
