"""What every service process shares: a FastStream `KafkaBroker` run inside a FastAPI app's
lifespan (FastStream's own FastAPI integration is deprecated upstream), the batch consumer,
the operational endpoints (`runtime/ops.py`), the AsyncAPI document (`runtime/asyncapi.py`) and
the uvicorn entry point."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from aiokafka import ConsumerRecord
from fastapi import FastAPI
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from contracts import topics
from runtime.asyncapi import Published, asyncapi_document
from runtime.db import create_pool, migrate
from runtime.health import Progress
from runtime.http import install_error_handlers
from runtime.identity.settings import authenticator, migrate_identity
from runtime.kafka import ensure_topics, make_broker
from runtime.limits import BodyLimit
from runtime.logging import configure
from runtime.ops import ops
from runtime.settings import CommonSettings

Startup = Callable[[FastAPI], Awaitable[None]]

BatchHandler = Callable[[tuple[ConsumerRecord[Any, Any], ...]], Awaitable[object]]


def batch_consumer(
    broker: KafkaBroker,
    settings: CommonSettings,
    topic_names: Sequence[str],
    group_id: str,
    description: str,
    handler: BatchHandler,
    progress: list[Progress] | None = None,
) -> Progress:
    """Every service consumes the same way: batches of raw records (each service decodes the
    bytes itself, so one poison record can be dead-lettered alone), committed only after the
    handler returns; an escaping (transient) error seeks back and the batch is redelivered.
    FastStream's own parsing is bypassed: it decodes bodies by content type and header values
    as UTF-8, and a record it cannot parse would be retried for ever before any handler."""
    tracker = Progress(group_id, tuple(topic_names))
    if progress is not None:
        progress.append(tracker)

    @broker.subscriber(
        *topic_names,
        group_id=group_id,
        batch=True,
        max_records=settings.batch_max_records,
        batch_timeout_ms=settings.batch_timeout_ms,
        auto_offset_reset="earliest",
        fetch_max_bytes=settings.fetch_max_bytes,
        max_partition_fetch_bytes=settings.max_partition_fetch_bytes,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        description=description,
        parser=_raw_parser,
        decoder=_no_decoding,
    )
    async def on_batch(message: KafkaMessage) -> None:
        tracker.started()
        try:
            await handler(message.raw_message)
        except Exception as err:
            tracker.failed(err)
            raise
        tracker.done(len(message.raw_message))

    tracker.subscriber = on_batch
    return tracker


async def _raw_parser(records: Any, original: Callable[[Any], Awaitable[Any]]) -> Any:
    """FastStream's batch parser, fed copies whose headers cannot fail to decode (null or
    binary values); the handler still gets the original records."""
    safe = tuple(
        replace(
            r,
            value=b"",
            headers=[
                (k, (v or b"").decode(errors="replace").encode()) for k, v in (r.headers or ())
            ],
        )
        for r in records
    )
    message = await original(safe)
    message.raw_message = records
    return message


async def _no_decoding(message: Any) -> None:
    """Bodies are decoded by the services' own code, record by record."""
    return None


def service_app(
    service: str,
    settings: CommonSettings,
    *,
    subscribe: Callable[[KafkaBroker, FastAPI], None],
    migrations: Path | None = None,
    on_start: Startup | None = None,
    on_stop: Startup | None = None,
    description: str = "",
    publishes: Sequence[Published] = (),
    max_body_bytes: int | None = None,
) -> FastAPI:
    """Build a service process. `subscribe` registers its consumers; with `migrations`, the
    service's schema is migrated and `app.state.pool` opened before consuming starts;
    `on_start` runs last before the broker starts (e.g. recovering an outbox).

    `publishes` lists the topics the service writes, for `GET /asyncapi.json`:
    `(topic, description)` or `(topic, description, schema)` — a `contracts.topics.Topic` (or
    its name) and the contracts event model (or union) its records carry, e.g.
    `publishes=[(topics.SCORES, "Scored events.", ScoredEvent)]`. Dead letters are added for
    every service. Documentation only: records still go out through `runtime.kafka.publish_all`
    on the broker's durable producer. Request bodies over `max_body_bytes` (default
    `HTTP_MAX_BODY_BYTES`) answer 413."""
    log = configure(service, settings.log_level)
    broker = make_broker(settings, service, settings.graceful_timeout_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.create_topics:
            await ensure_topics(settings, topics.ALL)
        if migrations is not None:
            # People's and tools' tokens, the same for every service (runtime/identity); first,
            # so a service's own migrations may move data into it.
            await migrate_identity(settings.database_url)
            await migrate(migrations, settings.database_url, service)
            app.state.pool = await create_pool(settings.database_url)
            app.state.identity = authenticator(app.state.pool, settings)
        if on_start is not None:
            await on_start(app)
        await broker.start()
        log.info("started", extra={"service": service})
        try:
            yield
        finally:
            if on_stop is not None:
                await on_stop(app)
            await broker.stop()  # waits for in-flight batches (graceful_timeout)
            if migrations is not None:
                await app.state.pool.close()
            log.info("stopped", extra={"service": service})

    app = FastAPI(
        title=f"QualityLoop {service}", version="1", description=description, lifespan=lifespan
    )
    app.state.settings, app.state.broker = settings, broker
    app.state.consumers = []  # a Progress per batch_consumer, for readiness
    app.state.asyncapi = asyncapi_document(broker, service, publishes)
    app.include_router(ops)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes or settings.http_max_body_bytes)
    install_error_handlers(app)
    subscribe(broker, app)
    return app


class _Server(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        # uvicorn re-raises the captured signal after shutting down; after a clean drain we
        # would rather exit 0, so supervisors and tests can tell a clean stop from a crash.
        self._captured_signals.clear()


def serve(app: FastAPI, host: str, port: int, graceful_timeout_s: float) -> None:
    """Run until SIGTERM/SIGINT: uvicorn stops accepting requests, finishes in-flight ones,
    then the lifespan stops the broker, which waits for in-flight batches; exit code 0."""
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=int(graceful_timeout_s),
    )
    _Server(config).run()
