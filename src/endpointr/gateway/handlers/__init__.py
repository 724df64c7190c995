"""Route handlers, one package per URL group (``/v1/<group>/...``)."""
