"""What every service process shares: a FastStream `KafkaBroker` run inside a FastAPI app's
lifespan (FastStream's own FastAPI integration is deprecated upstream), health and readiness
endpoints, the AsyncAPI document generated from the broker, and the uvicorn entry point."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import asyncpg
import uvicorn
from aiokafka import ConsumerRecord
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.specification import AsyncAPI
from starlette.exceptions import HTTPException as StarletteHTTPException

from contracts import topics
from runtime.db import create_pool, migrate
from runtime.health import Progress, report
from runtime.kafka import ensure_topics, make_broker
from runtime.logging import configure
from runtime.settings import CommonSettings

Startup = Callable[[FastAPI], Awaitable[None]]

ops = APIRouter(tags=["ops"])


@ops.get("/health")
async def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@ops.get("/ready")
async def ready(request: Request) -> JSONResponse:
    """Readiness: Kafka answers, Postgres too where the service uses it, and no consumer is
    stuck (lag with a batch unfinished for `CONSUMER_STALL_AFTER_S`)."""
    checks: dict[str, Any] = {}
    kafka_ok = await request.app.state.broker.ping(timeout=2.0)
    checks["kafka"] = "ok" if kafka_ok else "unreachable"
    pool: asyncpg.Pool | None = getattr(request.app.state, "pool", None)
    if pool is not None:
        try:
            await pool.fetchval("SELECT 1", timeout=2.0)
            checks["postgres"] = "ok"
        except Exception:  # any failure means not ready
            checks["postgres"] = "unreachable"
    for c in await _consumers(request):
        checks[f"consumer:{c['group']}"] = "ok" if c["ok"] else f"stuck: {c['reason']}"
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(checks, status_code=200 if ok else 503)


@ops.get("/health/consumers")
async def consumers(request: Request) -> JSONResponse:
    """Per consumer group: lag, seconds since its last finished batch, batches, records,
    failures and the last error; 503 when any is stuck."""
    found = await _consumers(request)
    return JSONResponse({"consumers": found}, 200 if all(c["ok"] for c in found) else 503)


async def _consumers(request: Request) -> list[dict[str, Any]]:
    settings: CommonSettings = request.app.state.settings
    progress: list[Progress] = request.app.state.consumers
    return [await report(p, settings.consumer_stall_after_s) for p in progress]


@ops.get("/asyncapi.json")
async def asyncapi(request: Request) -> Any:
    """The service's AsyncAPI 3 document, generated from its FastStream broker."""
    return request.app.state.asyncapi.to_specification().to_jsonable()


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
) -> FastAPI:
    """Build a service process. `subscribe` registers its consumers; with `migrations`, the
    service's schema is migrated and `app.state.pool` opened before consuming starts;
    `on_start` runs last before the broker starts (e.g. recovering an outbox)."""
    log = configure(service, settings.log_level)
    broker = make_broker(settings, service, settings.graceful_timeout_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.create_topics:
            await ensure_topics(settings, topics.ALL)
        if migrations is not None:
            await migrate(migrations, settings.database_url, service)
            app.state.pool = await create_pool(settings.database_url)
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
    app.state.asyncapi = AsyncAPI(broker, title=f"QualityLoop {service}", version="1")
    app.include_router(ops)
    install_error_handlers(app)
    subscribe(broker, app)
    return app


def install_error_handlers(app: FastAPI) -> None:
    """Every client mistake answers 4xx with `{"errors": [{field, reason}]}`, never 500."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in exc.errors()
        ]
        return JSONResponse({"errors": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {"errors": [{"field": "(request)", "reason": str(exc.detail)}]}
        return JSONResponse(body, status_code=exc.status_code)


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
