"""The async client: the single source the sync client is generated from (scripts/unasync.py)."""
