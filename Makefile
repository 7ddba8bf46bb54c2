# QualityLoop — the two commands a new user needs:
#   make run    set up everything, start Kafka + Postgres + the four services, feed a demo
#   make test   set up everything, start Kafka + Postgres, run the whole test suite
# Everything lands in git-ignored folders: .venv/ (Python), .local/ (Kafka jars, data, logs).

SHELL := /bin/bash
.DEFAULT_GOAL := help

help:
	@sed -n '2,5p' Makefile

setup:
	@deploy/local/bootstrap.sh

run: setup
	@deploy/local/run.sh

test: setup
	@deploy/local/test.sh

stop:
	@deploy/local/run.sh stop; deploy/local/stack.sh down
	@QL_HOME=.local/test-stack QL_KAFKA_PORT=19192 QL_KAFKA_CONTROLLER_PORT=19193 QL_PG_PORT=15532 \
	  deploy/local/stack.sh down

lint: setup
	@.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy contracts runtime services simulator

.PHONY: help setup run test stop lint

bench-ingest: setup
	@deploy/local/stack.sh up && eval "$$(deploy/local/stack.sh env)" && \
	  KAFKA_BOOTSTRAP_SERVERS=$$KAFKA_BOOTSTRAP_SERVERS DATABASE_URL=$$DATABASE_URL \
	  .venv/bin/python -m bench.ingest_bench

.PHONY: bench-ingest

bench-scoring: setup
	@deploy/local/stack.sh up && eval "$$(deploy/local/stack.sh env)" && \
	  KAFKA_BOOTSTRAP_SERVERS=$$KAFKA_BOOTSTRAP_SERVERS DATABASE_URL=$$DATABASE_URL \
	  .venv/bin/python -m bench.scoring_bench

.PHONY: bench-scoring

bench-reporting: setup
	@deploy/local/stack.sh up && eval "$$(deploy/local/stack.sh env)" && \
	  KAFKA_BOOTSTRAP_SERVERS=$$KAFKA_BOOTSTRAP_SERVERS DATABASE_URL=$$DATABASE_URL \
	  .venv/bin/python -m bench.reporting_bench

.PHONY: bench-reporting

bench-autoqa: setup
	@.venv/bin/python -m bench.autoqa

.PHONY: bench-autoqa
