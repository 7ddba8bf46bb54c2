"""No public secrets: outside development a missing, publicly known or short secret stops the
service with an error naming its variable (and never echoing a value); development falls back
with a warning. Production is the default."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from runtime.settings import PUBLIC_SECRETS, CommonSettings
from services.actions.settings import DEV_WEBHOOK_SECRET, ActionsSettings
from services.ingest.settings import DEV_SECRET, IngestSettings

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]
GOOD = "6f1d0c2b9e8a47d3b5c4a1f0e9d8c7b6"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QL_ENV", "PSEUDONYM_SECRET", "WEBHOOK_SECRET", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def development(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PSEUDONYM_SECRET", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QL_ENV", "development")


SECRETS = [(IngestSettings, "pseudonym_secret"), (ActionsSettings, "webhook_secret")]


@pytest.mark.usefixtures("production")
def test_production_is_the_default() -> None:
    assert CommonSettings().ql_env == "production"


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize(("settings", "field"), SECRETS)
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "is not set"),
        ("", "is not set"),
        ("change-me-in-production", "is a publicly known value"),
        (DEV_SECRET, "is a publicly known value"),
        (DEV_WEBHOOK_SECRET, "is a publicly known value"),
        ("short-secret", "is shorter than 16 characters"),
    ],
)
def test_production_refuses_missing_public_or_short_secrets(
    settings: type[CommonSettings], field: str, value: str | None, problem: str
) -> None:
    given = {} if value is None else {field: value}
    with pytest.raises(ValidationError) as err:
        settings(**given)
    message = str(err.value)
    assert f"{field.upper()} {problem}" in message
    if value:
        assert value not in message  # the input is never echoed


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize(("settings", "field"), SECRETS)
def test_production_accepts_a_real_secret_from_the_environment(
    settings: type[CommonSettings], field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(field.upper(), GOOD)
    value = getattr(settings(), field)
    assert (value if isinstance(value, str) else value.get_secret_value()) == GOOD


@pytest.mark.usefixtures("development")
@pytest.mark.parametrize(
    ("settings", "field", "fallback"),
    [
        (IngestSettings, "pseudonym_secret", DEV_SECRET),
        (ActionsSettings, "webhook_secret", DEV_WEBHOOK_SECRET),
    ],
)
def test_development_falls_back_with_a_warning(
    settings: type[CommonSettings], field: str, fallback: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "qualityloop.settings"):
        value = getattr(settings(), field)
    assert (value if isinstance(value, str) else value.get_secret_value()) == fallback
    assert f"{field.upper()} is not set" in caplog.text


@pytest.mark.usefixtures("development")
def test_development_keeps_a_secret_it_is_given() -> None:
    assert IngestSettings(pseudonym_secret="mine").pseudonym_secret.get_secret_value() == "mine"
    assert ActionsSettings(webhook_secret=GOOD).webhook_secret == GOOD


@pytest.mark.usefixtures("production")
def test_production_refuses_public_database_and_kafka_passwords() -> None:
    url = "postgresql://qualityloop:qualityloop@db:5432/qualityloop"
    with pytest.raises(ValidationError, match="DATABASE_URL carries a publicly known password"):
        IngestSettings(pseudonym_secret=GOOD, database_url=url)
    with pytest.raises(ValidationError, match="KAFKA_SASL_PASSWORD is a publicly known value"):
        CommonSettings(
            kafka_security_protocol="SASL_PLAINTEXT",
            kafka_sasl_username="ingest",
            kafka_sasl_password="admin",
        )
    ok = CommonSettings(database_url=f"postgresql://ql_ingest:{GOOD}@db/qualityloop")
    assert ok.ql_env == "production"


def test_repository_ships_no_secret_values() -> None:
    """The compose file demands secrets from its environment rather than naming any."""
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    env = {
        f"{service}.{name}": str(value)
        for service, spec in compose["services"].items()
        for name, value in (spec.get("environment") or {}).items()
    }
    for key, value in env.items():
        if key.endswith(("SECRET", "PASSWORD")):
            assert value not in PUBLIC_SECRETS, key
            assert value.startswith("${") and ":?" in value, key
        if key.endswith("DATABASE_URL"):
            assert ":${POSTGRES_PASSWORD:?" in value, key
    assert env["ingest.PSEUDONYM_SECRET"].startswith("${PSEUDONYM_SECRET:?")
    assert env["ingest.WEBHOOK_SECRET"].startswith("${WEBHOOK_SECRET:?")
    assert env["postgres.POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
