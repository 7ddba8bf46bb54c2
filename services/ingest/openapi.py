"""Ingest's OpenAPI document: request bodies are read by hand (per item, in any CloudEvents
content mode), so the inbound event schema is published explicitly."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from contracts.inbound import inbound_adapter
from services.ingest.domain.cloudevents import BATCH, JSON
from services.ingest.domain.cloudevents import STRUCTURED as EVENT

_EVENT = {"$ref": "#/components/schemas/InboundEvent"}
_BATCH = {"type": "array", "maxItems": 1000, "items": _EVENT}
# Binary content mode (attributes in ce-* headers, the body is the data) is accepted as well;
# OpenAPI cannot tie a body to headers, so the operations' descriptions say so.
EVENT_BODY = {
    "requestBody": {"required": True, "content": {t: {"schema": _EVENT} for t in (JSON, EVENT)}},
    "responses": {
        "409": {
            "description": "The event id belongs to another source (the first to report it): "
            '`{"errors": [{"field": "id", "reason": "..."}]}`. Its owner may resend it.'
        }
    },
}
BATCH_BODY = {
    "requestBody": {"required": True, "content": {t: {"schema": _BATCH} for t in (JSON, BATCH)}}
}


def document_bodies(app: FastAPI) -> None:
    """Publish the inbound event schema in OpenAPI (bodies are parsed by hand, per item)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            inbound = inbound_adapter.json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(inbound.pop("$defs", {}))
            components["InboundEvent"] = inbound
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
