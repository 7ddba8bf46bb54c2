"""Limits every service's HTTP edge applies, whoever the caller is.

- `BodyLimit`: a request body over `max_bytes` answers 413 naming the limit, whether it
  declares its length or streams it (chunked); nothing larger is ever buffered.
- `Slots`: at most `per_caller` concurrent long-lived responses (SSE streams) per principal,
  and `total` for the process; one more answers 429 instead of holding a connection.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _refusal(status: int, reason: str) -> tuple[dict[str, Any], bytes]:
    body = json.dumps({"errors": [{"field": "(body)", "reason": reason}]}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
    }
    return start, body


class _TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reason = f"request body exceeds {self.max_bytes} bytes"
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send, reason)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:  # the app was still reading: the answer is ours to give
                await self._refuse(send, reason)

    @staticmethod
    async def _refuse(send: Send, reason: str) -> None:
        start, body = _refusal(413, reason)
        await send(start)
        await send({"type": "http.response.body", "body": body})


class TooMany(Exception):
    """A 429: the caller already holds as many streams as allowed."""


class Slots:
    def __init__(self, per_caller: int, total: int) -> None:
        self.per_caller, self.total = per_caller, total
        self._held: Counter[str] = Counter()

    @property
    def in_use(self) -> int:
        return sum(self._held.values())

    def acquire(self, caller: str) -> None:
        if self._held[caller] >= self.per_caller:
            raise TooMany(f"at most {self.per_caller} concurrent streams per caller")
        if self.in_use >= self.total:
            raise TooMany(f"the service holds its maximum of {self.total} streams")
        self._held[caller] += 1

    def release(self, caller: str) -> None:
        self._held[caller] -= 1
        if self._held[caller] <= 0:
            del self._held[caller]

    @asynccontextmanager
    async def hold(self, caller: str) -> AsyncIterator[None]:
        self.acquire(caller)
        try:
            yield
        finally:
            self.release(caller)
