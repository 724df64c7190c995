"""``/v1/token`` and ``/v1/keys``."""
