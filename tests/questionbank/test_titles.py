"""A question's title in lists: its prompt's first line, shortened without cutting a formula."""

from __future__ import annotations

from questionbank.models import Question


def test_a_long_title_is_cut_before_a_formula_it_would_split() -> None:
    prompt = "解释为什么注意力要除以 $\\sqrt{d_k}$，以及 hidden size $\\frac{2}{3} \\cdot 4d$ 的由来"
    question = Question(slug="q", prompt=prompt)

    assert question.title == prompt  # short enough: whole
    assert question.short_title == "解释为什么注意力要除以 $\\sqrt{d_k}$，以及 hidden size…"
    assert question.short_title.count("$") % 2 == 0


def test_a_markdown_heading_is_a_title_without_its_marks() -> None:
    assert Question(slug="q", prompt="## 注意力的缩放\n为什么要除以 $\\sqrt{d_k}$？").title == "注意力的缩放"
    assert Question(slug="fallback", prompt="#\n正文").title == "#"  # a lone mark is no heading


def test_a_title_without_formulas_is_cut_at_its_limit() -> None:
    question = Question(slug="q", prompt="长" * 200 + "\n第二行")

    assert question.title == "长" * 119 + "…" and question.short_title == "长" * 39 + "…"
