"""Upstream provider adapters: one module per provider API the gateway calls."""
