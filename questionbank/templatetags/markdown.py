from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from questionbank.markdown import render_answer, render_markdown, render_markdown_inline

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter(name="markdown_inline")
def markdown_inline_filter(text: str) -> SafeString:
    return render_markdown_inline(text)


@register.filter(name="markdown_answer")
def markdown_answer_filter(text: str) -> SafeString:
    return render_answer(text)
