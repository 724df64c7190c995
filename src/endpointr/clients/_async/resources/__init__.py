"""Resource groups of :class:`~endpointr.AsyncEndpointr` (one module per URL group)."""
