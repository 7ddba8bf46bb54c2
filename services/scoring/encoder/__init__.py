"""Sentence embeddings on CPU for AutoQA's semantic engine (a second subsystem of scoring).

`bert.py` is the BERT encoder's forward pass in numpy (weights in, vectors out: no I/O);
`encoder.py` tokenises, batches and caches. Loading the model file is the edge's job
(`services/scoring/autoqa_model.py`).
"""
