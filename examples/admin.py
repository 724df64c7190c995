"""Administer a vault from Python, as the `endpointr` CLI does. Run: python examples/admin.py"""

import base64
import os
import tempfile
from pathlib import Path

from endpointr import Admin, Endpointr

vault = Path(tempfile.mkdtemp()) / "vault.db"
key = base64.b64encode(os.urandom(32)).decode()  # in real use: ENDPOINTR_MASTER_KEY or a keyring

with Admin(vault, master_key=key) as admin:
    acme = admin.create_customer("acme")
    print("created", acme.name, "- its api_key is shown once:", acme.api_key[:8] + "…")
    admin.set_credentials("anthropic", {"api_key": "sk-ant-example"}, customer="acme")
    admin.set_credentials("openai", {"api_key": "sk-example"}, customer="acme")
    print("provider priority:", admin.get_priority(customer="acme"))
    admin.set_priority(["openai", "anthropic"], customer="acme")
    print("reordered:", admin.get_priority(customer="acme"))

with Endpointr.local(vault, customer="acme", master_key=key) as client:
    print("acme's credentials:", client.credentials.retrieve("openai").fields)
