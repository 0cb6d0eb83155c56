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
# # 4. One CA's scorecard, with its evidence
#
# The scorecard of a single CA owner, and every one of its incidents with a link to the comment
# each number was measured from, so any figure can be checked by reading the bug.
#
# Choose the CA with `BZA_CA="Name"` (any case); by default the CA with the most incidents.
# By default this shows the bundled **synthetic** sample; set `BZA_DB` for a real snapshot.

# %%
# %matplotlib inline
import os

from IPython.display import HTML, Markdown, display

from bzanalytics import plots, report
from bzanalytics.metrics.aggregate import regroup
from bzanalytics.sample import default_snapshot, grouping, notice

snapshot = default_snapshot()
group_by = grouping()
display(Markdown(notice(snapshot)))
all_incidents = regroup(snapshot.incidents(), group_by)
chosen = os.environ.get("BZA_CA") or all_incidents["ca"].value_counts().index[0]
card = snapshot.scorecard(ca=chosen, group_by=group_by)
name = card["ca"].iloc[0]
incidents = all_incidents[all_incidents["ca"] == name]
display(Markdown(f"## {name}: {len(incidents)} incidents"))

# %% [markdown]
# ## Scorecard
#
# Rates are met / (met + missed) with 95 % Wilson intervals, the median response time with a 95 %
# bootstrap interval. *small sample* marks fewer than five scored 72-hour incidents.

# %%
display(HTML(report.scorecard_table(card)))

# %%
card.T.rename(columns={card.index[0]: name})

# %% [markdown]
# ## Its incidents over time

# %%
plots.status_by_year(incidents, title=f"{name}: initial report within 72 hours")

# %%
plots.response_time_ecdf(incidents)

# %% [markdown]
# ## Every incident, with evidence
#
# Each status links to the comment it was measured from; the bug number links to the bug.

# %%
display(HTML(report.incidents_table(incidents)))
