"""Bulk backfill of historical exports through the same validation as live events.

Rows are validated, pseudonymised, redacted, their ids claimed for the source (an id another
source owns is refused, like at HTTP) and published in acknowledged batches. After each
batch a checkpoint (rows done) is written atomically next to the input, so an interrupted run
resumes where Kafka last acknowledged; event ids are deterministic, so the few rows resent
after an interruption are applied once downstream. Refused rows go to a rejects CSV with the
row number, the field and the reason.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
from faststream.kafka import KafkaBroker
from pydantic import ValidationError
from tqdm import tqdm

from contracts import topics
from contracts.errors import describe
from contracts.inbound import inbound_adapter
from runtime.db import create_pool, migrate
from runtime.kafka import Outgoing, ensure_topics, make_broker, publish_all
from services.ingest.domain.canonicalise import canonicalise
from services.ingest.domain.keys import PREFIX, normalise_types
from services.ingest.domain.ownership import conflict
from services.ingest.domain.pseudonymise import Pseudonymiser
from services.ingest.domain.rows import row_to_event
from services.ingest.names import MIGRATIONS, SERVICE
from services.ingest.publishing import to_record
from services.ingest.settings import IngestSettings
from services.ingest.store import claim_ids


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path)
    p.add_argument(
        "--type", required=True, help="event type of the rows, e.g. interaction.completed"
    )
    p.add_argument("--source", required=True, help="source system recorded on every event")
    p.add_argument("--format", choices=["csv", "jsonl"], help="default: from the file suffix")
    p.add_argument("--rejects", type=Path, help="default: <file>.rejects.csv")
    p.add_argument("--batch", type=int, default=2000)
    p.add_argument("--restart", action="store_true", help="ignore an existing checkpoint")


def read_rows(path: Path, fmt: str) -> Iterator[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        if fmt == "csv":
            yield from csv.DictReader(handle)
        else:
            for line in handle:
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        yield {"__invalid_json__": str(exc)}


class Checkpoint:
    def __init__(self, source: Path) -> None:
        self.path = source.with_name(source.name + ".checkpoint.json")
        self.fingerprint = f"{source.stat().st_size}:{_head_hash(source)}"

    def load(self) -> int:
        try:
            saved = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return 0
        return int(saved["rows_done"]) if saved.get("fingerprint") == self.fingerprint else 0

    def save(self, rows_done: int) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"fingerprint": self.fingerprint, "rows_done": rows_done}))
        os.replace(tmp, self.path)  # atomic: a kill leaves the old or the new checkpoint


def _head_hash(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.sha256(handle.read(1 << 20)).hexdigest()[:16]


def convert(
    row: dict[str, Any], event_type: str, source: str, pseudonymiser: Pseudonymiser
) -> Outgoing | list[dict[str, str]]:
    """A row → its canonical record, or the errors that refuse it."""
    if "__invalid_json__" in row:
        return [{"field": "(line)", "reason": f"invalid JSON: {row['__invalid_json__']}"}]
    try:
        inbound = inbound_adapter.validate_python(row_to_event(row, event_type))
        return to_record(canonicalise(inbound, source, pseudonymiser))
    except ValidationError as err:
        return [{"field": e["field"], "reason": e["reason"]} for e in describe(err)]
    except (ValueError, TypeError) as err:
        return [{"field": "(row)", "reason": str(err)}]


async def publish_batch(
    broker: KafkaBroker,
    pool: asyncpg.Pool,
    source: str,
    pending: list[tuple[int, Outgoing]],
    rejects: Any,
) -> int:
    """Claim the rows' ids for `source` (one statement), publish the others' records and wait
    until Kafka acknowledged them; a row whose id another source owns goes to `rejects` (a csv
    writer). Returns how many were published."""
    foreign = await claim_ids(pool, {out.headers["ce_id"]: source for _, out in pending})
    keep: list[Outgoing] = []
    for n, out in pending:
        if out.headers["ce_id"] in foreign:
            error = conflict(out.headers["ce_id"])
            rejects.writerow([n, error["field"], error["reason"]])
        else:
            keep.append(out)
    await publish_all(broker, keep)
    return len(keep)


async def run(args: argparse.Namespace, settings: IngestSettings) -> int:
    event_type = next(iter(normalise_types([args.type])))
    fmt = args.format or ("jsonl" if args.file.suffix in (".jsonl", ".ndjson") else "csv")
    rejects_path = args.rejects or args.file.with_name(args.file.name + ".rejects.csv")
    checkpoint = Checkpoint(args.file)
    start = 0 if args.restart else checkpoint.load()
    pseudonymiser = Pseudonymiser(
        settings.pseudonym_key_id, settings.pseudonym_secret.get_secret_value().encode()
    )
    await ensure_topics(settings.kafka_bootstrap_servers, topics.ALL)
    await migrate(MIGRATIONS, settings.database_url, SERVICE)
    pool = await create_pool(settings.database_url, max_size=1)
    broker = make_broker(settings.kafka_bootstrap_servers, "ingest-backfill")
    await broker.connect()
    rejects_new = start == 0 or not rejects_path.exists()
    accepted = rejected = 0
    t0 = time.perf_counter()
    try:
        with rejects_path.open("w" if rejects_new else "a", newline="") as rj:
            writer = csv.writer(rj)
            if rejects_new:
                writer.writerow(["row", "field", "reason"])
            pending: list[tuple[int, Outgoing]] = []  # (row number, its record)
            done = last = start
            bar = tqdm(
                desc=f"backfill {event_type.removeprefix(PREFIX)}",
                unit=" rows",
                initial=start,
                file=sys.stderr,
                mininterval=0.5,
            )
            for n, row in enumerate(read_rows(args.file, fmt), start=1):
                if n <= start:
                    continue  # acknowledged before the interruption
                last = n
                out = convert(row, event_type, args.source, pseudonymiser)
                if isinstance(out, Outgoing):
                    pending.append((n, out))
                else:
                    rejected += 1
                    for e in out:
                        writer.writerow([n, e["field"], e["reason"]])
                if len(pending) >= args.batch or (n - done) >= args.batch:
                    published = await publish_batch(broker, pool, args.source, pending, writer)
                    accepted, rejected = accepted + published, rejected + len(pending) - published
                    rj.flush()
                    checkpoint.save(n)
                    bar.update(n - done)
                    pending, done = [], n
            published = await publish_batch(broker, pool, args.source, pending, writer)
            accepted, rejected = accepted + published, rejected + len(pending) - published
            checkpoint.save(last)
            bar.update(last - done)
            bar.close()
    finally:
        await broker.stop()
        await pool.close()
    elapsed = time.perf_counter() - t0
    rate = (accepted + rejected) / elapsed if elapsed else 0.0
    resumed = f"; resumed after row {start}" if start else ""
    print(
        f"backfill: {accepted} accepted, {rejected} rejected (see {rejects_path}), "
        f"{elapsed:.1f}s, {rate:,.0f} rows/s{resumed}",
        file=sys.stderr,
    )
    return 0
