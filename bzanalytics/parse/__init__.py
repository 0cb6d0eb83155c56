"""Reading comments: roles, CA attribution, incident reports, timelines, Whiteboard tags
(docs/parsing.md). Pure: strings and frames in, frames and dataclasses out; imports only itself
and the top-level `errors`.
"""
