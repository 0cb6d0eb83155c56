"""One module per CLI subcommand, each exposing `register(subparsers)`. The top of the flow: may
import every stage; nothing but `cli` imports it.
"""
