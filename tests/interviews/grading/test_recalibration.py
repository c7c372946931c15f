"""The offline judge learns from people, gated: a refit is adopted only when it agrees better with held-aside
human grades."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interviews.grading.bank_input import judge_input
from interviews.grading.calibration import Calibration
from interviews.grading.offline import OfflineJudge
from interviews.grading.recalibration import HumanGrade, is_held_aside, recalibrate
from interviews.grading.types import JudgeInput
from interviews.models import Grade
from interviews.services import judges
from interviews.services.judges import calibration_current
from questionbank.bank_files import QuestionSpec
from tests.interviews.factories import GradeFactory
from tests.interviews.grading.factories import question_from_spec, submitted_attempt
from tests.interviews.grading.helpers import bank_question, bank_questions, half_answer

# Every point "partly met" whatever the answer: a calibration that human grades should replace.
FLAT = Calibration(version="flat", xs=(0.0, 1.0), ys=(0.55, 0.55))


def human_grades(score: Callable[[JudgeInput], float] | None = None) -> list[HumanGrade]:
    """Reference (full marks), half the rubric, and nothing, for six questions, scored by people."""
    grades = []
    for spec in bank_questions()[:6]:
        half, share, _ = half_answer(spec)
        for kind, answer, human in (
            ("ref", spec.reference_answer, 1.0),
            ("half", half, share),
            ("none", "不知道。", 0),
        ):
            given = judge_input(spec, answer)
            grades.append(HumanGrade(f"{spec.slug}/{kind}", given, score(given) if score else human))
    return grades


def test_the_held_aside_share_is_stable_and_about_the_share_asked() -> None:
    keys = [str(i) for i in range(2000)]
    held = [k for k in keys if is_held_aside(k, 0.3)]
    assert 0.25 < len(held) / len(keys) < 0.35
    assert held == [k for k in keys if is_held_aside(k, 0.3)]


def test_a_refit_that_agrees_better_with_the_held_aside_grades_is_adopted() -> None:
    outcome = recalibrate(human_grades(), current=FLAT)
    assert outcome.held_aside > 0 and outcome.trained_on > outcome.held_aside
    assert outcome.after.mae < outcome.before.mae and outcome.adopted
    assert outcome.candidate.version.startswith("iso-")


def test_a_refit_is_not_adopted_when_people_already_agree_with_the_judge() -> None:
    current = Calibration.load()
    judge = OfflineJudge(calibration=current)
    outcome = recalibrate(human_grades(lambda given: judge.grade(given).fraction), current=current)
    assert outcome.before.mae == 0 and not outcome.adopted


def alternate_held_aside() -> Any:
    """Every other answer held aside (by id), instead of the hash split: the answers made in a run get other
    ids in another run, and a hash split of twelve can leave a kind of answer on one side only. Alternating
    over the reference / half / nothing cycle puts every kind on both sides."""
    return mock.patch(
        "interviews.grading.recalibration.is_held_aside", side_effect=lambda key, share: int(key) % 2 == 1
    )


def graded_by_people(candidate) -> tuple[QuestionSpec, list[tuple[str, int]]]:
    """Twelve answers to one question (the reference, half of it, nothing), graded by people."""
    spec = bank_question("mqa-vs-gqa")
    question = question_from_spec(spec)
    half, share, _ = half_answer(spec)
    texts = [(spec.reference_answer, 10), (half, round(10 * share)), ("不知道。", 0)] * 4
    for i, (text, score) in enumerate(texts):
        answer = submitted_attempt(candidate, [(question, f"{text}\n{'。' * i}")]).answers.get()
        GradeFactory(answer=answer, judge=Grade.Judge.HUMAN, score=score, max_score=10)
    return spec, texts


@pytest.mark.django_db
def test_the_command_reads_human_grades_prints_before_and_after_and_writes_the_shared_file(
    candidate, settings, tmp_path
) -> None:
    spec, texts = graded_by_people(candidate)
    settings.JUDGE_CALIBRATION_FILE = str(tmp_path / "calibration.json")
    FLAT.save(tmp_path / "calibration.json")  # the calibration adopted so far, shared by every process
    out = StringIO()
    outcomes = []

    def measured(*args: object, **kwargs: object) -> object:
        outcomes.append(recalibrate(*args, **kwargs))  # type: ignore[arg-type]
        return outcomes[-1]

    with (
        alternate_held_aside(),
        mock.patch(
            "interviews.management.commands.recalibrate_judge.recalibrate", side_effect=measured
        ) as run,
    ):
        call_command("recalibrate_judge", "--min-grades", "5", "--held-aside", "0.5", stdout=out)
    read = run.call_args.args[0]
    assert sorted(g.human for g in read) == sorted(score / 10 for _, score in texts)
    assert {g.judge_input.question for g in read} == {spec.prompt}
    printed = out.getvalue()
    assert "12 human grades" in printed and "before (flat): Pearson" in printed and "after  (iso-" in printed
    # The held-aside grades are better served by a refit than by "partly met" everywhere: it is adopted,
    # written where every process reads it, and a process that starts grades with it.
    assert outcomes[0].adopted and f"adopted, written to {tmp_path / 'calibration.json'}" in printed
    assert calibration_current() == outcomes[0].candidate
    judges.offline_judge.cache_clear()
    try:
        assert judges.offline_judge().version.endswith(outcomes[0].candidate.version)
    finally:
        judges.offline_judge.cache_clear()


@pytest.mark.django_db
def test_an_unwritable_calibration_file_is_a_clear_error_and_the_current_one_stays(
    candidate, settings, tmp_path
) -> None:
    graded_by_people(candidate)
    settings.JUDGE_CALIBRATION_FILE = str(tmp_path / "missing-folder" / "calibration.json")
    with (
        alternate_held_aside(),
        mock.patch.object(Calibration, "load", return_value=FLAT),
        pytest.raises(CommandError, match="set JUDGE_CALIBRATION_FILE"),
    ):
        call_command("recalibrate_judge", "--min-grades", "5", "--held-aside", "0.5", stdout=StringIO())
    assert not (tmp_path / "missing-folder").exists()


@pytest.mark.django_db
def test_too_few_human_grades_keep_the_calibration() -> None:
    out = StringIO()
    with mock.patch.object(Calibration, "save") as save:
        call_command("recalibrate_judge", stdout=out)
    assert "0 human grades, fewer than 20: the calibration is kept." in out.getvalue()
    save.assert_not_called()
