"""Outbound HTTP: the shared upstream client, and the SSRF-safe fetcher for user-supplied URLs."""
