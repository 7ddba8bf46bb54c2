"""The AutoQA trust gate end to end, through the real scoring and actions consumers on the
real broker and a database of its own (gates are per criterion: nothing else may move them).

Interactions are scored automatically and then evaluated by a human; each makes a pair for
identity verification (a critical criterion). Agreeing pairs open the gate, and an interaction
failing identity verification raises a critical-breach coaching action and alert. Pairs where
the automated check fails what the human passed close it: the next failures raise nothing
(their answers are published marked `verified: false`). Agreeing pairs again reopen it, and
failures raise again. Every change of state is an `autoqa.gate_changed` event on ql.scores,
and `GET /v1/autoqa/gate` shows the state with its statistics."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from contracts import topics
from contracts.gates import GateState
from services.actions.app import build as build_actions
from services.actions.settings import ActionsSettings
from services.scoring.app import build as build_scoring
from services.scoring.settings import ScoringSettings
from tests import databases
from tests import factories as f
from tests.canonical_events import publish_canonical
from tests.conftest import Servers
from tests.kafka_helpers import skip_backlog
from tests.processes import ops_headers
from tests.topic_reader import end_offsets, read_from

CRITERION = "identity-verification"
# The same call, with and without the agent verifying the customer before the account.
VERIFIED = (
    "Agent: Good morning, thank you for calling, my name is Sam. "
    "Customer: Hi, I was charged twice on my card. "
    "Agent: I'm sorry to hear that. Can you confirm your date of birth for me? "
    "Customer: 1st of May 1980. Agent: Thank you. I've refunded the duplicate charge. "
    "To summarise, the refund takes 3 to 5 days. Is there anything else I can help with?"
)
UNVERIFIED = (
    "Agent: Good morning, thank you for calling, my name is Sam. "
    "Customer: Hi, I was charged twice on my card. "
    "Agent: I'm sorry to hear that. I've refunded the duplicate charge on your account. "
    "To summarise, the refund takes 3 to 5 days. Is there anything else I can help with?"
)
MIN_PAIRS = 20


@pytest.fixture(scope="module")
def gate_db(servers: Servers) -> str:
    return databases.fresh_database(servers.admin_url, "ql_gate")


@pytest.fixture(scope="module")
async def platform(servers: Servers, gate_db: str) -> AsyncIterator[tuple[Any, Any]]:
    await skip_backlog(servers.kafka, "qualityloop-scoring", [t.name for t in topics.CANONICAL])
    await skip_backlog(servers.kafka, "qualityloop-actions", [topics.SCORES.name])
    common = {"kafka_bootstrap_servers": servers.kafka, "database_url": gate_db}
    scoring = build_scoring(
        ScoringSettings(
            **common,
            batch_timeout_ms=50,
            autoqa_gate_min_pairs=MIN_PAIRS,
            autoqa_gate_window_pairs=MIN_PAIRS,
            autoqa_gate_kappa_bar=0.6,
        )
    )
    actions = build_actions(ActionsSettings(**common, batch_timeout_ms=50))
    async with (
        scoring.router.lifespan_context(scoring),
        actions.router.lifespan_context(actions),
    ):
        yield scoring, actions


class Run:
    """One run's ids and clock: each pair's human evaluation a minute after the last."""

    def __init__(self, servers: Servers, scoring: Any, actions: Any) -> None:
        self.kafka = servers.kafka
        self.scoring: asyncpg.Pool = scoring.state.pool
        self.actions: asyncpg.Pool = actions.state.pool
        self.tag = uuid.uuid4().hex[:8]
        self.fed = 0

    async def pairs(self, kinds: str) -> None:
        """`a` both pass, `b` both fail, `f` automated fail where the human passed; returns
        once every pair is recorded (and the gate re-judged, in the same transaction)."""
        raws = []
        for k in kinds:
            n, self.fed = self.fed, self.fed + 1
            iid, agent = f"{self.tag}-i{n}", f"{self.tag}-pair{n}"
            at = f.T0 + timedelta(minutes=n)
            raws.append(
                f.interaction(
                    agent=agent,
                    interaction_id=iid,
                    offered=at,
                    transcript=VERIFIED if k == "a" else UNVERIFIED,
                )
            )
            raws.append(
                f.evaluation(
                    agent=agent,
                    interaction_id=iid,
                    at=at + timedelta(hours=1),
                    answers={CRITERION: "no" if k == "b" else "yes"},
                )
            )
        await publish_canonical(self.kafka, raws)
        for _ in range(240):
            if await self.paired() >= self.fed:
                return
            await asyncio.sleep(0.25)
        raise AssertionError(f"{self.fed} pairs sent, {await self.paired()} recorded")

    async def paired(self) -> int:
        return int(
            await self.scoring.fetchval(
                "SELECT count(*) FROM scoring.criterion_answers WHERE criterion_id = $1 "
                "AND auto_answer IS NOT NULL AND human_answer IS NOT NULL "
                "AND interaction_id LIKE $2",
                CRITERION,
                f"{self.tag}-%",
            )
        )

    async def state(self) -> GateState | None:
        found = await self.scoring.fetchval(
            "SELECT state FROM scoring.autoqa_gates WHERE criterion_id = $1", CRITERION
        )
        return GateState(found) if found else None

    async def feed_until(self, kinds: str, want: GateState, most: int) -> int:
        """Feed pairs of `kinds` until the gate is `want`; returns how many were fed."""
        fed = 0
        while fed < most:
            await self.pairs(kinds)
            fed += len(kinds)
            if await self.state() is want:
                return fed
        raise AssertionError(f"gate not {want} after {fed} pairs: {await self.state()}")

    async def probe(self, name: str) -> dict[str, Any]:
        """An interaction failing identity verification, for an agent of its own; returns
        what actions made of it once it applied it: its action and alert (or None), and the
        scored event's `verified` mark for the criterion."""
        agent, iid = f"{self.tag}-{name}", f"{self.tag}-{name}-call"
        start = await end_offsets(self.kafka, topics.SCORES.name)
        at = f.T0 + timedelta(minutes=self.fed)
        await publish_canonical(
            self.kafka,
            [f.interaction(agent=agent, interaction_id=iid, offered=at, transcript=UNVERIFIED)],
        )
        (record,) = await read_from(self.kafka, start, 1, iid, wait_s=60)
        scored = json.loads(record.value)
        (result,) = [
            c for c in scored["data"]["auto_qa"]["criteria"] if c["criterion_id"] == CRITERION
        ]
        assert result["answer"] == "no" and result["automated"]
        for _ in range(240):  # its observations, actions and alerts commit together
            if await self.actions.fetchval(
                "SELECT count(*) FROM actions.observations WHERE evidence_id = $1", iid
            ):
                break
            await asyncio.sleep(0.25)
        else:
            raise AssertionError(f"actions never applied {iid}")
        action = await self.actions.fetchrow(
            "SELECT * FROM actions.actions WHERE scope_id = $1", agent
        )
        alert = await self.actions.fetchrow(
            "SELECT * FROM actions.alerts WHERE scope_id = $1", agent
        )
        return {"verified": result["verified"], "action": action, "alert": alert}


async def test_disagreeing_criterion_is_gated_and_ungated_when_agreement_returns(
    platform: tuple[Any, Any], servers: Servers, gate_db: str
) -> None:
    scoring, actions = platform
    run = Run(servers, scoring, actions)
    start = await end_offsets(servers.kafka, topics.SCORES.name)

    # Never measured: unverified by default, so nothing is raised from it.
    cold = await run.probe("cold")
    assert cold["verified"] is False and cold["action"] is None and cold["alert"] is None

    # Agreement (both sides pass, or both fail) on enough pairs opens the gate.
    assert await run.feed_until("ab", GateState.TRUSTED, most=40) == MIN_PAIRS
    opened = await run.probe("trusted")
    assert opened["verified"] is True
    assert opened["action"]["rule_id"] == "critical-breach"
    assert opened["alert"]["kind"] == "critical_breach"

    # AutoQA fails what the human evaluator passed: the gate closes within a few pairs...
    closing = await run.feed_until("f", GateState.UNVERIFIED, most=MIN_PAIRS)
    assert closing <= 5
    # ...and the next failures of that criterion raise no action and no alert.
    for n in range(2):
        gated = await run.probe(f"gated{n}")
        assert gated["verified"] is False
        assert gated["action"] is None and gated["alert"] is None

    # Agreement returns: once the disagreements leave the window, the gate reopens...
    assert await run.feed_until("ab", GateState.TRUSTED, most=2 * MIN_PAIRS) <= MIN_PAIRS
    # ...and failures raise again.
    reopened = await run.probe("reopened")
    assert reopened["verified"] is True
    assert reopened["action"]["rule_id"] == "critical-breach"
    assert reopened["alert"]["kind"] == "critical_breach"

    # Each change of state was an event on ql.scores, in order, keyed by the criterion.
    changes = await read_from(servers.kafka, start, 3, "autoqa.gate_changed", wait_s=30)
    events = [json.loads(r.value) for r in changes]
    assert [(e["data"]["previous"], e["data"]["state"]) for e in events] == [
        ("unverified", "trusted"),
        ("trusted", "unverified"),
        ("unverified", "trusted"),
    ]
    assert {r.key for r in changes} == {CRITERION.encode()}
    closed = events[1]["data"]["agreement"]
    assert (
        closed["false_fail"] >= 1
        and closed["kappa_low"] < 0.6 <= events[2]["data"]["agreement"]["kappa_low"]
    )

    # The API shows the gate with its statistics, from when it reopened.
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=scoring),
        base_url="http://s",
        headers=await ops_headers(gate_db),
    ) as http:
        body = (await http.get("/v1/autoqa/gate")).json()
    assert body["rule"]["kappa_bar"] == 0.6 and body["rule"]["min_pairs"] == MIN_PAIRS
    gate = next(c for c in body["criteria"] if c["criterion_id"] == CRITERION)
    assert gate["state"] == "trusted"
    assert gate["since"] == events[2]["data"]["since"]
    a = gate["agreement"]
    assert a["pairs"] == MIN_PAIRS and a["kappa_low"] >= 0.6
    assert a["kappa_low"] <= a["kappa"] <= a["kappa_high"]
    assert {"false_pass_rate", "false_pass_low", "false_fail_rate", "false_fail_high"} <= set(a)
    others = [c for c in body["criteria"] if c["criterion_id"] != CRITERION]
    assert others and all(c["state"] == "unverified" for c in others)  # never paired
