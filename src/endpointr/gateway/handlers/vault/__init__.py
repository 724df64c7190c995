"""``/v1/vault`` and ``/v1/vault/{name}``."""
