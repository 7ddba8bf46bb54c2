"""`python -m simulator [send | score] ...` — see `--help`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from simulator.day import simulate, yesterday
from simulator.detection import evaluate, from_reporting
from simulator.emit import over_http, over_kafka, parse_speed
from simulator.qa_desk import work_assignments
from simulator.report import settle, summary


def _speed(value: str) -> float | None:
    try:
        return parse_speed(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError("'max', 'realtime' or a positive factor") from err


def _scale(value: str) -> float:
    if not float(value) > 0:
        raise argparse.ArgumentTypeError("a positive multiplier")
    return float(value)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    sub = p.add_subparsers(dest="command")
    send = sub.add_parser("send", help="simulate a day and send it (default)")
    send.add_argument("--seed", type=int, default=7)
    send.add_argument("--day", type=date.fromisoformat, default=None, help="default: yesterday")
    send.add_argument("--scale", type=_scale, default=1.0, help="volume multiplier")
    send.add_argument("--history-days", type=int, default=14, help="days of complaint history")
    send.add_argument(
        "--speed", type=_speed, default="max", help="max | realtime | a speed-up factor"
    )
    send.add_argument("--target", choices=["http", "kafka"], default="http")
    send.add_argument("--ingest-url", default="http://127.0.0.1:8080")
    send.add_argument("--api-key", help="ingest API key (target http)")
    send.add_argument("--bootstrap", default="127.0.0.1:19092", help="Kafka (target kafka)")
    send.add_argument(
        "--qa",
        choices=["sample", "plan"],
        default="sample",
        help="human evaluations: 4 per agent drawn by the simulator, or the QA desk working "
        "through what scoring's monitoring plan assigns (reads ql.assignments via --bootstrap)",
    )
    send.add_argument(
        "--wording",
        choices=["templated", "natural"],
        default="templated",
        help="transcripts in the detectors' phrases, or in natural wording kept apart from them",
    )
    send.add_argument("--ground-truth", type=Path, default=Path("ground-truth.json"))
    send.add_argument("--dry-run", action="store_true", help="write events to --out, send none")
    send.add_argument("--out", type=Path, default=Path("events.jsonl"))
    send.add_argument("--reporting-url", default="http://127.0.0.1:8083")
    send.add_argument("--token", help="reporting token: wait for the platform, then summarise")
    send.add_argument(
        "--service-url",
        action="append",
        default=[],
        help="a service's base URL whose consumers must have caught up before the summary "
        "(repeat for each; the token must be an operations manager's)",
    )
    score = sub.add_parser("score", help="score what reporting shows against the ground truth")
    score.add_argument("--ground-truth", type=Path, default=Path("ground-truth.json"))
    score.add_argument("--reporting-url", default="http://127.0.0.1:8083")
    score.add_argument("--token", required=True, help="reporting token (ops manager)")
    return p


async def _send(args: argparse.Namespace) -> int:
    day = args.day or yesterday()
    sim = simulate(args.seed, day, args.scale, args.history_days, qa=args.qa, wording=args.wording)
    args.ground_truth.write_text(json.dumps(sim.truth, indent=2) + "\n")
    counts = ", ".join(f"{n:,} {k}" for k, n in sorted(sim.counts().items()))
    print(f"simulated {day} (seed {args.seed}): {counts}", file=sys.stderr)
    if args.dry_run:
        with args.out.open("w") as out:
            out.writelines(json.dumps(e, sort_keys=True) + "\n" for e in sim.events)
        print(f"wrote {len(sim.events):,} events to {args.out}", file=sys.stderr)
        return 0
    start = min(
        datetime.fromisoformat(e["time"].replace("Z", "+00:00"))
        for e in sim.events
        if e["time"] >= day.isoformat()
    )
    speed: float | None = args.speed
    began = time.perf_counter()
    total = len(sim.events)

    def progress(n: int) -> None:
        took = time.perf_counter() - began
        rate = f"{n / took:,.0f} events/s" if took > 0 else ""
        line = f"\r  sent {n:,}/{total:,} in {took:.1f} s {rate}"
        print(line, end="", file=sys.stderr, flush=True)

    if args.target == "http":
        if not args.api_key:
            print("error: --api-key is needed for --target http", file=sys.stderr)
            return 2
        sent = await over_http(sim.events, start, speed, args.ingest_url, args.api_key, progress)
    else:
        sent = await over_kafka(sim.events, start, speed, args.bootstrap, progress)
    print(file=sys.stderr)
    print(
        f"sent {sent.accepted:,} accepted, {sent.rejected:,} rejected in {sent.seconds:.1f} s "
        f"({sent.accepted / max(sent.seconds, 1e-9):,.0f} events/s); ground truth in "
        f"{args.ground_truth}"
    )
    by_type = ", ".join(f"{n:,} {kind}" for kind, n in sorted(sent.by_type.items()))
    print(f"  by type: {by_type}", file=sys.stderr)
    for err in sent.errors:
        print(f"  rejected: {err}", file=sys.stderr)
    if args.qa == "plan" and args.target == "http":
        contacts = {c.interaction_id: c for c in sim.contacts}
        done = await work_assignments(
            args.bootstrap, contacts, args.ingest_url, args.api_key, args.seed
        )
        print(f"QA desk: {len(done)} evaluations of the interactions the monitoring plan assigned")
    if args.token:
        interactions = sim.counts()["interaction.completed"]
        offered, actions, alerts = await asyncio.to_thread(_settle, args, day, interactions)
        lines, _ = summary(offered, actions, alerts, sim.truth)
        print(f"platform settled {time.perf_counter() - began:.1f} s after the first event")
        print("\n".join(lines))
    return 0 if sent.rejected == 0 else 1


def _settle(args: argparse.Namespace, day: date, interactions: int) -> tuple[int, Any, Any]:
    headers = {"Authorization": f"Bearer {args.token}"}
    with httpx.Client(base_url=args.reporting_url, headers=headers, timeout=30) as http:
        return settle(http, day, interactions, service_urls=args.service_url)


def _score(args: argparse.Namespace) -> int:
    truth = json.loads(args.ground_truth.read_text())
    headers = {"Authorization": f"Bearer {args.token}"}
    with httpx.Client(base_url=args.reporting_url, headers=headers, timeout=30) as http:
        actions = http.get("/v1/actions", params={"limit": 1000}).raise_for_status().json()
        alerts = http.get("/v1/alerts", params={"limit": 1000}).raise_for_status().json()
    result = evaluate(truth, from_reporting(actions, alerts))
    print("\n".join(result.lines()))
    return 0 if result.recall == 1.0 and not result.false_positives else 1


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"send", "score", "-h", "--help"}:
        argv = ["send", *argv]
    args = parser().parse_args(argv)
    if args.command == "score":
        return _score(args)
    return asyncio.run(_send(args))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
