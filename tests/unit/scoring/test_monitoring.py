"""Monitoring plans: reproducible random draws, stratified quotas, risk picks in their own
quota, coverage of teams and channels."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from contracts.inbound import inbound_adapter
from contracts.interactions import InteractionCompleted
from contracts.scores import AssignmentReason, InteractionScored, OperationalResult, QaResult
from services.scoring.domain.monitoring import Plan, candidate, draw, iso_week, select
from tests import factories as f

PLAN = Plan(
    id="p", channels=("voice", "chat"), evaluations_per_agent_per_week=4, sample_rate=0.5, seed=7
)


def scored(
    n: int,
    agent: str = "a1",
    channel: str = "voice",
    auto: float | None = None,
    talk: float = 200,
    team: str = "team-a",
) -> InteractionScored:
    raw = f.interaction(
        agent=agent,
        channel=channel,
        talk=talk,
        team=team,
        offered=f.T0 + timedelta(minutes=n),
        interaction_id=f"i-{agent}-{n}",
    )
    i = InteractionCompleted.model_validate(
        inbound_adapter.validate_python(raw).data.model_dump() | {"customer": None}
    )
    op = OperationalResult(
        sl_threshold_seconds=20,
        sl_variant="offered",
        counts_as_offered=True,
        answered_within_threshold=True,
        handle_seconds=i.handle_seconds,
        aht_band="normal",
        transferred=False,
        resolved_first_contact=True,
    )
    qa = (
        None
        if auto is None
        else QaResult(
            scorecard_id="c",
            scorecard_version="v",
            score=auto,
            critical_failed=False,
            automated=True,
            sections=(),
            criteria=(),
        )
    )
    return InteractionScored(
        source_event_id="e", standard_version="s", interaction=i, operational=op, auto_qa=qa
    )


@given(st.integers(), st.text(min_size=1, max_size=20))
def test_draw_is_reproducible_and_uniform_range(seed: int, iid: str) -> None:
    assert draw(seed, iid) == draw(seed, iid) and 0 <= draw(seed, iid) < 1


def test_random_sample_rate_is_roughly_honoured() -> None:
    hits = sum(draw(7, f"i-{n}") < 0.2 for n in range(10_000))
    assert 1_800 < hits < 2_200


def test_stratified_quota_per_channel_and_week() -> None:
    cands = [
        c
        for n in range(200)
        for ch in ("voice", "chat")
        if (c := candidate(PLAN, scored(n, channel=ch)))
    ]
    picked = select({"p": PLAN}, cands, {})
    by_channel = {ch: sum(1 for c in picked if c.channel == ch) for ch in ("voice", "chat")}
    assert by_channel == {"voice": 2, "chat": 2}  # 4 per week split across 2 channels
    assert {c.week for c in picked} == {iso_week(f.T0)}


def test_quota_counts_what_is_already_assigned() -> None:
    cands = [c for n in range(100) if (c := candidate(PLAN, scored(n)))]
    already = {("p", "a1", iso_week(f.T0), "voice"): 2}
    assert select({"p": PLAN}, cands, already) == []


def test_risk_picks_have_their_own_quota() -> None:
    cands = [c for n in range(20) if (c := candidate(PLAN, scored(n, auto=40)))]
    assert all(c.reason is AssignmentReason.LOW_AUTO_SCORE for c in cands)
    picked = select({"p": PLAN}, cands, {})
    assert len(picked) == PLAN.risk.per_agent_per_week
    long_call = candidate(PLAN, scored(999, talk=3000))
    assert long_call is not None and long_call.reason is AssignmentReason.LONG_HANDLE


def test_plan_scope_excludes_other_channels_teams_and_abandons() -> None:
    only_team_b = PLAN.model_copy(update={"teams": ("team-b",), "sample_rate": 1.0})
    assert candidate(only_team_b, scored(1)) is None
    assert candidate(only_team_b, scored(1, team="team-b")) is not None
    assert (
        candidate(PLAN.model_copy(update={"sample_rate": 1.0}), scored(1, channel="email")) is None
    )
