"""Markup payloads and the check that a rendered page shows them as text, shared by the XSS tests."""

from __future__ import annotations

from html.parser import HTMLParser

XSS = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) "
    '<a href="javascript:alert(4)">a</a>'
)
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
_URL_ATTRIBUTES = ("href", "src", "action", "formaction")


class _LiveMarkup(HTMLParser):
    """What a browser would run: script bodies, event handlers, javascript: URLs, the payload's image."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if tag == "script":
            self._script_type = values.get("type", "")
        if tag == "img" and values.get("src") == "x":
            self.found.append("<img src=x>")
        for name, value in values.items():
            if name.startswith("on") and "alert" in value:
                self.found.append(f"{name}={value}")
            if name in _URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{name}={value}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = None

    def handle_data(self, data: str) -> None:
        if self._script_type is None:
            return
        # JSON data blocks (json_script) may carry the text, with < escaped as \u003C.
        if "alert" in data and (self._script_type != "application/json" or "<" in data):
            self.found.append(f"script: {data[:80]}")


def assert_inert(html: str, *, shown: bool = True) -> None:
    """No payload became executable markup; with `shown`, the payload appears escaped as text."""
    parser = _LiveMarkup()
    parser.feed(html)
    parser.close()
    assert parser.found == []
    if shown:
        assert ESCAPED in html
