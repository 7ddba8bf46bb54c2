"""The operations dashboard in headless Chromium, on the four real service processes.

Contacts sent to ingest appear on the page; one more contact changes the live KPI without a
reload; alerts and evaluated actions (as the actions service publishes them) show up with the
before/after chart. Screenshots are saved to test-artifacts/."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from runtime.db import create_pool
from runtime.identity import Role
from runtime.identity.store import create_token
from tests import factories as f
from tests.conftest import Servers
from tests.processes import ROOT, Service, api_key
from tests.reporting_events import action_events, alert_event, publish

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("QL_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-extensions",
    "--no-first-run",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    assert os.access(CHROMIUM, os.X_OK), f"no Chromium at {CHROMIUM}: run deploy/local/browser.sh"
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        await b.close()


async def send(ingest: Service, key: str, events: list[dict[str, object]]) -> None:
    async with httpx.AsyncClient(
        base_url=ingest.url, headers={"Authorization": f"Bearer {key}"}
    ) as http:
        got = await http.post("/v1/interactions/batch", json=events)
        assert got.status_code in (200, 202, 207), got.text


async def offered_cell(page: Page, queue: str) -> str:
    return await page.locator(f'tr[data-queue="{queue}"] td.offered').inner_text()


async def test_dashboard_shows_live_kpis_alerts_and_evaluated_actions(
    services: dict[str, Service], servers: Servers, browser: Browser
) -> None:
    tag = uuid.uuid4().hex[:6]
    queue, team = f"dash-{tag}", f"team-{tag}"
    now = datetime.now(UTC).replace(microsecond=0)
    key = await api_key(servers.database_url, source="/acd/dashboard")
    pool = await create_pool(servers.database_url)
    try:
        _, token = await create_token(pool, Role.OPS_MANAGER, None, "dashboard test")
    finally:
        await pool.close()

    contact = lambda n: f.interaction(  # noqa: E731
        queue=queue, team=team, agent=f"agent-{tag}", offered=now - timedelta(minutes=20 - n)
    )
    await send(services["ingest"], key, [contact(n) for n in range(3)])
    await publish(
        servers.kafka,
        [alert_event(queue, now - timedelta(minutes=5)), *action_events(team, f"agent-{tag}", now)],
    )

    page = await browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(f"{services['reporting'].url}/dashboard?refresh=1#token={token}")
    row = page.locator(f'tr[data-queue="{queue}"] td.offered')
    await expect(row).to_have_text("3", timeout=60_000)
    await expect(page.locator('li[data-alert="service_level"]', has_text=queue)).to_be_visible(
        timeout=30_000
    )
    # Team FCR against the standard's target (75 %), carried on the scored events.
    await expect(page.locator(f'tr[data-team="{team}"] td.fcr')).to_contain_text("/ 75%")
    chart = page.locator("#actions-evaluated svg.chart")
    await expect(chart.first).to_be_visible(timeout=30_000)
    assert "before 62.0" in (await chart.first.get_attribute("aria-label") or "")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    await send(services["ingest"], key, [contact(3)])  # one more contact: the page follows
    await expect(row).to_have_text("4", timeout=60_000)
    await page.screenshot(path=str(ARTIFACTS / "dashboard-after-event.png"), full_page=True)
    assert await offered_cell(page, queue) == "4"
    assert not errors, errors
    assert "token=" not in page.url  # the token leaves the address bar at once

    # A token without the dashboard in its role gets the login form, not the data.
    pool = await create_pool(servers.database_url)
    try:
        _, agent_token = await create_token(pool, Role.AGENT, f"agent-{tag}", "an agent")
    finally:
        await pool.close()
    other = await browser.new_page()
    await other.goto(f"{services['reporting'].url}/dashboard#token={agent_token}")
    await expect(other.locator("#login-error")).to_contain_text("agent", timeout=15_000)
    await expect(other.locator("#board")).to_be_hidden()
