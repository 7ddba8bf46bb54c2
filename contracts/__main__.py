"""`python -m contracts export [DIR]` writes one JSON Schema per event type (committed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from contracts.events import EVENT_CLASSES
from contracts.inbound import inbound_adapter

SCHEMA_DIR = Path(__file__).parent / "schemas"


def render() -> dict[str, str]:
    files: dict[str, str] = {}
    for event_type, cls in sorted(EVENT_CLASSES.items()):
        name = event_type.removeprefix("io.qualityloop.") + ".json"
        files[name] = _dump(cls.model_json_schema())
    files["inbound.json"] = _dump(inbound_adapter.json_schema())
    return files


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def export(target: Path = SCHEMA_DIR) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = target / name
        path.write_text(text)
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "export":
        print("usage: python -m contracts export [DIR]", file=sys.stderr)
        return 2
    target = Path(argv[1]) if len(argv) > 1 else SCHEMA_DIR
    for path in export(target):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
