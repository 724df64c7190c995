"""AI provider adapters behind one interface (``base.Provider``), and which adapter is which.

Adapters load on first use: a gateway that never calls a CLI provider never imports it.
Clients of other provider APIs sit beside them (``meta_graph``, ``meta_hashing``).
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING

from .base import CAPABILITIES, DEFAULT_MODELS, Capability, ProviderError

if TYPE_CHECKING:
    from .base import Provider

_ADAPTERS = {
    "openai": ("openai", "OpenAI"),
    "anthropic": ("anthropic", "Anthropic"),
    "openrouter": ("openrouter", "OpenRouter"),
    "claude-cli": ("claude_cli", "ClaudeCli"),
    "openai-cli": ("openai_cli", "OpenAICli"),
}


@functools.cache
def adapter(name: str) -> type[Provider]:
    """The adapter class of provider ``name`` (one of :data:`CAPABILITIES`)."""
    module, cls = _ADAPTERS[name]
    found: type[Provider] = getattr(importlib.import_module(f"{__name__}.{module}"), cls)
    return found


__all__ = ["CAPABILITIES", "DEFAULT_MODELS", "Capability", "ProviderError", "adapter"]
