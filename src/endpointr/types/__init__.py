"""Typed models shared by the SDK and the gateway: one definition types both sides of the wire.

Import from the submodules (``endpointr.types.vault`` …); this package loads nothing eagerly,
so ``import endpointr`` stays light.
"""
