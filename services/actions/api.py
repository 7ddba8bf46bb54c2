"""Actions HTTP API: list and read actions, move them along their lifecycle."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from contracts.actions import ActionStatus
from runtime.http import Limit1000, Offset, Text, errors
from services.actions import tracking
from services.actions.domain.lifecycle import TransitionError
from services.actions.schemas import Action, TransitionRequest

router = APIRouter(prefix="/v1/actions", tags=["actions"], responses=errors())
# GET /v1/actions → each action's own operations (OpenAPI links guide stateful clients).
LINKS = {
    "GetAction": {
        "operationId": "get_action",
        "parameters": {"action_id": "$response.body#/0/action_id"},
    },
    "TransitionAction": {
        "operationId": "transition_action",
        "parameters": {"action_id": "$response.body#/0/action_id"},
    },
}


def _error(status: int, field: str, reason: str) -> JSONResponse:
    return JSONResponse({"errors": [{"field": field, "reason": reason}]}, status_code=status)


@router.get("", response_model=list[Action], responses={200: {"links": LINKS}})
async def list_actions(
    request: Request,
    status: ActionStatus | None = None,
    kind: Text | None = None,
    scope_type: Text | None = None,
    scope_id: Text | None = None,
    limit: Limit1000 = 100,
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    rows = await request.app.state.pool.fetch(
        """SELECT * FROM actions.actions
           WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
             AND ($3::text IS NULL OR scope_type = $3) AND ($4::text IS NULL OR scope_id = $4)
           ORDER BY raised_at DESC, action_id LIMIT $5 OFFSET $6""",
        status.value if status else None,
        kind,
        scope_type,
        scope_id,
        limit,
        offset,
    )
    return [tracking.public(dict(r)) for r in rows]


@router.get("/{action_id}", response_model=Action, operation_id="get_action", responses=errors(404))
async def get_action(request: Request, action_id: Text) -> dict[str, Any] | JSONResponse:
    row = await request.app.state.pool.fetchrow(
        "SELECT * FROM actions.actions WHERE action_id = $1", action_id
    )
    if row is None:
        return _error(404, "action_id", "no such action")
    return tracking.public(dict(row))


@router.post(
    "/{action_id}/transitions",
    response_model=Action,
    operation_id="transition_action",
    responses=errors(400, 404, 409),
)
async def transition(
    request: Request, action_id: Text, body: TransitionRequest
) -> dict[str, Any] | JSONResponse:
    """Acknowledge, start, complete or cancel (with a reason) an action."""
    try:
        row = await tracking.transition(
            request.app.state.pool, action_id, body.status, body.by, body.reason
        )
    except tracking.UnknownAction:
        return _error(404, "action_id", "no such action")
    except TransitionError as err:
        return _error(409, "status", str(err))
    await tracking_flush(request)
    return tracking.public(row)


async def tracking_flush(request: Request) -> None:
    """Publish the transition's event now rather than at the next batch."""
    from services.actions.handlers import flush_outbox

    await flush_outbox(request.app.state.pool, request.app.state.broker)
