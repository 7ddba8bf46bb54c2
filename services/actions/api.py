"""Actions HTTP API: list and read actions, move them along their lifecycle.

Every call names its endpoint in `domain.access.POLICY`; rows are narrowed to the caller's
scope, every coaching action served is access-logged (it is about one person), and a
transition records who made it from the token, never from the body."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from contracts.actions import ActionStatus
from runtime.http import Limit1000, Offset, Text, errors
from runtime.identity import Caller, Denied, guard
from runtime.identity.store import log_access
from services.actions import tracking
from services.actions.domain.access import POLICY
from services.actions.domain.lifecycle import CLOSED, TransitionError
from services.actions.handlers import flush_outbox
from services.actions.names import SERVICE
from services.actions.schemas import Action, TransitionRequest
from services.actions.store import Store

router = APIRouter(prefix="/v1/actions", tags=["actions"], responses=errors(401, 403))
require = guard(POLICY)
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
    caller: Annotated[Caller, Depends(require("actions.list"))],
    status: ActionStatus | None = None,
    kind: Text | None = None,
    scope_type: Text | None = None,
    scope_id: Text | None = None,
    limit: Limit1000 = 100,
    offset: Offset = 0,
    team_id: Text | None = None,
) -> list[dict[str, Any]]:
    """Actions the caller may see, newest first: an agent's coaching, a team's actions, all."""
    try:
        rows_of = caller.rows(team_id)
    except Denied as exc:
        raise HTTPException(403, str(exc)) from None
    pool = request.app.state.pool
    rows = await Store.on(pool).actions.search(
        status.value if status else None,
        kind,
        scope_type,
        scope_id,
        limit,
        offset,
        rows_of.team_id,
        rows_of.agent_id,
    )
    await _log_coaching(request, caller, rows)
    return [public(r) for r in rows]


@router.get("/{action_id}", response_model=Action, operation_id="get_action", responses=errors(404))
async def get_action(
    request: Request,
    action_id: Text,
    caller: Annotated[Caller, Depends(require("actions.get"))],
) -> dict[str, Any] | JSONResponse:
    row = await Store.on(request.app.state.pool).actions.get(action_id)
    # Someone else's action answers like a missing one: no confirming it exists.
    if row is None or not _visible(caller, row):
        return _error(404, "action_id", "no such action")
    await _log_coaching(request, caller, [row])
    return public(row)


@router.post(
    "/{action_id}/transitions",
    response_model=Action,
    operation_id="transition_action",
    responses=errors(400, 404, 409),
)
async def transition(
    request: Request,
    action_id: Text,
    body: TransitionRequest,
    caller: Annotated[Caller, Depends(require("actions.transition"))],
) -> dict[str, Any] | JSONResponse:
    """Acknowledge, start, complete or cancel (with a reason) an action; `by` is the token's
    holder. A team leader moves their own team's actions only."""
    pool = request.app.state.pool
    found = await Store.on(pool).actions.get(action_id)
    if found is None or not _visible(caller, found):
        return _error(404, "action_id", "no such action")
    try:
        row = await tracking.transition(
            pool, action_id, body.status, caller.principal.actor, body.reason
        )
    except tracking.UnknownAction:
        return _error(404, "action_id", "no such action")
    except TransitionError as err:
        return _error(409, "status", str(err))
    # Publish the transition's event now rather than at the next batch.
    await flush_outbox(request.app.state.pool, request.app.state.broker)
    return public(row)


def _visible(caller: Caller, row: dict[str, Any]) -> bool:
    agent = row["scope_id"] if row["scope_type"] == "agent" else None
    return caller.may_read(agent, row["team_id"])


async def _log_coaching(request: Request, caller: Caller, rows: list[dict[str, Any]]) -> None:
    """Coaching actions are individual records: each one served is logged first."""
    personal = [(r["action_id"], r["scope_id"]) for r in rows if r["scope_type"] == "agent"]
    await log_access(
        request.app.state.pool,
        caller.principal,
        SERVICE,
        "coaching_action",
        personal,
        request.url.path,
    )


def public(row: dict[str, Any]) -> dict[str, Any]:
    """An action row as the API shows it."""
    out = {k: v for k, v in row.items() if k not in ("payload", "evaluation")}
    out["details"] = json.loads(row["payload"]) if row.get("payload") else None
    out["evaluation"] = json.loads(row["evaluation"]) if row.get("evaluation") else None
    out["open"] = ActionStatus(row["status"]) not in CLOSED
    return out
