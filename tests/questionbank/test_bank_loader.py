from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from questionbank.bank_files import DATA_DIR
from questionbank.models import Question, RubricCriterion, Topic
from questionbank.services import bank_load


def _snapshot() -> dict[str, object]:
    return {
        "questions": list(Question.objects.order_by("pk").values()),
        "rubric": list(RubricCriterion.objects.order_by("pk").values()),
        "topics": list(Topic.objects.order_by("pk").values()),
        "question_topics": sorted(Question.topics.through.objects.values_list("question_id", "topic_id")),
    }


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the bank files that a test may edit."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def _edit(path: Path, change) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _first_question_file(data_dir: Path) -> Path:
    return sorted(p for p in data_dir.glob("*.yaml") if p.name != "topics.yaml")[0]


def test_second_load_changes_nothing(db) -> None:
    first = bank_load()
    before = _snapshot()

    second = bank_load()

    assert first.created and not first.updated
    assert not second.changed
    assert second.unchanged == len(first.created) == Question.objects.count()
    # updated_at and every other column, rubric rows and topic links are exactly as before.
    assert _snapshot() == before


def test_edited_file_updates_in_place(db, data_copy: Path) -> None:
    call_command("load_question_bank", data_dir=data_copy, verbosity=0)
    path = _first_question_file(data_copy)
    slug = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"][0]["slug"]
    question = Question.objects.get(slug=slug)
    criterion_ids = list(question.rubric.values_list("pk", flat=True))
    old_points = question.rubric.get(order=0).points

    def change(content: dict) -> None:
        content["questions"][0]["prompt"] = "改过的题目：请解释这个概念。"
        content["questions"][0]["rubric"][0]["points"] = old_points + 1

    _edit(path, change)
    report = bank_load(data_dir=data_copy)

    assert report.updated == [slug] and not report.created
    edited = Question.objects.get(pk=question.pk)
    assert edited.prompt == "改过的题目：请解释这个概念。"
    assert edited.updated_at > question.updated_at
    assert list(edited.rubric.values_list("pk", flat=True)) == criterion_ids
    assert edited.rubric.get(order=0).points == old_points + 1


def test_a_bad_file_loads_nothing(db, data_copy: Path) -> None:
    files = sorted(p for p in data_copy.glob("*.yaml") if p.name != "topics.yaml")
    _edit(files[0], lambda content: content["questions"][0].update(prompt="这次修改不应生效"))
    _edit(files[-1], lambda content: content["questions"][0]["rubric"][0].update(points=0))

    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_question_bank", data_dir=data_copy, verbosity=0)

    assert not Question.objects.exists()
    assert not Topic.objects.exists()


def test_a_bad_file_leaves_a_loaded_bank_as_it_was(db, data_copy: Path) -> None:
    bank_load(data_dir=data_copy)
    before = _snapshot()
    files = sorted(p for p in data_copy.glob("*.yaml") if p.name != "topics.yaml")
    _edit(files[0], lambda content: content["questions"][0].update(prompt="这次修改不应生效"))
    files[-1].write_text("questions: [unclosed\n", encoding="utf-8")

    with pytest.raises(CommandError, match=files[-1].name):
        call_command("load_question_bank", data_dir=data_copy, verbosity=0)

    assert _snapshot() == before
