"""Local mode: the gateway in this process, no server. Run: python examples/local_vault.py

Uses a throw-away vault unless ENDPOINTR_VAULT names one.
"""

import os

from endpointr import Endpointr, NotFoundError

with Endpointr.local(os.environ.get("ENDPOINTR_VAULT", ":memory:")) as client:
    print("mode:", client.mode)

    client.credentials.set("openai", api_key="sk-example-not-real")
    status = client.credentials.retrieve("openai")
    print("openai credentials stored:", status.exists, "fields:", status.fields)

    client.vault.put(
        "ses-prod", {"smtp_host": "email-smtp.eu-west-1.amazonaws.com", "smtp_port": 587}
    )
    print("vault entries:", [entry.name for entry in client.vault.list()])
    print("ses-prod:", client.vault.get("ses-prod"))

    try:
        client.vault.get("missing")
    except NotFoundError as err:
        print("as expected:", err.status_code, err.message)

    token = client.auth.issue()
    print(
        "a JWT for this customer, valid",
        token.expires_in,
        "s; introspection:",
        client.auth.introspect().valid,
    )
