"""Texts -> sentence vectors: tokenise, encode the texts not seen recently in one packed batch,
and remember them in a bounded LRU cache (agents repeat their scripts, so most utterances of a
day were already encoded). Computation only: the model's files are read at the edge."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from tokenizers import Tokenizer

from services.scoring.encoder.bert import F32, Bert

MAX_TOKENS = 256  # sentence_bert_config.json max_seq_length
CHUNK = 512  # texts per forward pass: bounds the memory a cold batch takes


def cache_key(text: str) -> str:
    """The model is uncased and splits on whitespace: texts differing only there embed alike."""
    return " ".join(text.lower().split())


class Encoder:
    """Callable `texts -> (n, dim) float32`, rows L2-normalised; `version` names the model."""

    def __init__(self, bert: Bert, tokenizer: Tokenizer, version: str, cache_size: int) -> None:
        tokenizer.no_padding()  # the shipped tokenizer.json pads to 128: we pack instead
        tokenizer.enable_truncation(MAX_TOKENS)
        self.bert, self.tokenizer, self.version = bert, tokenizer, version
        self.dim = bert.hidden
        self.cache_size = cache_size
        self._cache: OrderedDict[str, F32] = OrderedDict()
        self.hits = self.misses = 0

    def __call__(self, texts: Sequence[str]) -> F32:
        keys = [cache_key(t) for t in texts]
        missing = [k for k in dict.fromkeys(keys) if k not in self._cache]
        fresh: dict[str, F32] = {}
        for at in range(0, len(missing), CHUNK):
            chunk = missing[at : at + CHUNK]
            ids = [e.ids for e in self.tokenizer.encode_batch(chunk)]
            fresh.update(zip(chunk, self.bert.encode(ids), strict=True))
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        out = np.empty((len(keys), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            vector = fresh.get(key)
            if vector is None:
                vector = self._cache[key]
                self._cache.move_to_end(key)
            out[row] = vector
        for key, vector in fresh.items():
            self._remember(key, vector)
        return out

    def _remember(self, key: str, vector: F32) -> None:
        if self.cache_size <= 0:
            return
        self._cache[key] = vector
        self._cache.move_to_end(key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def clear(self) -> None:
        """Forget every cached vector (benchmarks measure the cold path with it)."""
        self._cache.clear()
