"""The numpy all-MiniLM-L6-v2 encoder against published reference values, and its cache."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from services.scoring.autoqa_model import ModelMissing, load_encoder, model_zip
from tests.autoqa import encoder

# sentence-transformers' documentation, all-MiniLM-L6-v2: model.similarity(embeddings, embeddings)
REFERENCE = (
    ("The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."),
    np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]]),
)


def test_reproduces_the_published_similarity_matrix() -> None:
    vectors = encoder()(list(REFERENCE[0]))
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.allclose(vectors @ vectors.T, REFERENCE[1], atol=1e-3)


def test_paraphrases_are_close_and_unrelated_sentences_far() -> None:
    hi, hello, dob, birth, stadium = encoder()(
        [
            "hi",
            "hello",
            "Can I take your date of birth?",
            "Could you confirm when you were born?",
            "He drove to the stadium.",
        ]
    )
    assert hi @ hello > 0.8  # langchain4j's check for this model
    assert dob @ birth > 0.5 and dob @ stadium < 0.1 and birth @ stadium < 0.1


def test_packed_batches_equal_one_by_one() -> None:
    texts = ["Sorry to hear that.", "Is there anything else I can help you with today?", "Hi"]
    enc = encoder()
    together = enc(texts)
    enc.clear()
    alone = np.vstack([enc([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_repeated_utterances_come_from_a_bounded_cache() -> None:
    enc = load_encoder(cache_size=2)
    first = enc(["Good morning", "good   MORNING"])  # uncased, whitespace-insensitive
    assert enc.misses == 1 and enc.hits == 1 and np.array_equal(first[0], first[1])
    enc(["one", "two", "three"])
    assert len(enc._cache) == 2  # least recently used dropped
    enc(["three"])
    assert enc.hits == 2


def test_weights_other_than_the_recorded_ones_are_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.zip"
    with zipfile.ZipFile(model_zip()) as real, zipfile.ZipFile(fake, "w") as out:
        out.writestr("tokenizer.json", real.read("tokenizer.json"))
        out.writestr("model.safetensors", b"not the weights")
    with pytest.raises(ModelMissing, match="SHA-256"):
        load_encoder(fake)
    with pytest.raises(ModelMissing):
        load_encoder(tmp_path / "absent.zip")
