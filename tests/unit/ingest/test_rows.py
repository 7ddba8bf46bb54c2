"""Backfill row mapping: CSV cells and JSON Lines objects become valid inbound events with
deterministic ids; bad rows are refused with the field named."""

from __future__ import annotations

import json
from pathlib import Path

from contracts.envelope import derived_event_id
from contracts.inbound import inbound_adapter
from runtime.kafka import Outgoing
from services.ingest.backfill import convert, read_rows
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.domain.rows import row_to_event
from tests import factories as f

P = Pseudonymiser("k1", b"s")
ROW = {
    "interaction_id": "i-1",
    "channel": "voice",
    "queue": "billing",
    "agent_id": "a1",
    "team_id": "",
    "customer_id": "C9",
    "customer_email": "x@example.com",
    "offered_at": "2026-11-20T09:00:00Z",
    "answered_at": "2026-11-20T09:00:10Z",
    "ended_at": "2026-11-20T09:05:00Z",
    "wait_seconds": "10",
    "talk_seconds": "200",
    "transferred": "no",
    "abandoned": "FALSE",
    "resolved_first_contact": "1",
}
TYPE = "io.qualityloop.interaction.completed"


def test_csv_row_maps_to_a_valid_event_with_a_deterministic_id() -> None:
    event = inbound_adapter.validate_python(row_to_event(ROW, TYPE))
    assert event.id == derived_event_id("backfill", TYPE, "i-1")
    assert event.data.team_id is None  # empty cell = absent
    assert event.data.resolved_first_contact is True and event.data.transferred is False
    assert event.data.customer.customer_id == "C9"
    assert str(event.time.isoformat()).startswith("2026-11-20T09:05")


def test_evaluation_answer_columns() -> None:
    row = {
        "evaluation_id": "e1",
        "interaction_id": "i1",
        "agent_id": "a",
        "evaluator_id": "q",
        "method": "call_listening",
        "scorecard_id": "core-qa",
        "evaluated_at": "2026-11-20T10:00:00Z",
        "answer:greeting": "yes",
        "answer:tone": "3",
    }
    event = inbound_adapter.validate_python(
        row_to_event(row, "io.qualityloop.evaluation.submitted")
    )
    assert {(a.criterion_id, a.answer) for a in event.data.answers} == {
        ("greeting", "yes"),
        ("tone", 3),
    }


def test_bad_row_is_refused_naming_the_field() -> None:
    errors = convert({**ROW, "wait_seconds": "soon"}, TYPE, "/s", P)
    assert isinstance(errors, list) and errors[0]["field"] == "data.wait_seconds"


def test_good_row_is_canonical_and_pseudonymised() -> None:
    out = convert(ROW, TYPE, "/export", P)
    assert isinstance(out, Outgoing)
    assert b"C9" not in out.value and b"x@example.com" not in out.value


def test_json_lines_carry_rows_or_whole_events(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    whole = f.interaction()
    path.write_text(json.dumps(ROW) + "\n" + json.dumps(whole) + "\n{broken\n\n")
    rows = list(read_rows(path, "jsonl"))
    assert len(rows) == 3
    assert isinstance(convert(rows[0], TYPE, "/s", P), Outgoing)
    assert isinstance(convert(rows[1], TYPE, "/s", P), Outgoing)
    bad = convert(rows[2], TYPE, "/s", P)
    assert isinstance(bad, list) and bad[0]["field"] == "(line)"
