from __future__ import annotations

import pytest

from bench.grading import chat_tokens, o200k_base


def test_the_vendored_o200k_base_file_loads_without_a_download(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")  # restored after the test; o200k_base() points it elsewhere
    encoding = o200k_base()
    assert encoding.name == "o200k_base"
    assert encoding.encode("hello world") == [24912, 2375]
    text = "多头注意力 Multi-Head Attention"
    assert encoding.decode(encoding.encode(text)) == text
    assert chat_tokens(encoding, [{"role": "user", "content": "hello world"}]) == 5
