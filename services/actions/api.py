"""Actions HTTP API: list and read actions, move them along their lifecycle."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from contracts.actions import ActionStatus
from runtime.http import Limit1000, Offset, Text, errors
from services.actions import tracking
from services.actions.domain.lifecycle import CLOSED, TransitionError
from services.actions.handlers import flush_outbox
from services.actions.schemas import Action, TransitionRequest
from services.actions.store import Store

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
    rows = await Store.on(request.app.state.pool).actions.search(
        status.value if status else None, kind, scope_type, scope_id, limit, offset
    )
    return [public(r) for r in rows]


@router.get("/{action_id}", response_model=Action, operation_id="get_action", responses=errors(404))
async def get_action(request: Request, action_id: Text) -> dict[str, Any] | JSONResponse:
    row = await Store.on(request.app.state.pool).actions.get(action_id)
    if row is None:
        return _error(404, "action_id", "no such action")
    return public(row)


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
    # Publish the transition's event now rather than at the next batch.
    await flush_outbox(request.app.state.pool, request.app.state.broker)
    return public(row)


def public(row: dict[str, Any]) -> dict[str, Any]:
    """An action row as the API shows it."""
    out = {k: v for k, v in row.items() if k not in ("payload", "evaluation")}
    out["details"] = json.loads(row["payload"]) if row.get("payload") else None
    out["evaluation"] = json.loads(row["evaluation"]) if row.get("evaluation") else None
    out["open"] = ActionStatus(row["status"]) not in CLOSED
    return out
