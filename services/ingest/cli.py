"""Ingest command line: `python -m services.ingest [serve | keys ... | backfill ...]`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from runtime.db import create_pool, migrate
from services.ingest.names import MIGRATIONS, SERVICE
from services.ingest.settings import IngestSettings
from services.ingest.store import create_key, list_keys, revoke_key


async def _keys(args: argparse.Namespace, settings: IngestSettings) -> int:
    await migrate(MIGRATIONS, settings.database_url, SERVICE)
    pool = await create_pool(settings.database_url)
    try:
        if args.action == "create":
            try:
                key_id, key = await create_key(pool, args.source, args.types.split(","), args.note)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(f"key id: {key_id}", file=sys.stderr)
            print("the key (shown once, store it in the source system's secrets):", file=sys.stderr)
            print(key)
        elif args.action == "revoke":
            if not await revoke_key(pool, args.key_id):
                print(f"no active key {args.key_id}", file=sys.stderr)
                return 1
            print(f"revoked {args.key_id}", file=sys.stderr)
        else:
            for r in await list_keys(pool):
                state = "revoked" if r["revoked_at"] else "active"
                print(
                    f"{r['key_id']}  {state:7s}  {r['source']:24s}  "
                    f"{','.join(t.removeprefix('io.qualityloop.') for t in r['allowed_types'])}"
                )
        return 0
    finally:
        await pool.close()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m services.ingest")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the HTTP API and raw-topic intake (default)")
    keys = sub.add_parser("keys", help="manage API keys (one per source system)")
    ks = keys.add_subparsers(dest="action", required=True)
    create = ks.add_parser("create")
    create.add_argument("--source", required=True, help="source system, e.g. /acd/genesys")
    create.add_argument(
        "--types", default="*", help="comma-separated event types (e.g. interaction.completed) or *"
    )
    create.add_argument("--note")
    revoke = ks.add_parser("revoke")
    revoke.add_argument("key_id")
    ks.add_parser("list")
    from services.ingest.backfill import add_arguments

    add_arguments(sub.add_parser("backfill", help="import a historical CSV / JSON Lines export"))
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    settings = IngestSettings()
    if args.command == "keys":
        return asyncio.run(_keys(args, settings))
    if args.command == "backfill":
        from services.ingest.backfill import run

        return asyncio.run(run(args, settings))
    from runtime.service import serve
    from services.ingest.app import build

    serve(build(settings), settings.http_host, settings.http_port, settings.graceful_timeout_s)
    return 0
