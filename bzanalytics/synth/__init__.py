"""Synthetic corpus generator with planted ground truth; see docs/synthetic-corpus.md."""
