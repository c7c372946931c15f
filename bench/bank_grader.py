"""What the offline judge's bank benches share: Django set up, the bank's questions, an answer's % of max."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class BankGrader:
    """The offline judge with the bank's questions, read from the bank files (no database)."""

    def __init__(self) -> None:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("SECRET_KEY", "bench")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from interviews.grading.offline import OfflineJudge
        from questionbank.bank_files import read_bank

        self.judge = OfflineJudge()
        self.questions: list[Any] = list(read_bank().questions)

    def percent(self, question: Any, answer: str) -> float:
        """The answer's score against its question, in % of max."""
        from interviews.grading.bank_input import judge_input

        result = self.judge.grade(judge_input(question, answer))
        return float(result.score / result.max_score) * 100
