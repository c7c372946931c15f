"""How a judge fails. The task retries the first kind; the second falls back to the offline judge at once."""

from __future__ import annotations

from interviews.grading.types import Flag


class JudgeError(Exception):
    pass


class JudgeUnavailable(JudgeError):
    """Rate limit, connection error, timeout or 5xx: worth retrying later."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class JudgeFailed(JudgeError):
    """The server answered, but no usable grade came of it (refusal, invalid output twice, a 4xx)."""

    def __init__(self, message: str, *, flag: Flag) -> None:
        super().__init__(message)
        self.flag = flag
