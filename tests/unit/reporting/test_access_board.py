"""Who may read what (row scoping) and the dashboard's reading of KPIs against targets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.identity import Denied, Principal, Role, Scope
from runtime.identity.model import may_read, narrow
from services.reporting.domain.access import POLICY
from services.reporting.domain.board import queue_tiles, status

ids = st.one_of(st.none(), st.sampled_from(["a1", "a2", "t1", "t2"]))
AGENT = Principal("k1", Role.AGENT, "a1")
LEADER = Principal("k2", Role.TEAM_LEADER, "t1")
OPS = Principal("k3", Role.OPS_MANAGER, None)
BI = Principal("k4", Role.BI_READER, None)
KPIS = POLICY["reporting.kpis"]
RECORD = POLICY["reporting.evaluation"]


@given(team=ids, agent=ids)
def test_agents_and_leaders_never_widen_their_scope(team: str | None, agent: str | None) -> None:
    try:
        rows = narrow(AGENT, KPIS[Role.AGENT], team, agent)
        assert rows.agent_id == "a1"
    except Denied:
        assert agent not in (None, "a1")
    try:
        rows = narrow(LEADER, KPIS[Role.TEAM_LEADER], team, agent)
        assert rows.team_id == "t1" and rows.agent_id == agent
    except Denied:
        assert team not in (None, "t1")
    ops, bi = narrow(OPS, KPIS[Role.OPS_MANAGER], team, agent), narrow(BI, Scope.ALL, team, agent)
    assert ops == bi
    assert (ops.team_id, ops.agent_id) == (team, agent)


def test_single_records() -> None:
    def reads(p: Principal, agent: str, team: str | None) -> bool:
        scope = RECORD.get(p.role)
        return scope is not None and may_read(p, scope, agent, team)

    assert reads(AGENT, "a1", "t9") and not reads(AGENT, "a2", "t1")
    assert reads(LEADER, "a7", "t1") and not reads(LEADER, "a1", "t2")
    assert reads(OPS, "anyone", None) and not reads(BI, "a1", "t1")


def test_bi_reader_gets_aggregates_only_and_only_ops_and_admin_read_the_log() -> None:
    assert [e for e, grants in POLICY.items() if Role.BI_READER in grants] == [
        "reporting.kpis",
        "reporting.experience",
        "reporting.targets",
    ]
    assert set(POLICY["reporting.access_log"]) == {Role.OPS_MANAGER, Role.ADMIN}
    assert POLICY["reporting.evaluations"][Role.QA_EVALUATOR] is Scope.OWN


@pytest.mark.parametrize(
    ("kpi", "value", "target", "want"),
    [
        ("service_level_pct", 92.0, 80.0, "ok"),
        ("service_level_pct", 82.0, 80.0, "at_risk"),
        ("service_level_pct", 79.9, 80.0, "breach"),
        ("abandonment_pct", 2.0, 5.0, "at_risk"),
        ("abandonment_pct", 0.0, 10.0, "ok"),
        ("abandonment_pct", 6.0, 5.0, "breach"),
        ("service_level_pct", None, 80.0, "no_data"),
        ("service_level_pct", 50.0, None, "no_target"),
    ],
)
def test_status_against_target(
    kpi: str, value: float | None, target: float | None, want: str
) -> None:
    assert status(kpi, value, target) == want


def test_queue_tiles_pair_day_and_latest_interval_with_targets() -> None:
    day = {
        "billing": {
            "offered": 90,
            "service_level_pct": 70.0,
            "abandonment_pct": 4.0,
            "asa_seconds": 30.0,
            "aht_seconds": 300.0,
        }
    }
    latest = {
        "billing": {"service_level_pct": 95.0, "abandonment_pct": 0.0, "interval_start": "10:45"}
    }
    [tile] = queue_tiles(day, latest, {("billing", "service_level_pct"): 80.0})
    sl = tile["service_level_pct"]
    assert (sl["status"], sl["latest_status"], sl["latest_interval"]) == ("breach", "ok", "10:45")
    assert tile["abandonment_pct"]["status"] == "no_target"


def test_team_tile_reads_fcr_and_csat_against_the_centre_targets() -> None:
    from services.reporting.domain.board import team_tile

    tile = team_tile({"fcr_pct": 70.0, "csat_pct": 90.0}, {"fcr_pct": 75.0, "csat_pct": 85.0})
    assert (tile["fcr_status"], tile["fcr_target"]) == ("breach", 75.0)
    assert tile["csat_status"] == "ok"  # 5 points above the target: outside the at-risk band
    assert team_tile({"fcr_pct": None}, {})["fcr_status"] == "no_data"
