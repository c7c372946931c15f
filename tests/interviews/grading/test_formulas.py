"""Quantities and formulas in answers, and when two are the same (`interviews.grading.formulas`)."""

from __future__ import annotations

import pytest

from interviews.grading.formulas import quantities, same_quantity


def test_the_quantities_a_text_states() -> None:
    assert quantities("插入一个元素平均要移动 n / 2 个元素。") == {"n/2"}
    assert quantities("等概率：n/2；第二种：（2*n+1）/3") == {"n/2", "(2*n+1)/3"}
    assert quantities("一共有2的n-1次方种") == {"2^(n-1)"}
    assert quantities("时间复杂度为O（1）") == {"o(1)"}
    assert quantities("7B 和 70B 的区别") == {"7b", "70b"}
    # A bare count is no quantity of its own: "3 个" restates nothing and adds nothing.
    assert quantities("共有 3 个阶段") == frozenset()


def test_only_the_whole_value_is_the_same_value() -> None:
    """A part speaks of the same result ("n-1" of "2^(n-1)"); stating the result takes the whole value."""
    assert same_quantity("n-1", "2^(n-1)")
    assert not same_quantity("n-1", "2^(n-1)", whole=True)
    assert same_quantity("(2*n+1)/3", "(2n+1)/3", whole=True)
    assert same_quantity("n/2-1/2", "(n-1)/2", whole=True)


def test_a_list_marker_or_a_full_stop_is_no_part_of_a_quantity() -> None:
    """Terse answers number their results: "1.n/2." was read as the quantity "1.n/2.", not n/2."""
    assert quantities("1.n/2.\n2.(2n+1)/3.") == {"n/2", "(2n+1)/3"}
    assert quantities("（1）n/2\n（2）（2n+1)/3") == {"n/2", "(2n+1)/3"}
    assert quantities("①n/2；②(2n+1)/3") == {"n/2", "(2n+1)/3"}
    assert quantities("第二问：(2n+1)/3") == {"(2n+1)/3"}
    assert quantities("2、2^(n-1).") == {"2^(n-1)"}
    assert quantities("约 1.5 倍，即 1.5x") == {"1.5", "1.5x"}  # a decimal is no marker


def test_the_operators_an_input_method_types_are_operators() -> None:
    assert quantities("共 2^(n−1) 种") == {"2^(n-1)"}
    assert quantities("3×n 次，或 n÷2 次") == {"3*n", "n/2"}


def test_a_superscript_or_a_programmers_pow_is_an_exponent() -> None:
    """NFKC runs superscripts into their base: "2ⁿ⁻¹" was read as 2n-1, another value than 2^(n-1)."""
    assert same_quantity(*quantities("共有 2ⁿ⁻¹ 种"), "2^(n-1)", whole=True)
    assert same_quantity(*quantities("复杂度 O(n²)"), "o(n^2)", whole=True)
    assert same_quantity(*quantities("共有 pow（2，n-1）种"), "2^(n-1)", whole=True)
    assert same_quantity(*quantities("Math.pow(2, n - 1)"), "2^(n-1)", whole=True)
    assert not same_quantity(*quantities("共有 2n−1 种"), "2^(n-1)", whole=True)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("3(n-i+1)", "3*(n+1-i)"),
        ("3n-3(i-1)", "3(n+1-i)"),
        ("(2*n+1)/3", "(2n+1)/3"),
        ("2^(n-1)", "2^(n-1)"),
        ("n(n-1)/2", "(n^2-n)/2"),
        ("o(n)", "o(n)"),
        # One a part of the other: "2的n-1次方" speaks of the n-1 branch nodes too.
        ("n-1", "2^(n-1)"),
    ],
)
def test_one_value_written_two_ways_or_within_the_other_is_the_same(a: str, b: str) -> None:
    assert same_quantity(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("n/2", "(2n+1)/3"),
        ("2^(n-1)", "2^n"),
        ("o(1)", "o(n)"),
        ("o(n)", "n"),
        ("gpt-3", "gpt-4"),
        ("2^999999", "2"),  # too large to evaluate: compared as written
        ("(", "n"),
    ],
)
def test_different_values_are_not_the_same(a: str, b: str) -> None:
    assert not same_quantity(a, b)
