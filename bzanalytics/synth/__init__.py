"""Synthetic corpus generator with planted ground truth (docs/synthetic-corpus.md). Independent of
the parser and metrics it checks: imports only itself and the top-level `errors`.
"""
