"""Parameter types and error documentation shared by the services' HTTP APIs.

Every value a handler hands to Postgres is bounded here first, so a client's mistake is a 422
naming the parameter, never a 500 from the database:
- text: Postgres `text` cannot hold U+0000; ids are also capped in length;
- offsets: a `bigint` overflows above 2^63-1 (and skipping millions of rows is no page anyway);
- instants and days: years 2000-2100, so `day + 1 day` or an offset of -14:00 cannot
  overflow Python's or Postgres's calendar.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, WithJsonSchema
from starlette.exceptions import HTTPException as StarletteHTTPException

MAX_OFFSET = 1_000_000
MIN_YEAR, MAX_YEAR = 2000, 2100
_NO_NUL = r"^[^\x00]*$"  # documented in OpenAPI; the validator gives the clearer message


def storable(value: str) -> str:
    """A validator: text Postgres and UTF-8 can hold (also for request bodies)."""
    if "\x00" in value:
        raise ValueError("must not contain a NUL character (U+0000)")
    try:  # a JSON body can carry a lone surrogate ("\\ud800"), which UTF-8 cannot encode
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must not contain a lone surrogate (not valid Unicode)") from None
    return value


def _sane_year(value: datetime | date) -> Any:
    # Checked on the value as written: converting 9999-12-31T23:59:59-14:00 to UTC overflows.
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


# Text for a path or query parameter (an id, a name, a filter value).
Text = Annotated[
    str,
    StringConstraints(max_length=256),
    AfterValidator(storable),
    WithJsonSchema({"type": "string", "maxLength": 256, "pattern": _NO_NUL}),
]
Instant = Annotated[datetime, AfterValidator(_sane_year)]
Day = Annotated[date, AfterValidator(_sane_year)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Limit1000 = Annotated[int, Query(ge=1, le=1000)]
Limit5000 = Annotated[int, Query(ge=1, le=5000)]


class FieldError(BaseModel):
    field: str
    reason: str


class Errors(BaseModel):
    """Every 4xx body: which field (or `(request)`) and why."""

    model_config = ConfigDict(extra="forbid")
    errors: list[FieldError]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route or router: the error statuses it may answer, with their body.
    422 replaces FastAPI's default `HTTPValidationError`, which is not what we send."""
    return {code: {"model": Errors} for code in (*codes, 422)}


CSV = {"text/csv": {"schema": {"type": "string"}}}


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
        # Headers such as WWW-Authenticate (401) and Retry-After (429) travel with the answer.
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
