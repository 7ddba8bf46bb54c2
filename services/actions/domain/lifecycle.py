"""Action lifecycle: raised → acknowledged → in progress → done → evaluated, or cancelled
with a reason from any open state. Pure."""

from __future__ import annotations

from contracts.actions import ActionStatus as S

OPEN = frozenset({S.RAISED, S.ACKNOWLEDGED, S.IN_PROGRESS})
CLOSED = frozenset({S.DONE, S.EVALUATED, S.CANCELLED})

NEXT: dict[S, frozenset[S]] = {
    S.RAISED: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.CANCELLED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.DONE, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.DONE, S.CANCELLED}),
    S.DONE: frozenset(),  # evaluated only by the impact evaluation, never by hand
    S.EVALUATED: frozenset(),
    S.CANCELLED: frozenset(),
}


class TransitionError(ValueError):
    pass


def check(current: S, target: S, reason: str | None) -> None:
    if target not in NEXT[current]:
        allowed = ", ".join(sorted(NEXT[current])) or "none (closed)"
        raise TransitionError(f"cannot go from {current} to {target}; allowed: {allowed}")
    if target is S.CANCELLED and not (reason and reason.strip()):
        raise TransitionError("cancelling needs a reason")
