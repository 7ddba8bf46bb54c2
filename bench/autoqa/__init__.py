"""AutoQA paraphrase benchmark: a labelled corpus in natural wording, split into `tune` (the
only part used to pick exemplars and thresholds) and `heldout` (never used for tuning); see
README.md. `python -m bench.autoqa` reports the held-out figures and throughput."""
