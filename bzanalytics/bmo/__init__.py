"""Talking to BMO: the HTTP client and the sync recipe. May import `snapshot` (sync writes through
the store) and the top-level `errors`/`progress`; nothing else in the package imports this
folder but `commands`.
"""
