"""The read API's guard: every route names its endpoint in reporting's policy
(`domain.access.POLICY`); tokens and JWTs are the shared identity kit's."""

from __future__ import annotations

from runtime.identity import Requirement, guard
from services.reporting.domain.access import POLICY

require = guard(POLICY)


def allow(endpoint: str) -> Requirement:
    """`Depends(allow("kpis"))`: the caller (principal + scope) for reporting's `endpoint`."""
    return require(f"reporting.{endpoint}")
