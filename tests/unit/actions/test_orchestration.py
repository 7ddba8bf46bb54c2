"""The batch orchestration (alerts, record -> load -> decide -> save) over the in-memory store:
no Kafka, no Postgres. A team pattern raises one improvement action with its outboxed event and
a replay raises nothing; repeats count on an open incident; interval counters add up across
batches and close the incident when back on target; a complaint spike raises an alert, a webhook
delivery and a root-cause action; the edge loads exactly what the rules need."""

from __future__ import annotations

from datetime import timedelta

from contracts import topics
from services.actions.domain.engine import Need, needs
from services.actions.domain.observation import observe_all
from services.actions.handlers import apply_events
from services.actions.rules_file import load_rules
from services.actions.settings import DEFAULT_RULES, ActionsSettings
from tests.factories import T0
from tests.fakes_actions import FakeStore, complaint_scored, interaction_scored

RULES = load_rules(DEFAULT_RULES)
HOOK = "http://127.0.0.1:9/hook"
SETTINGS = ActionsSettings(alert_min_offered=10, alert_webhooks=(HOOK,))


def team_pattern(team: str = "team-n") -> list[object]:
    """4 agents whose calls miss the summary 3 times in 4: a team-wide pattern."""
    return [
        interaction_scored(
            agent=f"{team}-a{a}",
            team=team,
            offered=T0 + timedelta(minutes=n),
            summary_ok=n % 4 == 0,
        )
        for a in range(4)
        for n in range(20)
    ]


async def test_team_pattern_raises_one_improvement_and_a_replay_nothing() -> None:
    store, batch = FakeStore(), team_pattern()
    assert await apply_events(store, batch, RULES, SETTINGS) == 1
    (action,) = store.actions.rows.values()
    assert (action["kind"], action["scope_type"], action["scope_id"]) == (
        "improvement",
        "team",
        "team-n",
    )
    (event,) = store.outbox.events(topics.ACTIONS.name)
    assert event["type"].endswith("action.raised") and event["id"] == action["action_id"]
    assert len(store.observations.rows) == len(observe_all(batch))
    assert await apply_events(store, batch, RULES, SETTINGS) == 0  # same ids: nothing new
    assert len(store.outbox.rows) == 1 and len(store.actions.rows) == 1


async def test_repeated_critical_breach_counts_on_one_incident_and_one_action() -> None:
    store = FakeStore()
    first = [interaction_scored(agent="a1", critical_failed=True)]
    later = [interaction_scored(agent="a1", critical_failed=True, offered=T0 + timedelta(hours=1))]
    assert await apply_events(store, first, RULES, SETTINGS) == 1
    assert await apply_events(store, later, RULES, SETTINGS) == 0  # one open per rule and scope
    (incident,) = store.alerts.incidents.values()
    assert incident["kind"] == "critical_breach" and incident["occurrences"] == 2
    assert len(store.outbox.events(topics.ALERTS.name)) == 1
    assert [d["url"] for d in store.deliveries.rows.values()] == [HOOK]
    (action,) = store.actions.rows.values()
    assert action["rule_id"] == "critical-breach" and action["scope_id"] == "a1"


async def test_interval_counts_add_up_across_batches_and_recovery_closes_the_incident() -> None:
    store = FakeStore()

    def contacts(start: int, wait: float, at: timedelta = timedelta()) -> list[object]:
        offered = T0 + at
        return [
            interaction_scored(
                queue="q",
                wait=wait,
                offered=offered + timedelta(seconds=start + n),
                targets=(80, 5),
            )
            for n in range(6)
        ]

    await apply_events(store, contacts(0, wait=90), RULES, SETTINGS)
    assert not store.alerts.incidents  # 6 contacts: fewer than alert_min_offered
    await apply_events(store, contacts(10, wait=90), RULES, SETTINGS)
    (incident,) = store.alerts.incidents.values()
    assert incident["kind"] == "service_level" and incident["scope_id"] == "q"
    assert incident["observed"] == 0 and incident["resolved_at"] is None
    await apply_events(store, contacts(0, wait=5, at=timedelta(minutes=15)), RULES, SETTINGS)
    await apply_events(store, contacts(10, wait=5, at=timedelta(minutes=15)), RULES, SETTINGS)
    assert incident["resolved_at"] is not None  # the next interval is back on target
    assert len(store.alerts.incidents) == 1


async def test_complaint_spike_raises_alert_delivery_and_root_cause_action() -> None:
    store = FakeStore()
    history = [complaint_scored("billing-error", T0 - timedelta(days=d)) for d in range(1, 8)]
    await apply_events(store, history, RULES, SETTINGS)
    assert not store.alerts.incidents
    today = [complaint_scored("billing-error", T0 + timedelta(minutes=n)) for n in range(12)]
    assert await apply_events(store, today, RULES, SETTINGS) == 1
    (incident,) = store.alerts.incidents.values()
    assert incident["kind"] == "complaint_spike" and incident["observed"] == 12
    (action,) = store.actions.rows.values()
    assert (action["rule_id"], action["kind"], action["scope_type"]) == (
        "complaint-spike",
        "improvement",
        "complaint_category",
    )
    assert len(store.deliveries.rows) == 1
    topics_out = [r.topic for _, r in store.outbox.rows]
    assert topics_out == [topics.ALERTS.name, topics.ACTIONS.name]  # the alert, then its action


async def test_the_edge_loads_exactly_what_the_rules_need() -> None:
    store = FakeStore()
    batch = [interaction_scored(agent="a1", team="t1"), interaction_scored(agent="a2", team="t2")]
    await apply_events(store, batch, RULES, SETTINGS)
    wanted = needs(RULES, observe_all(batch))
    assert store.observations.loaded == wanted
    # fcr flags only (no automated QA): the fcr rule, judged per team, agents' last 2 windows
    assert wanted == [Need("fcr", "team_id", ("t1", "t2"), 80, per_agent=True)]
    store.observations.loaded.clear()
    await apply_events(store, [complaint_scored("c", T0)], RULES, SETTINGS)
    assert store.observations.loaded == []  # no observations: nothing to load
