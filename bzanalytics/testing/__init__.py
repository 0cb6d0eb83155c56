"""Test doubles shipped with the package: the fake BMO server and volume corpora. May import
`synth` and the top-level `errors`; never the code it stands in for.
"""
