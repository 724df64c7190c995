"""``/v1/bindings``: bindings (event -> action) and inbound webhook endpoints; ``/v1/inbound``."""
