"""``/v1/marketing/*``: a facade over Meta's Graph API with a local mirror (issue 6)."""
