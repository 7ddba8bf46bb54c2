"""Kafka client security: one translation of KAFKA_SECURITY_PROTOCOL / KAFKA_SASL_* /
KAFKA_SSL_* for FastStream brokers and bare aiokafka clients (no broker needed)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import certifi
import pytest
from faststream.kafka.security import parse_security
from faststream.security import SASLScram256, SASLScram512
from pydantic import ValidationError

from runtime.kafka import make_broker
from runtime.kafka_security import broker_security, client_options, client_security
from runtime.settings import KafkaSettings

pytestmark = pytest.mark.unit
SASL = {"kafka_sasl_username": "scoring", "kafka_sasl_password": "s3cret-s3cret-s3cret"}


def test_plaintext_adds_nothing() -> None:
    settings = KafkaSettings(kafka_bootstrap_servers="127.0.0.1:1")
    assert broker_security(settings) is None
    assert client_options(settings) == {"bootstrap_servers": "127.0.0.1:1"}


def test_sasl_scram_512_over_plaintext() -> None:
    settings = KafkaSettings(kafka_security_protocol="SASL_PLAINTEXT", **SASL)
    security = broker_security(settings)
    assert isinstance(security, SASLScram512) and not security.use_ssl
    assert client_security(settings) == {
        "security_protocol": "SASL_PLAINTEXT",
        "ssl_context": None,
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "scoring",
        "sasl_plain_password": "s3cret-s3cret-s3cret",
    }


def test_sasl_over_tls_checks_the_broker_against_the_ca() -> None:
    settings = KafkaSettings(
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-256",
        kafka_ssl_cafile=certifi.where(),
        **SASL,
    )
    security = broker_security(settings)
    assert isinstance(security, SASLScram256) and security.use_ssl
    options = client_security(settings)
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-256"
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_mutual_tls_loads_the_client_certificate(tmp_path: Path) -> None:
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=ingest", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    settings = KafkaSettings(
        kafka_security_protocol="SSL",
        kafka_ssl_cafile=str(cert),
        kafka_ssl_certfile=str(cert),
        kafka_ssl_keyfile=str(key),
    )
    options = client_security(settings)
    assert options["security_protocol"] == "SSL"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert "sasl_mechanism" not in options


@pytest.mark.parametrize("protocol", ["SASL_PLAINTEXT", "SASL_SSL"])
def test_sasl_without_credentials_is_refused_by_name(protocol: str) -> None:
    with pytest.raises(ValidationError, match="KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"):
        KafkaSettings(kafka_security_protocol=protocol)


def test_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValidationError):
        KafkaSettings(kafka_security_protocol="SASL_SCRAM")  # type: ignore[arg-type]


def test_broker_and_bare_clients_agree() -> None:
    """The FastStream broker gets the very options a bare aiokafka client gets."""
    settings = KafkaSettings(kafka_security_protocol="SASL_PLAINTEXT", **SASL)
    broker = make_broker(settings, "scoring")
    assert parse_security(broker.specification.security) == client_security(settings)
    connection = broker._connection_kwargs  # what its producer, consumers and admin get
    assert connection.items() >= client_security(settings).items()
    assert connection["bootstrap_servers"] == [settings.kafka_bootstrap_servers]


def test_a_bootstrap_string_takes_security_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "source")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "from-the-environment")
    options = client_options("127.0.0.1:2")
    assert options["bootstrap_servers"] == "127.0.0.1:2"
    assert options["sasl_plain_username"] == "source"
    assert options["sasl_plain_password"] == "from-the-environment"
