"""``/v1/admin/*``: a customer's view of the work the gateway does for it."""
