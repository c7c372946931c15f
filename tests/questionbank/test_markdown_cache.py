"""Rendered Markdown is cached per text, so a results page costs the same whatever its answers hold."""

from __future__ import annotations

from unittest import mock

import pytest

from questionbank import markdown


@pytest.fixture(autouse=True)
def _fresh(settings, request) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    markdown._rendered.cache_clear()


def test_a_text_is_parsed_once_however_often_it_is_shown() -> None:
    text = "**bold** and $x^2$ " + "[" * 2000
    with mock.patch.object(markdown._md, "render", wraps=markdown._md.render) as parse:
        first = markdown.render_markdown(text)
        for _ in range(5):
            assert markdown.render_markdown(text) == first
    assert parse.call_count == 1
    assert "<strong>bold</strong>" in first


def test_another_process_reuses_the_shared_cache() -> None:
    text = "## heading\n\n- one\n- two"
    expected = markdown.render_markdown(text)
    markdown._rendered.cache_clear()  # as in a fresh web process

    with mock.patch.object(markdown._md, "render") as parse:
        assert markdown.render_markdown(text) == expected
    parse.assert_not_called()


def test_cached_html_is_still_sanitised_and_safe() -> None:
    html = markdown.render_markdown("<script>alert(1)</script> [x](javascript:alert(1))")
    again = markdown.render_markdown("<script>alert(1)</script> [x](javascript:alert(1))")

    assert "<script>" not in again and 'href="javascript' not in again
    assert html == again and hasattr(again, "__html__")


def test_block_and_inline_renderings_are_kept_apart() -> None:
    assert markdown.render_markdown("*a*") == "<p><em>a</em></p>\n"
    assert markdown.render_markdown_inline("*a*") == "<em>a</em>"
