"""Server-side Markdown: CommonMark with tables and `$...$` math, sanitised before it reaches a page.

Math is left as TeX inside `<span class="math inline">` / `<div class="math block">`; KaTeX renders it in the
browser (static/js/math.js). Raw HTML in the source is escaped by markdown-it and nh3 strips anything else
unsafe (e.g. `javascript:` links), so answers and bank text can be shown as they are.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .use(dollarmath_plugin, allow_space=True, double_inline=True)
)

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "div",
    "img",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
_ALLOWED_CLASSES = {"span": {"math", "inline"}, "div": {"math", "block"}, "code": {"language-*"}}


def render_markdown(text: str) -> SafeString:
    return _sanitise(_md.render(text or ""))


def render_markdown_inline(text: str) -> SafeString:
    """One line (a question's title in a list): emphasis, code and math, no paragraphs."""
    return _sanitise(_md.renderInline(text or ""))


def _sanitise(html: str) -> SafeString:
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
