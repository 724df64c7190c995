"""``/v1/credentials/{service}``."""
