"""`actions.outbox`: events written in the transaction of the change they report, published
after commit (several processes may flush at once: rows are locked, never sent twice)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from contracts import topics
from contracts.envelope import CloudEvent, kafka_headers
from runtime.kafka import Outgoing
from services.actions.store.base import Family


class Outbox(Family):
    async def append(
        self, event: CloudEvent[Any], key: str, topic: str = topics.ACTIONS.name
    ) -> None:
        await self.db.execute(
            "INSERT INTO actions.outbox (topic, key, value, headers) VALUES ($1,$2,$3,$4::jsonb)",
            topic,
            key.encode(),
            event.model_dump_json().encode(),
            json.dumps(kafka_headers(event)),
        )

    async def unpublished(self, limit: int = 500) -> list[tuple[int, Outgoing]]:
        """The oldest unpublished events, locked for this transaction: (seq, record)."""
        rows = await self.db.fetch(
            "SELECT seq, topic, key, value, headers FROM actions.outbox "
            "WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED",
            limit,
        )
        return [
            (
                r["seq"],
                Outgoing(r["topic"], bytes(r["key"]), bytes(r["value"]), json.loads(r["headers"])),
            )
            for r in rows
        ]

    async def mark_published(self, seqs: Sequence[int]) -> None:
        await self.db.execute(
            "UPDATE actions.outbox SET published_at = now() WHERE seq = ANY($1::bigint[])",
            list(seqs),
        )
