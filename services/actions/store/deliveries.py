"""`actions.deliveries` and `actions.delivery_log`: one webhook delivery per alert and URL,
and every attempt made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from services.actions.store.base import Family


@dataclass(frozen=True, slots=True)
class Delivery:
    delivery_id: int
    url: str
    body: bytes
    attempts: int


class Deliveries(Family):
    async def enqueue(self, alert_id: str, urls: Sequence[str], body: bytes) -> None:
        for url in urls:
            await self.db.execute(
                "INSERT INTO actions.deliveries (alert_id, url, body) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                alert_id,
                url,
                body,
            )

    async def due(self, limit: int = 50) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, locked (skipping rows another
        process holds)."""
        rows = await self.db.fetch(
            """SELECT * FROM actions.deliveries WHERE delivered_at IS NULL AND failed_at IS NULL
                 AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1
               FOR UPDATE SKIP LOCKED""",
            limit,
        )
        return [Delivery(r["delivery_id"], r["url"], bytes(r["body"]), r["attempts"]) for r in rows]

    async def log_attempt(
        self, delivery_id: int, attempt: int, at: datetime, status: int | None, error: str | None
    ) -> None:
        await self.db.execute(
            "INSERT INTO actions.delivery_log VALUES ($1, $2, $3, $4, $5)",
            delivery_id,
            attempt,
            at,
            status,
            error,
        )

    async def delivered(self, delivery_id: int, attempts: int, at: datetime) -> None:
        await self.db.execute(
            "UPDATE actions.deliveries SET attempts = $2, delivered_at = $3 WHERE delivery_id = $1",
            delivery_id,
            attempts,
            at,
        )

    async def failed(self, delivery_id: int, attempts: int, at: datetime) -> None:
        """Given up after the last allowed attempt."""
        await self.db.execute(
            "UPDATE actions.deliveries SET attempts = $2, failed_at = $3 WHERE delivery_id = $1",
            delivery_id,
            attempts,
            at,
        )

    async def retry_at(self, delivery_id: int, attempts: int, at: datetime) -> None:
        await self.db.execute(
            "UPDATE actions.deliveries SET attempts = $2, next_attempt_at = $3 "
            "WHERE delivery_id = $1",
            delivery_id,
            attempts,
            at,
        )
