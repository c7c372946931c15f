"""Tests that need ../shared skip on a machine without it, and fail under CI, which must have it."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED, shared_path


def test_a_missing_shared_file_skips_with_the_reason_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="no-such-file.tsv is not on this machine"):
        shared_path("no-such-file.tsv")


def test_a_missing_shared_file_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    outcome: BaseException | None = None

    try:
        shared_path("no-such-file.tsv")
    except BaseException as exc:  # a skip must not pass for a failure here: it would skip this test
        outcome = exc
    assert isinstance(outcome, pytest.fail.Exception), repr(outcome)
    assert "CI must run with it" in str(outcome)


def test_a_shared_file_that_exists_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")

    assert shared_path(".") == SHARED / "."
