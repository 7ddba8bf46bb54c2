"""What every service process shares: a FastStream `KafkaBroker` run inside a FastAPI app's
lifespan (FastStream's own FastAPI integration is deprecated upstream), health and readiness
endpoints, the AsyncAPI document generated from the broker, and the uvicorn entry point."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

import asyncpg
import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from contracts import topics
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
    """Readiness: Kafka answers, and Postgres too where the service uses it."""
    checks: dict[str, str] = {}
    kafka_ok = await request.app.state.broker.ping(timeout=2.0)
    checks["kafka"] = "ok" if kafka_ok else "unreachable"
    pool: asyncpg.Pool | None = getattr(request.app.state, "pool", None)
    if pool is not None:
        try:
            await pool.fetchval("SELECT 1", timeout=2.0)
            checks["postgres"] = "ok"
        except Exception:  # any failure means not ready
            checks["postgres"] = "unreachable"
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(checks, status_code=200 if ok else 503)


@ops.get("/asyncapi.json")
async def asyncapi(request: Request) -> Any:
    """The service's AsyncAPI 3 document, generated from its FastStream broker."""
    return request.app.state.asyncapi.to_specification().to_jsonable()


def service_app(
    service: str,
    settings: CommonSettings,
    *,
    setup: Callable[[KafkaBroker, dict[str, Any]], None],
    startup: Startup | None = None,
    shutdown: Startup | None = None,
    description: str = "",
) -> FastAPI:
    """Build a service: `setup` registers subscribers on the broker; `startup` runs after the
    topics exist and before the broker starts consuming (migrations, pools)."""
    log = configure(service, settings.log_level)
    broker = make_broker(settings.kafka_bootstrap_servers, service, settings.graceful_timeout_s)
    state: dict[str, Any] = {"log": log}
    setup(broker, state)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.create_topics:
            await ensure_topics(settings.kafka_bootstrap_servers, topics.ALL)
        if startup is not None:
            await startup(app)
            state["pool"] = getattr(app.state, "pool", None)
        await broker.start()
        log.info("started", extra={"service": service})
        try:
            yield
        finally:
            await broker.stop()  # waits for in-flight batches (graceful_timeout)
            if shutdown is not None:
                await shutdown(app)
            log.info("stopped", extra={"service": service})

    app = FastAPI(
        title=f"QualityLoop {service}", version="1", description=description, lifespan=lifespan
    )
    app.state.settings, app.state.broker, app.state.service_state = settings, broker, state
    app.state.asyncapi = AsyncAPI(broker, title=f"QualityLoop {service}", version="1")
    app.include_router(ops)
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
