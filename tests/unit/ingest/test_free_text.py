"""Every free-text field of every event type ingest accepts — the CloudEvents `subject`
included — is redacted: personal data planted in all of them at once never survives
canonicalisation. The audited list of free-text fields is pinned here, and derived from the
contracts, so a field added later is redacted (and this test names it) without a code change."""

from __future__ import annotations

import copy
from typing import Any, cast

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from contracts.inbound import inbound_adapter
from services.ingest.domain.canonicalise import FREE_TEXT, canonicalise
from services.ingest.domain.freetext import ENVELOPE, free_text_paths, rewrite
from services.ingest.domain.pseudonymise import Pseudonymiser
from tests import factories as f
from tests.pii import filler, personal

P = Pseudonymiser("k1", b"secret")
PI = "io.qualityloop."
# The audit (issue 12): what can carry a customer's or an evaluator's words, per event type.
AUDITED = {
    PI + "interaction.completed": ("transcript",),
    PI + "evaluation.submitted": ("answers.*.comment", "comments"),
    PI + "survey.responded": ("verbatim",),
    PI + "complaint.raised": ("category", "description"),
    PI + "complaint.updated": ("category", "note", "root_cause"),
    PI + "complaint.resolved": ("root_cause", "resolution"),
}


def complaint_updated() -> dict[str, Any]:
    event = f.complaint()
    data = {"complaint_id": event["data"]["complaint_id"], "status": "investigating"}
    return event | {"type": PI + "complaint.updated", "data": data | {"updated_at": f.iso(f.T0)}}


def complaint_resolved() -> dict[str, Any]:
    event = f.complaint()
    data = {"complaint_id": event["data"]["complaint_id"], "outcome": "upheld"}
    return event | {"type": PI + "complaint.resolved", "data": data | {"resolved_at": f.iso(f.T0)}}


BUILDERS = {
    PI + "interaction.completed": f.interaction,
    PI + "evaluation.submitted": f.evaluation,
    PI + "survey.responded": f.survey,
    PI + "complaint.raised": f.complaint,
    PI + "complaint.updated": complaint_updated,
    PI + "complaint.resolved": complaint_resolved,
}


def test_the_audited_fields_are_the_free_text_of_the_contracts() -> None:
    accepted = {t: p for t, p in FREE_TEXT.items() if t in AUDITED}
    assert accepted == AUDITED
    assert ENVELOPE == ("subject",)
    for event_type, paths in AUDITED.items():  # what sources send has no other free text
        inbound = inbound_adapter.validate_python(BUILDERS[event_type]())
        assert free_text_paths(cast(type[BaseModel], type(inbound.data))) == paths


def plant(doc: dict[str, Any], path: str, text: str) -> None:
    """Set the text at `path`, creating the field where the builder left it out."""
    head, _, rest = path.partition(".")
    if head == "*":
        return
    if rest.startswith("*."):
        for item in doc[head]:
            item[rest[2:]] = text
    else:
        doc[head] = text


@settings(max_examples=300)
@given(event_type=st.sampled_from(sorted(AUDITED)), data=st.data())
def test_no_personal_data_survives_in_any_free_text_field(
    event_type: str, data: st.DataObject
) -> None:
    event = copy.deepcopy(BUILDERS[event_type]())
    planted: list[str] = []

    def text() -> str:
        before, secret, after = data.draw(filler), data.draw(personal), data.draw(filler)
        planted.append(secret)
        return f"{before[:20]} {secret} {after[:20]}".strip()

    event["subject"] = text()
    for path in AUDITED[event_type]:
        plant(event["data"], path, text())
    canonical = canonicalise(inbound_adapter.validate_python(event), "/test", P)
    published = canonical.model_dump_json()
    for secret in planted:
        assert secret not in published, (secret, published)
    redacted = canonical.model_dump()
    assert "[" in redacted["subject"]
    for path in AUDITED[event_type]:  # each field still says something was there
        rewrite(redacted["data"], path, assert_marked)


def assert_marked(value: str) -> str:
    assert "[" in value, value
    return value
