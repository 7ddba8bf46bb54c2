"""Webhook delivery of alerts: HMAC-signed POSTs, retried with exponential backoff, every
attempt written to the delivery log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from services.actions.domain.alerts import backoff_seconds, signature


async def deliver_due(
    pool: asyncpg.Pool,
    http: httpx.AsyncClient,
    secret: bytes,
    max_attempts: int,
    backoff_base: float,
) -> int:
    """Attempt every delivery that is due; returns how many succeeded."""
    delivered = 0
    async with pool.acquire() as conn, conn.transaction():
        due = await conn.fetch(
            """SELECT * FROM actions.deliveries WHERE delivered_at IS NULL AND failed_at IS NULL
                 AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT 50
               FOR UPDATE SKIP LOCKED"""
        )
        for d in due:
            attempt = d["attempts"] + 1
            body = bytes(d["body"])
            status, error = None, None
            try:
                response = await http.post(
                    d["url"],
                    content=body,
                    headers={
                        "content-type": "application/cloudevents+json",
                        "x-qualityloop-signature": signature(secret, body),
                        "x-qualityloop-delivery": f"{d['delivery_id']}:{attempt}",
                    },
                )
                status = response.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            now = datetime.now(UTC)
            await conn.execute(
                "INSERT INTO actions.delivery_log VALUES ($1, $2, $3, $4, $5)",
                d["delivery_id"],
                attempt,
                now,
                status,
                error,
            )
            if status is not None and 200 <= status < 300:
                await conn.execute(
                    "UPDATE actions.deliveries SET attempts = $2, delivered_at = "
                    "$3 WHERE delivery_id = $1",
                    d["delivery_id"],
                    attempt,
                    now,
                )
                delivered += 1
            elif attempt >= max_attempts:
                await conn.execute(
                    "UPDATE actions.deliveries SET attempts = $2, failed_at = $3 "
                    "WHERE delivery_id = $1",
                    d["delivery_id"],
                    attempt,
                    now,
                )
            else:
                wait = timedelta(seconds=backoff_seconds(attempt, backoff_base))
                await conn.execute(
                    "UPDATE actions.deliveries SET attempts = $2, "
                    "next_attempt_at = $3 WHERE delivery_id = $1",
                    d["delivery_id"],
                    attempt,
                    now + wait,
                )
    return delivered
