"""Reading a standards folder (the edge): files are read and parsed as YAML here; the domain
(`domain/standards_assembly.py`) validates and assembles what they hold.

Layout of a standards folder (see `services/scoring/standards/`):
- `standard.yaml`: name, service-level targets per channel (optionally per queue), AHT bands,
  FCR and abandonment targets, survey targets, complaint-handling targets;
- `scorecards/*.yaml`: one scorecard per file (sections, weighted criteria, critical criteria,
  bonus criteria, optional automated detectors);
- `monitoring.yaml` (optional): monitoring plans (see `domain/monitoring.py`).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import yaml

from services.scoring.domain.standards import Standard
from services.scoring.domain.standards_assembly import Document, StandardsError, assemble


def load_standards(folder: Path) -> Standard:
    """Load and validate a standards folder; never returns a half-valid standard."""
    main = folder / "standard.yaml"
    if not main.exists():
        raise StandardsError(f"{main}: file not found")
    monitoring = folder / "monitoring.yaml"
    return assemble(
        read(main),
        [read(path) for path in sorted((folder / "scorecards").glob("*.yaml"))],
        read(monitoring) if monitoring.exists() else None,
        str(folder / "scorecards"),
    )


def read(path: Path) -> Document:
    """A file's parsed content, with a locator of its lines (for error messages)."""
    try:
        text = path.read_text()
        data = yaml.safe_load(text)
        tree = yaml.compose(text)
    except (OSError, yaml.YAMLError) as exc:
        raise StandardsError(f"{path}: {exc}") from exc
    return Document(str(path), data, partial(line_of, tree))


def line_of(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """The 1-based line of `path` inside a composed YAML document (deepest node found)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
