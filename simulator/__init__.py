"""A deterministic contact-centre simulator with injected problems and their ground truth.

Pure modules (seeded generators in, plain data out): `model` (teams, agents' skill profiles,
queues), `arrivals` (intraday Poisson demand, staffing, waits), `contacts` (waits, abandonment,
handling, transfers, FCR, repeat callers), `transcripts` (phrases AutoQA detects),
`surveys`, `complaints`, `evaluations`, `scenarios` (injected problems, ground truth), `events`
(inbound CloudEvents), `day` (a whole day), `detection` (scoring the platform against the
ground truth). The I/O edge: `emit` (HTTP or raw Kafka, paced), `qa_desk`, `report`, and the
CLI in `__main__` (`python -m simulator --help`).
"""
