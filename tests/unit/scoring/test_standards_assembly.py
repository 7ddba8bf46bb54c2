"""The standard assembled from parsed documents, without files: a refusal names the document,
the path and the line the edge's locator gives; versions follow content; the standard's own
rules (scorecards in their own documents, unique ids) hold."""

from __future__ import annotations

from typing import Any

import pytest

from services.scoring.domain.standards_assembly import Document, StandardsError, assemble

MAIN = {
    "name": "s",
    "service_levels": [{"channel": "voice", "threshold_seconds": 20, "target_percent": 80}],
}


def card(card_id: str = "c", weight: float = 1) -> dict[str, Any]:
    criteria = [{"id": "x", "text": "X"}]
    return {
        "id": card_id,
        "title": "C",
        "sections": [{"id": "s1", "title": "S", "weight": weight, "criteria": criteria}],
    }


def build(*cards: dict[str, Any], monitoring: Any = None) -> Any:
    docs = [Document(f"cards/{n}.yaml", c) for n, c in enumerate(cards)]
    plans = Document("monitoring.yaml", monitoring) if monitoring is not None else None
    return assemble(Document("standard.yaml", MAIN), docs, plans, "cards")


def test_assembles_and_versions_by_content() -> None:
    standard = build(card(), monitoring={"plans": [{"id": "weekly"}]})
    assert standard.scorecard("c").version and standard.version
    assert [p.id for p in standard.monitoring.plans] == ["weekly"]
    assert build(card(), monitoring={"plans": [{"id": "weekly"}]}).version == standard.version
    changed = build(card(weight=2), monitoring={"plans": [{"id": "weekly"}]})
    assert changed.version != standard.version
    assert changed.scorecard("c").version != standard.scorecard("c").version


def test_refusal_names_document_path_and_the_located_line() -> None:
    lines = {("sections", 0, "weight"): 7}
    bad = Document("cards/core.yaml", card(weight=-1), lambda loc: lines.get(loc))
    with pytest.raises(StandardsError) as info:
        assemble(Document("standard.yaml", MAIN), [bad], None, "cards")
    message = str(info.value)
    assert message.startswith("cards/core.yaml: sections.0.weight (line 7): ")
    assert "greater than 0" in message


def test_refusal_without_a_locator_has_no_line() -> None:
    with pytest.raises(StandardsError) as info:
        assemble(Document("standard.yaml", {"name": "s"}), [], None, "cards")
    assert str(info.value).startswith("standard.yaml: service_levels: ")
    assert "line" not in str(info.value)


def test_scorecards_belong_in_their_own_documents_with_unique_ids() -> None:
    with pytest.raises(StandardsError, match=r"standard\.yaml: scorecards: put each"):
        assemble(Document("standard.yaml", MAIN | {"scorecards": [card()]}), [], None, "cards")
    with pytest.raises(StandardsError, match=r"cards: duplicate scorecard ids \['c', 'c'\]"):
        build(card(), card())
