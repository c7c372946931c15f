from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    """Pages are asserted in English, the message ids; the admin defaults to Chinese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
