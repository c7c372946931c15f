"""Server-side Markdown: CommonMark with tables and `$...$` math, sanitised before it reaches a page.

Math is left as TeX inside `<span class="math inline">` / `<div class="math block">`; KaTeX renders it in the
browser (static/js/math.js). Fenced code with a language is highlighted here by Pygments (its token classes,
coloured by static/css/code.css), so code answers and code questions read like code. Raw HTML in the source
is escaped by markdown-it and nh3 strips anything else unsafe (e.g. `javascript:` links), so answers and bank
text can be shown as they are.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

_CODE_FORMATTER = HtmlFormatter(nowrap=True)


def _highlight(code: str, language: str, attrs: str) -> str:
    """Token spans for a fenced block in a known language; "" lets markdown-it escape it as plain code."""
    try:
        lexer = get_lexer_by_name(language.strip()) if language.strip() else None
    except ClassNotFound:
        lexer = None
    return highlight(code, lexer, _CODE_FORMATTER) if lexer else ""


def _parser(*, breaks: bool) -> MarkdownIt:
    options = {"html": False, "linkify": False, "typographer": False, "breaks": breaks}
    return (
        MarkdownIt("commonmark", {**options, "highlight": _highlight})
        .enable(["table", "strikethrough"])
        .use(dollarmath_plugin, allow_space=True, double_inline=True)
    )


_md = _parser(breaks=False)
# A candidate types an answer in a plain text box: a line break there is meant as one, not as a space.
_answer_md = _parser(breaks=True)

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
_ALLOWED_CLASSES = {
    "span": {"math", "inline", *(name for name in STANDARD_TYPES.values() if name)},
    "div": {"math", "block"},
    "code": {"language-*"},
}


# Any change to this module (parser options, allowed tags) or to the libraries makes new cache keys.
RENDER_VERSION = hashlib.sha256(
    Path(__file__).read_bytes() + f"{metadata.version('markdown-it-py')}{metadata.version('nh3')}".encode()
).hexdigest()[:12]
CACHE_SECONDS = 30 * 24 * 3600
_PARSERS = {"block": _md, "answer": _answer_md}


def render_markdown(text: str) -> SafeString:
    return _rendered("block", text or "")


def render_answer(text: str) -> SafeString:
    """A candidate's answer: Markdown, with each line break kept ("MHA：…⏎MQA：…" stays two lines)."""
    return _rendered("answer", text or "")


def render_markdown_inline(text: str) -> SafeString:
    """One line (a question's title in a list): emphasis, code and math, no paragraphs."""
    return _rendered("inline", text or "")


@lru_cache(maxsize=2048)
def _rendered(kind: str, text: str) -> SafeString:
    """Rendered once per text: in this process (LRU), then in the shared cache by the text's hash, so a
    results page costs the same whatever its answers hold (a pathological one is parsed once, not per
    view)."""
    if not text:
        return mark_safe("")  # noqa: S308 - nothing to sanitise
    key = f"md:{RENDER_VERSION}:{kind}:{hashlib.sha256(text.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = _sanitise(_md.renderInline(text) if kind == "inline" else _PARSERS[kind].render(text))
        cache.set(key, str(html), CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - stored after nh3 sanitised it


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
