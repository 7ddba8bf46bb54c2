"""The simulated day: deterministic, valid against the contracts, shaped like a contact centre,
and carrying exactly the problems its ground truth claims (checked with the real AutoQA)."""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import date
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.inbound import inbound_adapter
from services.ingest.domain.redact import redact
from services.scoring.domain.autoqa import auto_check
from services.scoring.settings import DEFAULT_STANDARDS
from services.scoring.standards_files import load_standards
from simulator.arrivals import curve
from simulator.day import Day, simulate
from simulator.model import default_centre
from simulator.scenarios import Scenarios
from tests.autoqa import encoder

DAY = date(2026, 11, 20)


@cache
def day(seed: int = 7) -> Day:
    return simulate(seed, DAY)


def interactions(d: Day) -> list[dict]:
    return [e["data"] for e in d.events if e["type"].endswith("interaction.completed")]


def test_same_seed_same_events_other_seed_other_events() -> None:
    again = simulate(7, DAY)
    assert json.dumps(again.events) == json.dumps(day().events)
    assert json.dumps(simulate(8, DAY).events) != json.dumps(day().events)


def test_every_event_is_valid_and_ids_are_unique() -> None:
    events = day().events
    for e in events:
        inbound_adapter.validate_python(e)
    assert len({e["id"] for e in events}) == len(events)
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 10_000))
def test_any_seed_gives_valid_events(seed: int) -> None:
    d = simulate(seed, DAY, scale=0.2, history_days=3)
    for e in d.events:
        inbound_adapter.validate_python(e)


def test_arrivals_follow_the_intraday_curve() -> None:
    per_hour = Counter(i["offered_at"][11:13] for i in interactions(day()))
    assert per_hour["10"] > 2 * per_hour["08"] and per_hour["10"] > 2 * per_hour["19"]
    assert curve(day().contacts[0].offered_at.replace(hour=10, minute=30)) > curve(
        day().contacts[0].offered_at.replace(hour=19, minute=30)
    )
    expected = sum(q.daily_volume for q in default_centre().queues)  # the curve's integral
    assert abs(len(interactions(day())) - expected) < 4 * expected**0.5
    assert 3_000 < expected < 5_000


def test_understaffed_interval_breaks_service_level_and_others_do_not() -> None:
    s = Scenarios()
    short = {t.isoformat().replace("+00:00", "Z")[:16] for t in s.understaffed(DAY)}
    by_interval: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for i in interactions(day()):
        if i["channel"] == "voice":
            minute = int(i["offered_at"][14:16]) // 15 * 15
            by_interval[(i["queue"], f"{i['offered_at'][:14]}{minute:02d}")].append(i)

    def service_level(rows: list[dict]) -> float:
        return sum(not r["abandoned"] and r["wait_seconds"] <= 20 for r in rows) / len(rows)

    for (queue, start), rows in by_interval.items():
        if queue == s.understaffed_queue and start in short:
            assert service_level(rows) < 0.6 and sum(r["abandoned"] for r in rows) >= 3
            assert len(rows) >= 20  # enough contacts for an interval alert
        elif len(rows) >= 20:
            assert service_level(rows) >= 0.8, (queue, start)


def test_abandonment_rises_where_staffing_was_cut() -> None:
    s = Scenarios()
    short = {t.isoformat().replace("+00:00", "Z")[:16] for t in s.understaffed(DAY)}
    there, elsewhere = [], []
    for i in interactions(day()):
        minute = int(i["offered_at"][14:16]) // 15 * 15
        cut = i["queue"] == s.understaffed_queue and f"{i['offered_at'][:14]}{minute:02d}" in short
        (there if cut else elsewhere).append(i["abandoned"])
    assert len(there) >= 60  # enough offered contacts for an interval alert (20 needed)
    assert statistics.mean(there) > 0.15 > 0.01 > statistics.mean(elsewhere)


def test_handle_times_are_right_skewed_and_fcr_realistic() -> None:
    talk = [i["talk_seconds"] for i in interactions(day()) if not i["abandoned"]]
    assert statistics.mean(talk) > statistics.median(talk)  # lognormal: a long right tail
    handled = [i for i in interactions(day()) if not i["abandoned"]]
    fcr = sum(bool(i["resolved_first_contact"]) for i in handled) / len(handled)
    assert 0.7 < fcr < 0.9
    customers = Counter(i["customer"]["customer_id"] for i in interactions(day()))
    assert any(n > 1 for n in customers.values())  # repeat contacts


def test_surveys_follow_how_the_contact_went() -> None:
    contacts = {i["interaction_id"]: i for i in interactions(day())}
    good, bad = [], []
    for e in day().events:
        if e["type"].endswith("survey.responded"):
            c = contacts[e["data"]["interaction_id"]]
            (bad if c["resolved_first_contact"] is False else good).append(e["data"]["csat"])
    assert 0.1 < (len(good) + len(bad)) / len(contacts) < 0.2
    assert statistics.mean(good) - statistics.mean(bad) > 0.6


def test_personal_data_is_there_for_ingest_to_redact() -> None:
    transcripts = [i["transcript"] for i in interactions(day()) if i.get("transcript")]
    changed = sum(redact(t) != t for t in transcripts)
    assert changed > len(transcripts) * 0.3
    assert all(i["customer"]["customer_id"].startswith("CUST-") for i in interactions(day()))


def test_autoqa_finds_the_same_after_ingest_redacts_the_transcript() -> None:
    """Scoring sees the redacted text: markers must not move a phrase out of its region."""
    card = load_standards(DEFAULT_STANDARDS).scorecard("core-qa")
    for i in interactions(day())[:1500]:
        if i.get("transcript"):
            raw, redacted = (
                auto_check(i["transcript"], card, encoder(), i["channel"]),
                auto_check(redact(i["transcript"]), card, encoder(), i["channel"]),
            )
            assert raw is not None and redacted is not None
            assert [c.answer for c in raw.criteria] == [c.answer for c in redacted.criteria]


@cache
def summary_misses() -> dict[str, tuple[int, int, int, int]]:
    """Per agent: (misses before 12:00, contacts before, misses after, contacts after)."""
    card = load_standards(DEFAULT_STANDARDS).scorecard("core-qa")
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for i in interactions(day()):
        if i.get("transcript"):
            result = auto_check(redact(i["transcript"]), card, encoder(), i["channel"])
            assert result is not None
            answers = {c.criterion_id: c.answer for c in result.criteria}
            assert answers["identity-verification"] == "yes"  # no unintended critical fails
            after = i["offered_at"][11:16] >= "12:00"
            row = out[i["agent_id"]]
            row[2 * after] += answers["summary"] == "no"
            row[2 * after + 1] += 1
    return {a: (r[0], r[1], r[2], r[3]) for a, r in out.items()}


def test_ground_truth_scenarios_hold_in_the_transcripts() -> None:
    s, misses = Scenarios(), summary_misses()
    systemic = [a for a in misses if a.startswith("north")][: s.systemic_agents]
    for agent in systemic:
        before, n_before, after, n_after = misses[agent]
        assert after / n_after > 0.8 and before / n_before < 0.1 and n_after >= 20
    coached = misses[s.coaching_agent]
    assert (coached[0] + coached[2]) / (coached[1] + coached[3]) > 0.7
    others = [a for a in misses if a not in systemic and a != s.coaching_agent]
    for agent in others:
        m = misses[agent]
        assert (m[0] + m[2]) / (m[1] + m[3]) < 0.1, agent


def test_complaint_spike_and_history() -> None:
    raised = [e["data"] for e in day().events if e["type"].endswith("complaint.raised")]
    today = Counter(c["category"] for c in raised if c["raised_at"].startswith(DAY.isoformat()))
    history = Counter(c["category"] for c in raised if not c["raised_at"].startswith(str(DAY)))
    assert today["billing-error"] >= 14 and today["data-privacy"] == 1
    assert history["billing-error"] / 14 < 3  # a quiet category usually
    assert len({c["raised_at"][:10] for c in raised}) == 15  # 14 days of history + the day
