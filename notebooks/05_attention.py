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
# # 5. What needs attention
#
# A root-program reviewer's daily question: which open bugs need me today, and which CA is late
# on what? One item per open bug and obligation whose deadline has passed (**overdue**) or comes
# within 48 hours (**due soon**), plus bugs filed in the last 7 days (**new**):
#
# | kind | obligation |
# |---|---|
# | `initial_report_overdue` | initial report within 72 hours of awareness (from 2023-10-17) |
# | `full_report_overdue` | full report within 14 days of awareness |
# | `question_unanswered` | answer a root-program or community question within 7 days |
# | `next_update_missed` | update by the Whiteboard's Next update date |
# | `update_overdue` | a CA comment at least every 7 days unless a Next update date covers it |
# | `closure_pending` | a closure summary over 7 days old, bug still open: the root program's turn |
# | `action_item_overdue` | an open Action Item past its due date with no CA comment since (one item per Action Item) |
# | `new_bug` | filed within the last 7 days |
#
# The clocks are those of the incidents table (`docs/methodology.md`, "Attention"), so an item
# and the incident's status never disagree. The same list: `bzanalytics attention`.
#
# By default this shows the bundled **synthetic** sample; set `BZA_DB` for a real snapshot.

# %%
# %matplotlib inline
import pandas as pd
from IPython.display import HTML, Markdown, display

from bzanalytics.metrics.attention import counts_by_kind
from bzanalytics.outputs import plots
from bzanalytics.outputs.attention import attention_table, summary_line
from bzanalytics.sample import default_snapshot, notice

snapshot = default_snapshot()
display(Markdown(notice(snapshot)))
items = snapshot.attention()
meta = {"as_of": snapshot.as_of, "due_within_hours": 48, "new_days": 7}
display(Markdown(f"**{summary_line(items, meta)}**"))

# %% [markdown]
# ## By kind and state

# %%
plots.attention_by_kind(items)

# %%
counts_by_kind(items)

# %% [markdown]
# ## Which CA is late on what

# %%
plots.attention_per_ca(items)

# %%
overdue = items[items["state"] == "overdue"]
(overdue.assign(ca=overdue["ca"].fillna("(unattributed)"))
 .pivot_table(index="ca", columns="kind", values="bug_id", aggfunc="count", fill_value=0))

# %% [markdown]
# ## The list, most urgent first
#
# `since` links to the comment that started the clock (or the bug's filing); `rule` is the rule
# version applied, as in the incidents table.

# %%
display(HTML(attention_table(items, site=snapshot.site)))

# %% [markdown]
# ## A week ago
#
# Any earlier moment can be replayed: the snapshot is rewound to what a reviewer would have seen
# then (later bugs, comments and changes left out).

# %%
week_ago = snapshot.as_of - pd.Timedelta(days=7)
earlier = snapshot.attention(week_ago)
display(Markdown(f"**{summary_line(earlier, meta | {'as_of': week_ago})}**"))
pd.DataFrame({"now": items["kind"].value_counts(),
              "a week ago": earlier["kind"].value_counts()}).fillna(0).astype(int)
