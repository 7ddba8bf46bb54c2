"""Which source a raw-topic record comes from, decided by its topic. Pure.

Kafka does not tell a consumer which principal produced a record, so the topic stands in for
it: each source system writes to its own topics `raw.<family>.<slug>` (a secured cluster grants
its principal WRITE on those alone), and `RAW_SOURCES` maps each slug to the canonical source
recorded on its events, whatever the events claim. The shared `raw.<family>` topics carry the
source an event claims: only a deployment that trusts every producer reads them
(`RAW_TRUSTED_TOPICS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from contracts import topics
from contracts.errors import FieldError

# A slug is one topic-name segment: no dot (the family is everything before the last dot).
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
SOURCE = re.compile(r"^[A-Za-z0-9/_.:\-]{1,256}$")  # contracts.envelope.Source
MISMATCH = "source_mismatch"
UNKNOWN = "unknown_source"


class SourceRefused(Exception):
    """A raw record whose topic does not vouch for the source it claims (a dead letter)."""

    def __init__(self, code: str, error: FieldError) -> None:
        super().__init__(f"{code}: {error['reason']}")
        self.code, self.errors = code, [error]


def validate_sources(sources: Mapping[str, str]) -> dict[str, str]:
    """`RAW_SOURCES` checked: slugs are topic-name segments, sources are valid CloudEvents
    sources, and no slug begins another (a PREFIXED ACL for `raw.interactions.acme` would also
    let that principal write `raw.interactions.acme2`, another source's topic)."""
    for slug, source in sources.items():
        if not SLUG.match(slug):
            raise ValueError(f"RAW_SOURCES: slug {slug!r} must match {SLUG.pattern}")
        if not SOURCE.match(source):
            raise ValueError(f"RAW_SOURCES: source {source!r} of {slug!r} is not a valid source")
        for other in sources:
            if other != slug and other.startswith(slug):
                raise ValueError(
                    f"RAW_SOURCES: slug {slug!r} begins {other!r}; a prefixed ACL for one "
                    "would cover the other's topics"
                )
    return dict(sources)


@dataclass(frozen=True, slots=True)
class RawTopics:
    """The raw topics ingest reads and the source each one vouches for."""

    sources: Mapping[str, str] = field(default_factory=dict)  # slug → canonical source
    trusted: bool = True  # whether the shared raw.<family> topics are read at all
    families: tuple[topics.Topic, ...] = topics.RAW

    def per_source(self) -> list[topics.Topic]:
        """`raw.<family>.<slug>` for every family and configured slug (created at start)."""
        return [
            replace(family, name=f"{family.name}.{slug}")
            for family in self.families
            for slug in sorted(self.sources)
        ]

    def names(self) -> list[str]:
        shared = [t.name for t in self.families] if self.trusted else []
        return shared + [t.name for t in self.per_source()]

    def source(self, topic: str, claimed: str | None) -> str:
        """The source recorded on a record read from `topic` that claims `claimed`."""
        if self.trusted and topic in {t.name for t in self.families}:
            return claimed or f"/kafka/{topic}"  # trusted producers: the claim stands
        family, _, slug = topic.rpartition(".")
        canonical = self.sources.get(slug)
        if canonical is None or family not in {t.name for t in self.families}:
            reason = (
                f"topic {topic} vouches for no source (not a raw.<family>.<slug> in RAW_SOURCES)"
            )
            raise SourceRefused(UNKNOWN, {"field": "(topic)", "reason": reason})
        if claimed is not None and claimed != canonical:
            reason = f"{topic} carries events of source {canonical}, this one claims {claimed}"
            raise SourceRefused(MISMATCH, {"field": "source", "reason": reason})
        return canonical
