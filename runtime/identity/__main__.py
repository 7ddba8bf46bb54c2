"""`python -m runtime.identity tokens create|list|revoke` — local tokens for people and tools."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime, timedelta

from runtime.db import create_pool, migrate
from runtime.identity import store
from runtime.identity.model import Role
from runtime.identity.settings import MIGRATIONS
from runtime.settings import CommonSettings


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m runtime.identity")
    sub = p.add_subparsers(dest="what", required=True)
    tokens = sub.add_parser("tokens", help="local bearer tokens").add_subparsers(
        dest="command", required=True
    )
    create = tokens.add_parser("create", help="create a token (shown once)")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--subject", help="agent id, team id or evaluator id for those roles")
    create.add_argument("--label", default="", help="who or what holds it")
    create.add_argument("--expires-days", type=float, help="days until it stops working")
    tokens.add_parser("list", help="tokens (never the secrets)")
    revoke = tokens.add_parser("revoke", help="revoke a token (effective within 10 s)")
    revoke.add_argument("token_id")
    sub.add_parser("migrate", help="bring the identity schema up to date (as its owner)")
    return p


async def run(args: argparse.Namespace, url: str) -> int:
    await migrate(MIGRATIONS, url, store.SCHEMA)
    if args.what == "migrate":
        return 0
    pool = await create_pool(url)
    try:
        if args.command == "create":
            expires = (
                datetime.now(UTC) + timedelta(days=args.expires_days) if args.expires_days else None
            )
            try:
                token_id, token = await store.create_token(
                    pool, Role(args.role), args.subject, args.label, expires
                )
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(json.dumps({"token_id": token_id, "token": token, "role": args.role}))
        elif args.command == "list":
            for row in await store.list_tokens(pool):
                print(json.dumps(row, default=str))
        else:
            if not await store.revoke_token(pool, args.token_id):
                print(f"error: no active token {args.token_id}", file=sys.stderr)
                return 1
            print(json.dumps({"token_id": args.token_id, "revoked": True}))
        return 0
    finally:
        await pool.close()


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    url = os.environ.get("DATABASE_URL") or CommonSettings().database_url
    return asyncio.run(run(args, url))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
