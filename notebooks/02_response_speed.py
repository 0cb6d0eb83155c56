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
# # 2. How fast do CAs respond?
#
# *Response time* is the time from a bug being filed to the CA's first comment in it. It is
# measured only for bugs filed by someone else: a self-filed bug has no response time (not zero).
# No rule sets a deadline for this first comment; it describes how quickly a CA engages.
#
# By default this shows the bundled **synthetic** sample; set `BZA_DB` for a real snapshot.

# %%
# %matplotlib inline
from IPython.display import Markdown, display

from bzanalytics import plots
from bzanalytics.metrics.aggregate import regroup
from bzanalytics.sample import default_snapshot, grouping, notice

snapshot = default_snapshot()
group_by = grouping()
display(Markdown(notice(snapshot)))
incidents = regroup(snapshot.incidents(), group_by)
measured = incidents["response_hours"].notna()
print(f"{int(measured.sum()):,} of {len(incidents):,} incidents have a response time")

# %% [markdown]
# Why the others have none:

# %%
incidents.loc[~measured, "response_reason"].value_counts(dropna=False).rename("incidents")

# %% [markdown]
# ## The distribution
#
# The curve shows the share of incidents the CA had answered within a given time (log scale).
# The dashed line is the median, the band its 95 % bootstrap interval.

# %%
plots.response_time_ecdf(incidents)

# %% [markdown]
# ## Over the years

# %%
plots.response_time_by_year(incidents)

# %%
trends = snapshot.trends()
trends[["year", "incidents", "response_n", "response_median_hours", "response_ci_low",
        "response_ci_high"]].round(1)

# %% [markdown]
# ## Per CA
#
# Medians per CA with 95 % bootstrap intervals, for CAs with at least three measured responses;
# wide intervals mean few incidents, not necessarily erratic behaviour.

# %%
plots.median_response_per_ca(incidents, min_n=3)
