from __future__ import annotations

import math

import pytest

from interviews.grading.evaluation import (
    bigram_cosine,
    mean_absolute_error,
    pearson,
    quadratic_weighted_kappa,
    spearman,
)


def test_pearson_is_one_for_a_linear_relation_and_minus_one_for_its_mirror() -> None:
    xs = [1.0, 2.0, 3.0, 4.0]
    assert pearson(xs, [2 * x + 1 for x in xs]) == pytest.approx(1.0)
    assert pearson(xs, [-x for x in xs]) == pytest.approx(-1.0)


def test_pearson_matches_a_hand_computed_value() -> None:
    # x = 1..5, y = 2,4,5,4,5: sxy = 6, sxx = 10, syy = 6.
    assert pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) == pytest.approx(6 / math.sqrt(10 * 6))


def test_pearson_of_a_constant_is_undefined() -> None:
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))


def test_spearman_sees_any_monotone_relation_and_averages_ties() -> None:
    assert spearman([1, 2, 3, 4], [1, 10, 100, 1000]) == pytest.approx(1.0)
    # Ranks of [1, 2, 2, 3] are [1, 2.5, 2.5, 4].
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(pearson([1, 2.5, 2.5, 4], [1, 2, 3, 4]))


def test_quadratic_weighted_kappa_is_one_for_agreement_and_punishes_far_misses_more() -> None:
    assert quadratic_weighted_kappa([0, 5, 10, 3], [0, 5, 10, 3], low=0, high=10) == pytest.approx(1.0)
    near = quadratic_weighted_kappa([0, 5, 10, 3], [1, 5, 9, 3], low=0, high=10)
    far = quadratic_weighted_kappa([0, 5, 10, 3], [6, 5, 4, 3], low=0, high=10)
    assert 0 < near < 1
    assert far < near


def test_quadratic_weighted_kappa_matches_a_hand_computed_value() -> None:
    # Ratings on 0..2; observed pairs (0,0) (1,1) (2,1) (2,2): weights (i-j)^2/4.
    # Observed disagreement 0.25; expected from the marginals a=[1,1,2], b=[1,2,1]: 1.25; kappa = 0.8.
    assert quadratic_weighted_kappa([0, 1, 2, 2], [0, 1, 1, 2], low=0, high=2) == pytest.approx(0.8)


def test_mean_absolute_error() -> None:
    assert mean_absolute_error([1, 2, 3], [1, 4, 0]) == pytest.approx(5 / 3)


def test_bigram_cosine_ignores_spacing_and_punctuation_and_is_zero_for_disjoint_text() -> None:
    assert bigram_cosine("顺序表，支持随机访问。", "顺序表 支持 随机访问") == pytest.approx(1.0)
    assert bigram_cosine("顺序表", "链式存储") == 0.0
    assert bigram_cosine("", "链式存储") == 0.0
