"""A deterministic contact-centre simulator with injected problems and their ground truth."""
