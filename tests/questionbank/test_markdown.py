"""Markdown as pages show it: sanitised, math left to KaTeX, fenced code highlighted."""

from __future__ import annotations

from questionbank.markdown import render_answer, render_markdown


def test_fenced_python_is_highlighted_and_stays_escaped() -> None:
    html = render_markdown("```python\ndef attend(q, k):\n    return q @ k  # <script>alert(1)</script>\n```")

    assert '<span class="k">def</span>' in html
    assert '<span class="nf">attend</span>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_code_in_an_unknown_or_no_language_is_plain_escaped_code() -> None:
    for fence in ("```\n", "```nosuchlanguage\n"):
        html = render_markdown(fence + "x = <b>1</b>\n```")
        assert "<span" not in html and "x = &lt;b&gt;1&lt;/b&gt;" in html


def test_an_answer_cannot_smuggle_classes_or_tags_through_markdown() -> None:
    html = render_markdown('<span class="k" onclick="x()">hi</span> [a](javascript:alert(1))')

    assert "&lt;span" in html and '<span class="k"' not in html
    assert 'href="javascript' not in html


def test_an_answers_line_breaks_are_kept_and_a_references_are_markdowns() -> None:
    """A candidate types in a plain text box, where a line break is meant; a reference is written in Markdown,
    where a single line break is a space."""
    text = "MHA：每个头独立的 K/V\nMQA：共享一组 K/V"
    assert "<br" in render_answer(text) and "<script" not in render_answer(text + "<script>x</script>")
    assert "<br" not in render_markdown(text)
    assert "<li>" in render_answer("- 第一点\n- 第二点")
