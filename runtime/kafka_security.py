"""Who a Kafka client is and how it talks to the broker: one translation of the settings
(`KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_*`, `KAFKA_SSL_*`) for FastStream brokers and bare
aiokafka clients (admin, rebuild, simulator, bench) alike."""

from __future__ import annotations

from typing import Any

from aiokafka.helpers import create_ssl_context
from faststream.kafka.security import parse_security
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512

from runtime.settings import KafkaSettings

SASL = {"SCRAM-SHA-512": SASLScram512, "SCRAM-SHA-256": SASLScram256, "PLAIN": SASLPlaintext}


def broker_security(kafka: KafkaSettings) -> BaseSecurity | None:
    """FastStream's security object for the configured protocol (None: plaintext)."""
    tls = kafka.kafka_security_protocol in {"SSL", "SASL_SSL"}
    context = None
    if tls:
        context = create_ssl_context(
            cafile=kafka.kafka_ssl_cafile,
            certfile=kafka.kafka_ssl_certfile,
            keyfile=kafka.kafka_ssl_keyfile,
        )
        context.check_hostname = kafka.kafka_ssl_check_hostname
    if kafka.kafka_security_protocol.startswith("SASL_"):
        return SASL[kafka.kafka_sasl_mechanism](
            kafka.kafka_sasl_username,
            kafka.kafka_sasl_password.get_secret_value(),
            ssl_context=context,
            use_ssl=tls,
        )
    return BaseSecurity(ssl_context=context, use_ssl=True) if tls else None


def client_security(kafka: KafkaSettings) -> dict[str, Any]:
    """aiokafka keyword arguments (security_protocol, sasl_*, ssl_context): FastStream's own
    translation of `broker_security`, so brokers and bare clients can never disagree."""
    return parse_security(broker_security(kafka))


def kafka_settings(kafka: KafkaSettings | str) -> KafkaSettings:
    """A bare bootstrap string (a tool's `--bootstrap`, a test's broker) takes its security
    settings (`KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_*`, `KAFKA_SSL_*`) from the environment."""
    return KafkaSettings(kafka_bootstrap_servers=kafka) if isinstance(kafka, str) else kafka


def client_options(kafka: KafkaSettings | str) -> dict[str, Any]:
    """`bootstrap_servers` plus security: the keyword arguments every aiokafka client gets."""
    kafka = kafka_settings(kafka)
    return {"bootstrap_servers": kafka.kafka_bootstrap_servers, **client_security(kafka)}
