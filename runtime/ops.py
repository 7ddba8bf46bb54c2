"""Every service's operational endpoints: liveness, readiness (Kafka, Postgres, no stuck
consumer), per consumer group progress, and the AsyncAPI document."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from runtime.health import Progress, report
from runtime.http import errors
from runtime.identity import Role, grants, guard
from runtime.settings import CommonSettings

ops = APIRouter(tags=["ops"])
# Probes (/health, /ready) and the AsyncAPI document carry no data and stay open; consumer
# progress names topics, groups and errors: operators only.
OPS_POLICY = {"ops.consumers": grants(Role.OPS_MANAGER, Role.ADMIN)}
require = guard(OPS_POLICY)


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


@ops.get(
    "/health/consumers",
    dependencies=[Depends(require("ops.consumers"))],
    responses={**errors(401, 403), 503: {"description": "a consumer group is stuck"}},
)
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
