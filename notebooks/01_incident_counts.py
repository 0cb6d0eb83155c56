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
# # 1. How many incidents, from whom, and of what kind?
#
# Every CA compliance bug on bugzilla.mozilla.org is one incident. This notebook counts them
# per year of filing, per CA owner and per Whiteboard category. Counts are of distinct bugs;
# invalid, duplicate and `[meta]` bugs are left out (see `docs/methodology.md`).
#
# By default it shows the bundled **synthetic** sample; run it with `BZA_DB=path/to/snapshot.sqlite`
# to analyse a real snapshot.

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
ca = incidents["ca"].fillna("(unattributed)")
print(f"{len(incidents):,} incidents, {incidents['ca'].nunique():,} CA owners, "
      f"filed {incidents['year'].min()}–{incidents['year'].max()}")

# %% [markdown]
# ## Per year
#
# The bars stack the incidents of each year by their first Whiteboard category. Tags were added
# to older bugs retroactively, so the category mix of early years reflects today's tagging.

# %%
plots.incidents_per_year(incidents)

# %%
pd.crosstab(incidents["category"], incidents["year"], margins=True,
            margins_name="all").sort_values("all", ascending=False)

# %% [markdown]
# ## Per CA owner
#
# The CA is the canonical owner behind the summary's prefix (brand names and former names are
# merged). A long bar is not a verdict: the CCADB itself says the number of incident reports matters
# less than their content, and a CA that finds and reports its own problems files more bugs.

# %%
plots.incidents_per_ca(incidents, top=15)

# %%
top = ca.value_counts().head(10).index
pd.crosstab(ca[ca.isin(top)], incidents.loc[ca.isin(top), "year"], margins=True,
            margins_name="all").sort_values("all", ascending=False)

# %% [markdown]
# ## Who filed the bug?
#
# A bug is *self-filed* when the CA opened it itself; otherwise a root program or a community
# member found the problem first.

# %%
filed_by = incidents["self_filed"].map({True: "CA itself", False: "third party"}).fillna("unknown")
pd.crosstab(incidents["year"], filed_by, margins=True, margins_name="all")
