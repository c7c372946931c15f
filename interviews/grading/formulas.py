"""Quantities and formulas written inline in an answer ("n/2", "(2n+1)/3", "2^(n-1)", "O(n)", "3n"), and
whether two of them are the same: a result's point is about its own value, and candidates write one value many
ways ("3(n-i+1)", "3*(n+1-i)", "3n-3(i-1)"; "2的n-1次方").

Two formulas in the same single-letter variables are the same when they take the same value at two points;
anything else (a name, a formula with functions) is compared as written. Formulas are evaluated from their
syntax tree with arithmetic alone: nothing of the answer is executed.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from functools import lru_cache

from interviews.grading.text import normalise

_QUANTITY = re.compile(r"[0-9a-z(][0-9a-z()+\-*/^.]*")
_AROUND_OPERATOR = re.compile(r"\s*([+\-*/^])\s*")
_POWER = re.compile(r"([0-9a-z()+\-*/^.]+)\s*的\s*([0-9a-z()+\-*/^.]+)\s*次方")  # "2的n-1次方": 2^(n-1)
_BIG_O = re.compile(r"o\((.+)\)")
_WORD = re.compile(r"[a-z]{3,}")  # a name ("gpt", "bert"), not a formula's single letters
# A list marker opening a line ("1.", "2、", "3：", "(1)", "（2）", "第二问：") or a circled number anywhere
# ("①"): it numbers the statement and states nothing ("1.n/2" is n/2, "（2）（2n+1)/3" is (2n+1)/3). A
# decimal ("1.5 倍") is not one.
_LIST_MARKER = re.compile(
    r"[\u2460-\u2473]|^[ \t]*(?:[(（][ \t]*\d{1,2}[ \t]*[)）]|\d{1,2}[ \t]*[.、．)）:：](?!\d)"
    r"|第[一二三四五六七八九十\d]{1,2}[问题步点小]*[：:、.]?)[ \t]*",
    re.MULTILINE,
)


def without_list_markers(text: str) -> str:
    """The text without the markers that number its lines (see _LIST_MARKER)."""
    return _LIST_MARKER.sub("", text)


# The signs a Chinese input method types ("n−1", "2×n", "n÷2"), which NFKC leaves as they are.
_MATH_SIGNS = str.maketrans({"\u2212": "-", "\u00d7": "*", "\u00f7": "/"})
# Superscripts are an exponent ("2ⁿ⁻¹" is 2^(n-1)); NFKC would run them into the base ("2n-1").
_SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿⁱ"
_SUPERSCRIPTS = re.compile(f"[{_SUPERSCRIPT}]+")
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT, "0123456789+-()ni")
# A programmer's power ("pow(2, n-1)", "Math.pow(2,n-1)") is the same formula.
_POW_CALL = re.compile(r"(?:[a-z]+\.)?pow\(\s*([^,()]+)\s*,\s*([^,()]+)\s*\)")


@lru_cache(maxsize=16384)
def _written(text: str) -> str:
    """The text as formulas are read: no list markers, ASCII operators, no spaces around them."""
    raised = _SUPERSCRIPTS.sub(lambda m: f"^({m.group(0).translate(_FROM_SUPERSCRIPT)})", text)
    plain = normalise(without_list_markers(raised)).translate(_MATH_SIGNS)
    plain = _POW_CALL.sub(r"(\1)^(\2)", _POWER.sub(r"\1^(\2)", plain))
    return _AROUND_OPERATOR.sub(r"\1", plain)


def quantities(text: str) -> frozenset[str]:
    """The quantities and formulas the text states, without spaces: letters and digits joined by operators,
    or a number with letters ("7b", "3n"). What a statement made of the question's words may still add to it
    ("插入一个元素平均移动 n/2 个元素" answers "平均移动多少个元素")."""
    written = _written(text)
    # A full stop after a formula ends the sentence, not the formula ("n/2.").
    return frozenset(q for q in (q.rstrip(".") for q in _QUANTITY.findall(written)) if _is_quantity(q))


def is_formula(text: str) -> bool:
    """The text is one formula and nothing else ("n/2-1/2", "（2）(n-1)/3"), perhaps numbered: no words."""
    written = _written(text).rstrip("。.;；")
    # Items joined by slashes alone ("7b/13b/70b") are a list of sizes more likely than a chain of divisions.
    arithmetic = written.count("/") <= 1 or any(c in written for c in "+-*^(")
    return (
        bool(_QUANTITY.fullmatch(written))
        and _is_quantity(written)
        and arithmetic
        and not _WORD.search(written)
    )


def _is_quantity(run: str) -> bool:
    has_digit = any(c.isdigit() for c in run)
    has_operator = any(c in "+-*/^" for c in run.strip("()")) and any(c.isalnum() for c in run)
    return (has_digit and not run.isdigit()) or has_operator


def same_quantity(a: str, b: str, *, whole: bool = False) -> bool:
    """The same value, or one a part of the other ("n-1" of "2^(n-1)"), unless `whole`: formulas of
    single-letter variables compared by value (big-O by what is inside), anything else as written without
    brackets. A part speaks of the same result (it is no other result); only the whole value states it."""
    if a == b:
        return True
    big_a, big_b = _BIG_O.fullmatch(a), _BIG_O.fullmatch(b)
    if big_a or big_b:
        return (
            big_a is not None
            and big_b is not None
            and same_quantity(big_a.group(1), big_b.group(1), whole=whole)
        )
    parts_a, parts_b = _parts(a), _parts(b)
    if parts_a is None or parts_b is None:
        return a.replace("(", "").replace(")", "") == b.replace("(", "").replace(")", "")
    whole_a, whole_b = parts_a[0], parts_b[0]
    if whole:
        return _close(whole_a, whole_b)
    return any(_close(whole_a, p) for p in parts_b) or any(_close(whole_b, p) for p in parts_a)


def _close(x: tuple[float, ...], y: tuple[float, ...]) -> bool:
    return all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-12) for u, v in zip(x, y, strict=True))


# Two points at which formulas are compared: values no simple formula of a few letters takes by chance alike.
_POINTS = (
    {c: 2.71 + 0.37 * i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")},
    {c: 5.13 - 0.11 * i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")},
)
_IMPLICIT = (
    (re.compile(r"(\d)([a-z(])"), r"\1*\2"),  # 3n, 3(n+1)
    (re.compile(r"\)([0-9a-z(])"), r")*\1"),  # (n+1)(n+2), (n-1)n
    (re.compile(r"([a-z])\("), r"\1*("),  # n(n+1)
)
_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


@lru_cache(maxsize=4096)
def _parts(quantity: str) -> tuple[tuple[float, ...], ...] | None:
    """The values at the two points of the formula, then of each operation inside it ("n-1" of "2^(n-1)");
    None when it is no formula of single letters."""
    expression = quantity.replace("^", "**")
    for pattern, replacement in _IMPLICIT:
        expression = pattern.sub(replacement, expression)
    if re.search(r"[a-z]{2,}", expression):
        return None  # a name or a function ("log", "gpt"): compared as written
    try:
        tree = ast.parse(expression, mode="eval").body
        inner = [n for n in ast.walk(tree) if isinstance(n, ast.BinOp) and n is not tree]
        return tuple(tuple(_evaluate(node, point) for point in _POINTS) for node in (tree, *inner))
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, TypeError, RecursionError):
        return None


def _evaluate(node: ast.expr, point: dict[str, float]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in point:
        return point[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _evaluate(node.operand, point)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left, point), _evaluate(node.right, point)
        if isinstance(node.op, ast.Pow) and abs(right) > 64:
            raise OverflowError("exponent too large")
        value = _BINARY[type(node.op)](left, right)
        if isinstance(value, complex):
            raise ValueError("not a real value")
        return float(value)
    raise ValueError(f"not arithmetic: {ast.dump(node)}")
