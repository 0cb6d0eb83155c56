"""The snapshot: the SQLite file (`store`), what goes in (`dumps`), the typed frames that come out
(`frames`) and their export. May import `parse` and `metrics` (frames computes them lazily) and
the top-level `errors`; never `bmo`, `outputs` or `commands`.
"""
