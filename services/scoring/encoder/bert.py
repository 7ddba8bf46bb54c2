"""The forward pass of a BERT sentence encoder in numpy, for all-MiniLM-L6-v2 (6 layers,
hidden 384, 12 heads, GELU, LayerNorm eps 1e-12), then mean pooling and L2
normalisation as sentence-transformers does. Pure computation: weights in, vectors out.

Sequences are packed, never padded: they are grouped by length, so the dense layers (nearly
all the FLOPs) run on one (tokens x 384) matrix and attention runs per group of equal-length
sequences without a mask. Mean pooling is then exact over the real tokens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]
EPS = 1e-12  # config.json layer_norm_eps


def _layer_norm(x: F32, gain: F32, bias: F32) -> F32:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    out: F32 = centred / np.sqrt(var + EPS) * gain + bias
    return out


def _gelu(x: F32) -> F32:
    """GELU, tanh form: 5x faster than scipy's erf here, and the sentence vectors stay within
    cosine 0.999999 of the exact form's (the reference similarities agree to 1e-4). In place."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += 1
    inner *= x
    inner *= np.float32(np.sqrt(2 / np.pi))
    np.tanh(inner, out=inner)
    inner += 1
    inner *= 0.5
    inner *= x
    return inner


@dataclass(frozen=True)
class Layer:
    qkv: F32  # (384, 3 * 384): query, key and value projections side by side
    qkv_bias: F32
    out: F32
    out_bias: F32
    ln1: tuple[F32, F32]
    up: F32
    up_bias: F32
    down: F32
    down_bias: F32
    ln2: tuple[F32, F32]


class Bert:
    """The encoder, from a safetensors state dict (names as in Hugging Face's BertModel)."""

    def __init__(self, w: Mapping[str, NDArray[np.float32]], heads: int = 12) -> None:
        def t(name: str) -> F32:  # (out, in) as stored -> (in, out), contiguous for matmul
            return np.ascontiguousarray(w[name].T, dtype=np.float32)

        def ln(prefix: str) -> tuple[F32, F32]:
            return w[f"{prefix}.LayerNorm.weight"], w[f"{prefix}.LayerNorm.bias"]

        self.heads = heads
        self.words = w["embeddings.word_embeddings.weight"]
        self.positions = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.ln = ln("embeddings")
        self.layers: list[Layer] = []
        n = 0
        while f"encoder.layer.{n}.attention.self.query.weight" in w:
            p = f"encoder.layer.{n}"
            a = f"{p}.attention.self"
            self.layers.append(
                Layer(
                    qkv=np.concatenate(
                        [t(f"{a}.{k}.weight") for k in ("query", "key", "value")], 1
                    ),
                    qkv_bias=np.concatenate(
                        [w[f"{a}.{k}.bias"] for k in ("query", "key", "value")]
                    ),
                    out=t(f"{p}.attention.output.dense.weight"),
                    out_bias=w[f"{p}.attention.output.dense.bias"],
                    ln1=ln(f"{p}.attention.output"),
                    up=t(f"{p}.intermediate.dense.weight"),
                    up_bias=w[f"{p}.intermediate.dense.bias"],
                    down=t(f"{p}.output.dense.weight"),
                    down_bias=w[f"{p}.output.dense.bias"],
                    ln2=ln(f"{p}.output"),
                )
            )
            n += 1
        self.hidden = self.words.shape[1]

    def encode(self, sequences: Sequence[Sequence[int]]) -> F32:
        """Token id sequences ([CLS] ... [SEP]) -> L2-normalised mean-pooled vectors, in order."""
        if not sequences:
            return np.zeros((0, self.hidden), dtype=np.float32)
        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
        groups: list[tuple[int, int]] = []  # (length, how many) of consecutive equal lengths
        for i in order:
            size = len(sequences[i])
            if groups and groups[-1][0] == size:
                groups[-1] = (size, groups[-1][1] + 1)
            else:
                groups.append((size, 1))
        ids = np.fromiter((t for i in order for t in sequences[i]), dtype=np.int64)
        pos = np.concatenate([np.tile(np.arange(size), count) for size, count in groups])
        x = _layer_norm(self.words[ids] + self.positions[pos] + self.token_type, *self.ln)
        for layer in self.layers:
            x = self._layer(x, layer, groups)
        pooled = np.empty((len(sequences), self.hidden), dtype=np.float32)
        at = row = 0
        for size, count in groups:
            block = x[at : at + size * count].reshape(count, size, self.hidden)
            pooled[row : row + count] = block.mean(axis=1)
            at, row = at + size * count, row + count
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out = np.empty_like(pooled)
        out[order] = pooled
        return out

    def _layer(self, x: F32, layer: Layer, groups: list[tuple[int, int]]) -> F32:
        qkv = x @ layer.qkv + layer.qkv_bias
        h, d = self.heads, self.hidden // self.heads
        context = np.empty_like(x)
        at = 0
        for size, count in groups:
            block = qkv[at : at + size * count].reshape(count, size, 3, h, d)
            q, k, v = (block[:, :, j].transpose(0, 2, 1, 3) for j in range(3))  # (n, h, L, d)
            scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1 / np.sqrt(d))
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            mixed = (weights @ v).transpose(0, 2, 1, 3).reshape(size * count, h * d)
            context[at : at + size * count] = mixed
            at += size * count
        x = _layer_norm(context @ layer.out + layer.out_bias + x, *layer.ln1)
        up = _gelu(x @ layer.up + layer.up_bias)
        return _layer_norm(up @ layer.down + layer.down_bias + x, *layer.ln2)
