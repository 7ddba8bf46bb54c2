"""Reporting command line: `python -m services.reporting [serve | rebuild | tokens ...]`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from runtime.db import create_pool, migrate
from runtime.identity import Role
from runtime.identity import store as identity
from runtime.identity.settings import migrate_identity
from runtime.service import serve
from services.reporting.app import build
from services.reporting.names import MIGRATIONS, SCHEMA
from services.reporting.settings import ReportingSettings
from services.reporting.write.rebuild import rebuild


async def _tokens(args: argparse.Namespace, settings: ReportingSettings) -> int:
    """Tokens are the platform's (runtime.identity): one token works on every service."""
    await migrate_identity(settings.database_url)
    pool = await create_pool(settings.database_url)
    try:
        if args.action == "create":
            try:
                token_id, token = await identity.create_token(
                    pool, Role(args.role), args.subject, args.label or args.role
                )
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            print(f"token id: {token_id} (role {args.role})", file=sys.stderr)
            print("the token (shown once):", file=sys.stderr)
            print(token)
        elif args.action == "revoke":
            if not await identity.revoke_token(pool, args.token_id):
                print(f"no active token {args.token_id}", file=sys.stderr)
                return 1
            print(f"revoked {args.token_id}", file=sys.stderr)
        else:
            for r in await identity.list_tokens(pool):
                state = "revoked" if r["revoked_at"] else "active"
                print(
                    f"{r['token_id']}  {state:7s}  {r['role']:12s}  {r['subject'] or '-':16s}  "
                    f"{r['label']}"
                )
        return 0
    finally:
        await pool.close()


async def _rebuild(args: argparse.Namespace, settings: ReportingSettings) -> int:
    await migrate(MIGRATIONS, settings.database_url, SCHEMA)
    pool = await create_pool(settings.database_url, max_size=3)
    try:
        report = await rebuild(
            pool,
            settings.kafka_bootstrap_servers,
            batch=args.batch,
            allow_truncated=args.allow_truncated,
            say=lambda line: print(line, file=sys.stderr),
        )
    finally:
        await pool.close()
    print(
        f"rebuilt from {report.events} events ({report.applied} applied, "
        f"{report.undecodable} undecodable) in {report.seconds:.1f} s = {report.rate:,.0f} events/s"
    )
    for table, n in sorted(report.rows.items()):
        print(f"  {table:24s} {n:>10,} rows")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m services.reporting")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the projections and the read API (default)")
    rb = sub.add_parser("rebuild", help="replay Kafka into fresh tables and swap them in")
    rb.add_argument("--batch", type=int, default=5000, help="records per transaction")
    rb.add_argument(
        "--allow-truncated",
        action="store_true",
        help="rebuild even though Kafka's retention has already dropped early events",
    )
    tokens = sub.add_parser("tokens", help="manage read-API tokens (one per person or tool)")
    ts = tokens.add_subparsers(dest="action", required=True)
    create = ts.add_parser("create")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--subject", help="agent id (agent) or team id (team_leader)")
    create.add_argument("--label", help="who or what holds the token")
    revoke = ts.add_parser("revoke")
    revoke.add_argument("token_id")
    ts.add_parser("list")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    settings = ReportingSettings()
    if args.command == "tokens":
        return asyncio.run(_tokens(args, settings))
    if args.command == "rebuild":
        return asyncio.run(_rebuild(args, settings))
    serve(build(settings), settings.http_host, settings.http_port, settings.graceful_timeout_s)
    return 0
