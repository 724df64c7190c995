"""The ``endpointr`` command: run the gateway and administer a vault.

Every command takes ``--vault PATH`` (default ``ENDPOINTR_VAULT``, else the user data dir that
``Endpointr.local()`` uses), so the CLI, a server and a script can share one vault. Secrets are
read from a prompt or stdin, never from the command line (where ``ps`` and shell history would
keep them).
"""

from __future__ import annotations

import argparse
import base64
import getpass
import json
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .admin import Admin


def _admin(args: argparse.Namespace) -> Admin:
    from .admin import Admin

    return Admin(args.vault)


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


# -- serve ------------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        print(
            "endpointr serve needs the server extra: pip install 'endpointr[server]'",
            file=sys.stderr,
        )
        return 2
    from .gateway.settings import Settings

    if args.vault:
        os.environ["ENDPOINTR_VAULT"] = args.vault  # the workers read their settings from env
    settings = Settings.from_env()
    base = f"http://{args.host}:{args.port}"
    with _admin(args) as admin:
        vault_path = admin.vault_path
        new = None if admin.list_customers() or args.no_init else admin.create_customer("default")
    print(f"endpointr gateway on {base}  (vault: {vault_path})")
    if new is not None:
        print(
            "\nCreated customer 'default'. Its api_key, shown only this once:\n\n"
            f"    {new.api_key}\n\n"
            "Try it:\n"
            f"    curl -s -X POST {base}/v1/token -H 'content-type: application/json' "
            f'-d \'{{"api_key": "{new.api_key}"}}\'\n'
            f"    python -c 'from endpointr import Endpointr; "
            f'c = Endpointr(api_key="{new.api_key}", base_url="{base}"); '
            f'c.vault.put("hello", {{"world": 1}}); print(c.vault.get("hello"))\'\n'
        )
    else:
        print(
            "Customers: endpointr customers list; "
            "a new api_key: endpointr customers rotate-key NAME"
        )
    print(f"Routes: {base}/openapi.json\n", flush=True)
    uvicorn.run(
        "endpointr.gateway.asgi:app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=args.access_log,
        log_level=args.log_level,
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
    del settings
    return 0


# -- customers --------------------------------------------------------------------------------


def cmd_customers(args: argparse.Namespace) -> int:
    with _admin(args) as admin:
        if args.action == "create":
            new = admin.create_customer(args.name)
            print(f"Created customer {new.name!r} (id {new.id}). Its api_key, shown only once:")
            print(new.api_key)
        elif args.action == "list":
            customers = admin.list_customers()
            if args.json:
                _print_json([c.__dict__ for c in customers])
            for c in [] if args.json else customers:
                priority = ",".join(c.provider_priority) or "-"
                key = "" if c.has_api_key else "  (no api_key: rotate-key gives one)"
                print(f"{c.id:>4}  {c.name:<24} priority={priority}{key}")
        elif args.action == "delete":
            admin.delete_customer(args.name)
            print(f"Deleted customer {args.name!r} and everything stored for it.")
        elif args.action == "rotate-key":
            api_key = admin.rotate_api_key(args.name)
            print(f"New api_key for {args.name!r} (the old one no longer works), shown only once:")
            print(api_key)
    return 0


# -- credentials ------------------------------------------------------------------------------


def _read_fields(service: str) -> dict[str, Any]:
    """The credential map from stdin (a JSON object) or, at a terminal, from prompts."""
    from .gateway.events import is_sensitive
    from .types.credentials import SCHEMAS

    if not sys.stdin.isatty():
        try:
            fields = json.loads(sys.stdin.read())
        except json.JSONDecodeError as exc:
            raise SystemExit(f"stdin is not a JSON object: {exc}") from None
        if not isinstance(fields, dict):
            raise SystemExit("stdin must hold a JSON object of credential fields")
        return fields
    fields = {}
    schema = SCHEMAS.get(service)
    if schema is not None:
        for name, info in schema.model_fields.items():
            optional = "" if info.is_required() else " (optional, Enter to skip)"
            ask = getpass.getpass if is_sensitive(name) else input
            value = ask(f"{service} {name}{optional}: ").strip()
            if value:
                fields[name] = value
        return fields
    print(f"{service} is not a service the contract lists: enter its fields one by one.")
    while name := input("field name (Enter to finish): ").strip():
        fields[name] = getpass.getpass(f"{name}: ")
    return fields


def cmd_credentials(args: argparse.Namespace) -> int:
    with _admin(args) as admin:
        if args.action == "set":
            status = admin.set_credentials(
                args.service, _read_fields(args.service), customer=args.customer
            )
            print(
                f"Stored {status.service} credentials ({', '.join(status.fields)}) "
                f"for {args.customer!r}."
            )
        elif args.action == "delete":
            if not admin.delete_credentials(args.service, customer=args.customer):
                print(
                    f"No {args.service} credentials stored for {args.customer!r}.", file=sys.stderr
                )
                return 1
            print(f"Deleted {args.service} credentials of {args.customer!r}.")
    return 0


def cmd_priority(args: argparse.Namespace) -> int:
    with _admin(args) as admin:
        if args.action == "set":
            priority = admin.set_priority(args.providers, customer=args.customer)
        else:
            priority = admin.get_priority(customer=args.customer)
    print(" ".join(priority) if priority else "(empty: store AI credentials to fill it)")
    return 0


def cmd_routes(args: argparse.Namespace) -> int:
    from .admin import routes
    from .gateway.settings import Settings

    found = routes(Settings.from_env().handler_modules)
    if args.json:
        _print_json([r.__dict__ for r in found])
    else:
        for r in found:
            print(f"{r.method:<7} {r.path:<48} {r.handler}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from .gateway.gateway import Gateway
    from .gateway.settings import Settings

    if args.concurrency < 1:
        raise SystemExit("endpointr worker: --concurrency must be at least 1")
    settings = Settings.from_env(vault=args.vault, jobs_concurrency=args.concurrency)

    async def work() -> None:
        gateway = await Gateway.open(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print(
            f"endpointr worker {os.getpid()}: running up to {args.concurrency} jobs at once "
            f"from {gateway.store.location} (Ctrl-C stops it)",
            flush=True,
        )
        try:
            await stop.wait()
        finally:
            await gateway.aclose()  # running jobs get a few seconds, the rest go back

    asyncio.run(work())
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    with _admin(args) as admin:
        if args.action == "list":
            jobs = admin.list_jobs(customer=args.customer, state=args.state, limit=args.limit)
            if args.json:
                _print_json([j.model_dump(mode="json") for j in jobs])
            for j in [] if args.json else jobs:
                error = f"  {j.last_error}" if j.last_error else ""
                print(f"{j.id}  {j.kind:<24} {j.state:<9} {j.attempts}/{j.max_attempts}{error}")
        elif args.action == "run-pending":
            run = admin.run_pending_jobs(customer=args.customer)
            print(
                f"ran {run.ran}: {run.succeeded} succeeded, {run.retrying} will retry, "
                f"{run.failed} failed; {run.remaining} still due"
                + (f"; next at {run.next_run_at.isoformat()}" if run.next_run_at else "")
            )
        elif args.action == "retry":
            if not admin.retry_job(args.id):
                print(f"No queued or failed job {args.id}.", file=sys.stderr)
                return 1
            print(f"Job {args.id} is due now.")
    return 0


def cmd_vault(args: argparse.Namespace) -> int:
    with _admin(args) as admin:
        if args.action == "info":
            print(f"vault:      {admin.vault_path}\nmaster key: {admin.master_key_source}")
            return 0
        source = admin.master_key_source
        new = admin.rotate_master_key()
    print(f"Rotated the master key of {admin.vault_path}; every secret was kept.")
    if source.startswith("configured"):
        print("The vault's key came from ENDPOINTR_MASTER_KEY: replace it with this one now:")
        print(base64.b64encode(new).decode())
    else:
        print(f"The new key replaced the old one in the {source}.")
    return 0


def cmd_meta_ads(args: argparse.Namespace) -> int:
    with _admin(args) as admin:
        found = admin.meta_ads_deliveries(
            customer=args.customer, unattributed=args.unattributed, limit=args.limit
        )
    if args.json:
        _print_json([d.__dict__ | {"body": d.body.decode("utf-8", "replace")} for d in found])
        return 0
    for d in found:
        when = d.received_at.isoformat(timespec="seconds")
        print(
            f"{d.id:>6}  {when}  {d.customer or '-':<20} {d.object or '-':<12} {d.status:<18}"
            f" {len(d.body)} bytes"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--vault",
        metavar="PATH",
        default=None,
        help="vault file (default: $ENDPOINTR_VAULT, else the user data dir)",
    )
    customer = argparse.ArgumentParser(add_help=False)
    customer.add_argument("--customer", default="default", help="customer name (default: default)")
    parser = argparse.ArgumentParser(prog="endpointr", description=__doc__.split("\n\n")[0])
    from ._version import __version__

    parser.add_argument("--version", action="version", version=f"endpointr {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="run the gateway over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--no-init", action="store_true", help="do not create a default customer")
    serve.set_defaults(func=cmd_serve)

    customers = sub.add_parser("customers", help="create, list, delete customers")
    csub = customers.add_subparsers(dest="action", required=True)
    for action, helptext in (
        ("create", "prints the api_key once"),
        ("delete", ""),
        ("rotate-key", "prints a new api_key once"),
    ):
        p = csub.add_parser(action, parents=[common], help=helptext)
        p.add_argument("name")
    listing = csub.add_parser("list", parents=[common])
    listing.add_argument("--json", action="store_true")
    customers.set_defaults(func=cmd_customers)

    creds = sub.add_parser(
        "credentials", help="store a service's credentials (from a prompt or stdin)"
    )
    crsub = creds.add_subparsers(dest="action", required=True)
    for action in ("set", "delete"):
        p = crsub.add_parser(action, parents=[common, customer])
        p.add_argument("service")
    creds.set_defaults(func=cmd_credentials)

    priority = sub.add_parser("priority", help="a customer's AI provider priority list")
    psub = priority.add_subparsers(dest="action", required=True)
    psub.add_parser("get", parents=[common, customer])
    pset = psub.add_parser("set", parents=[common, customer])
    pset.add_argument("providers", nargs="+", metavar="PROVIDER")
    priority.set_defaults(func=cmd_priority)

    routes_p = sub.add_parser("routes", parents=[common], help="every route: method, path, handler")
    routes_p.add_argument("--json", action="store_true")
    routes_p.set_defaults(func=cmd_routes)

    worker = sub.add_parser(
        "worker", parents=[common], help="run background jobs (webhook deliveries, bindings …)"
    )
    worker.add_argument("--concurrency", type=int, default=4, help="jobs at once (default 4)")
    worker.set_defaults(func=cmd_worker)

    jobs = sub.add_parser("jobs", help="the job queue: list, run what is due, retry")
    jsub = jobs.add_subparsers(dest="action", required=True)
    scope = argparse.ArgumentParser(add_help=False)
    scope.add_argument("--customer", default=None, help="one customer's jobs (default: all)")
    jlist = jsub.add_parser("list", parents=[common, scope], help="the newest jobs")
    jlist.add_argument("--state", choices=["queued", "running", "succeeded", "failed"])
    jlist.add_argument("--limit", type=int, default=50)
    jlist.add_argument("--json", action="store_true")
    jsub.add_parser("run-pending", parents=[common, scope], help="run the due jobs now")
    jretry = jsub.add_parser("retry", parents=[common], help="make a queued or failed job due")
    jretry.add_argument("id")
    jobs.set_defaults(func=cmd_jobs)

    vault = sub.add_parser("vault", help="the vault itself")
    vsub = vault.add_subparsers(dest="action", required=True)
    vsub.add_parser("info", parents=[common], help="where the vault and its master key are")
    vsub.add_parser("rotate-key", parents=[common], help="re-wrap under a new master key")
    vault.set_defaults(func=cmd_vault)

    meta = sub.add_parser("meta-ads", help="inbound Meta webhook deliveries, for audit")
    msub = meta.add_subparsers(dest="action", required=True)
    deliveries = msub.add_parser(
        "deliveries", parents=[common], help="newest first, with who they belong to"
    )
    deliveries.add_argument("--customer", default=None, help="only this customer's")
    deliveries.add_argument(
        "--unattributed", action="store_true", help="only those no customer's secret verified"
    )
    deliveries.add_argument("--limit", type=int, default=50)
    deliveries.add_argument("--json", action="store_true")
    meta.set_defaults(func=cmd_meta_ads)
    return parser


def _show_warning(message: Warning | str, *args: object, **kwargs: object) -> None:
    """Warnings for a person at a terminal: the message, not the source line behind it."""
    print(f"endpointr: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    from ._errors import EndpointrError
    from .gateway.admin import AdminError

    args = build_parser().parse_args(argv)
    warnings.simplefilter("default")
    warnings.showwarning = _show_warning
    try:
        code: int = args.func(args)
    except (EndpointrError, AdminError) as exc:
        print(f"endpointr: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
