"""Historical export rows (CSV or JSON Lines) → inbound events. Pure.

Column mapping (CSV; JSON Lines objects use the same names, or carry whole events):
- every column named like a field of the event's `data` maps to it (`interaction_id`, `queue`,
  `offered_at`, `wait_seconds`, ...); empty cells are absent; booleans read true/false/1/0/yes/no;
- `customer_id`, `customer_phone`, `customer_email` form the customer (pseudonymised by ingest);
- evaluations: `answers` holds JSON (`[{"criterion_id": "greeting", "answer": "yes"}]`), or one
  column per criterion named `answer:<criterion id>`;
- `event_id` (optional): the event id; by default it derives from the event type and the row's
  natural key (interaction, evaluation, response or complaint id), so a re-import resends the
  same ids and downstream consumers apply each once;
- `event_time` (optional): defaults to the event's own end/submission/response/raise time.
"""

from __future__ import annotations

import json
from typing import Any

from contracts.envelope import derived_event_id

NATURAL_KEY = {
    "io.qualityloop.interaction.completed": ("interaction_id", "ended_at"),
    "io.qualityloop.evaluation.submitted": ("evaluation_id", "evaluated_at"),
    "io.qualityloop.survey.responded": ("response_id", "responded_at"),
    "io.qualityloop.complaint.raised": ("complaint_id", "raised_at"),
    "io.qualityloop.complaint.updated": ("complaint_id", "updated_at"),
    "io.qualityloop.complaint.resolved": ("complaint_id", "resolved_at"),
}
BOOLEAN_FIELDS = {"transferred", "abandoned", "resolved_first_contact"}
_TRUE, _FALSE = {"true", "1", "yes", "y", "t"}, {"false", "0", "no", "n", "f"}


def _cell(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = value.strip()
    if name in BOOLEAN_FIELDS:
        low = value.lower()
        return True if low in _TRUE else False if low in _FALSE else value
    return value


def row_to_event(row: dict[str, Any], event_type: str) -> dict[str, Any]:
    """A flat row → an inbound event dict (validated afterwards by the usual contract)."""
    if "type" in row and "data" in row:  # JSON Lines carrying whole events
        return row
    data: dict[str, Any] = {}
    customer: dict[str, Any] = {}
    answers: list[dict[str, Any]] = []
    event_id = event_time = None
    for name, raw in row.items():
        if raw is None or raw == "" or name is None:
            continue
        value = _cell(name, raw)
        if name == "event_id":
            event_id = str(value)
        elif name == "event_time":
            event_time = value
        elif name.startswith("customer_"):
            customer[name.removeprefix("customer_")] = value
        elif name.startswith("answer:"):
            answer = int(value) if isinstance(value, str) and value.isdigit() else value
            answers.append({"criterion_id": name.removeprefix("answer:"), "answer": answer})
        elif name == "answers" and isinstance(value, str):
            data["answers"] = json.loads(value)
        else:
            data[name] = value
    if customer:
        data["customer"] = {("customer_id" if k == "id" else k): v for k, v in customer.items()}
    if answers:
        data["answers"] = answers
    key_field, time_field = NATURAL_KEY.get(event_type, ("", ""))
    natural = data.get(key_field)
    return {
        "specversion": "1.0",
        "id": event_id
        or (derived_event_id("backfill", event_type, str(natural)) if natural else None),
        "type": event_type,
        "time": event_time or data.get(time_field),
        "data": data,
    }
