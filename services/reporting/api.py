"""Reporting's HTTP edge: the read side's routers (`read/`), mounted by `app.py`."""

from __future__ import annotations

from fastapi import APIRouter

from services.reporting.read import dashboard, experience, kpis, records

router = APIRouter()
for part in (kpis, experience, records, dashboard):
    router.include_router(part.router)
