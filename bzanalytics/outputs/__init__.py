"""What a person reads: figures (`plots`), the HTML report, the scorecard's text form. May import
`metrics`, `parse` and `snapshot`; nothing but `commands`, `sample` users and notebooks import
this folder.
"""
