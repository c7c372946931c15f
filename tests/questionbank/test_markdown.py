"""Markdown as pages show it: sanitised, math left to KaTeX, fenced code highlighted."""

from __future__ import annotations

from questionbank.markdown import render_markdown


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
