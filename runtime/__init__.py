"""The thin runtime kit every service shares: settings, Kafka and Postgres wiring, logging."""
