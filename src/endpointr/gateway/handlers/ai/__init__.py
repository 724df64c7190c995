"""``/v1/ai/*``: chat, stream, vision, image, models and upload, across five providers."""
