"""Upstream AI providers: adapters and wire-format translations."""
