"""Receive and verify Endpointr webhooks, end to end, on this machine.

Runs a receiver on 127.0.0.1, subscribes it to vault events in a throw-away local vault, stores
an entry and waits for the signed delivery. No server and no network needed:

    python examples/webhook_receiver.py
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from endpointr import Endpointr, Settings, WebhookVerificationError
from endpointr.webhooks import verify

received = threading.Event()
SECRET = ""  # set once the webhook is created


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        try:
            event = verify(body, dict(self.headers), SECRET)  # the raw bytes, before parsing
        except WebhookVerificationError as exc:
            print("refused:", exc)
            self.send_response(400)
        else:
            print(f"verified {event['event']} {event['id']}: {event['data']}")
            self.send_response(200)
            received.set()
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    global SECRET
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    # A receiver on 127.0.0.1 is a private address: allowed here, as on a developer's machine.
    settings = Settings.from_env(allow_private_networks=True)
    with Endpointr.local(":memory:", settings=settings) as client:
        hook = client.webhooks.create(event="VaultHandler.*", url=url)
        SECRET = hook.secret  # shown only once: keep it where the receiver can read it
        client.vault.put("smtp", {"user": "mailer", "password": "hunter2"})
        client.admin.jobs.run_pending()  # or just wait: the client's worker delivers too
        received.wait(10)
        print(client.webhooks.retrieve(hook.id).model_dump_json(indent=2))
    server.shutdown()


if __name__ == "__main__":
    main()
