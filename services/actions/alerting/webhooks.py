"""Webhook delivery of alerts: HMAC-signed POSTs, retried with exponential backoff, every
attempt written to the delivery log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from services.actions.alerting.domain.delivery import backoff_seconds, signature
from services.actions.store import Store


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
        deliveries = Store.on(conn).deliveries
        for d in await deliveries.due():
            attempt = d.attempts + 1
            status, error = None, None
            try:
                response = await http.post(
                    d.url,
                    content=d.body,
                    headers={
                        "content-type": "application/cloudevents+json",
                        "x-qualityloop-signature": signature(secret, d.body),
                        "x-qualityloop-delivery": f"{d.delivery_id}:{attempt}",
                    },
                )
                status = response.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            now = datetime.now(UTC)
            await deliveries.log_attempt(d.delivery_id, attempt, now, status, error)
            if status is not None and 200 <= status < 300:
                await deliveries.delivered(d.delivery_id, attempt, now)
                delivered += 1
            elif attempt >= max_attempts:
                await deliveries.failed(d.delivery_id, attempt, now)
            else:
                wait = timedelta(seconds=backoff_seconds(attempt, backoff_base))
                await deliveries.retry_at(d.delivery_id, attempt, now + wait)
    return delivered
