"""``/v1/webhooks``: outbound webhooks."""
