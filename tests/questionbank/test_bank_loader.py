"""Loading the bank files into the database, and exporting it back: admin edits are never silently lost."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from questionbank.bank_files import DATA_DIR, read_bank
from questionbank.models import Misconception, Question, RubricCriterion, Topic
from questionbank.services import bank_load
from tests.questionbank.factories import QuestionFactory


def _snapshot() -> dict[str, object]:
    return {
        "questions": list(Question.objects.order_by("pk").values()),
        "rubric": list(RubricCriterion.objects.order_by("pk").values()),
        "misconceptions": list(Misconception.objects.order_by("pk").values()),
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


def _load(data_dir: Path = DATA_DIR, *, force: bool = False) -> str:
    out = StringIO()
    call_command("load_question_bank", data_dir=data_dir, force=force, stdout=out)
    return out.getvalue()


def _first_question(data_dir: Path) -> dict:
    return yaml.safe_load(_first_question_file(data_dir).read_text(encoding="utf-8"))["questions"][0]


def _new_prompt(prompt: str):
    """An edit of the file's first question: a new prompt."""
    return lambda content: content["questions"][0].update(prompt=prompt)


def _edit_terms_as_an_admin(slug: str) -> RubricCriterion:
    """What the admin's rubric inline does: change a point's accepted terms and save the row."""
    criterion = RubricCriterion.objects.get(question__slug=slug, order=0)
    criterion.terms = [*criterion.terms, "管理员加的术语"]
    criterion.save()
    return criterion


def test_an_admin_edit_survives_loading_the_files_and_the_output_names_it(db, data_copy: Path) -> None:
    _load(data_copy)
    slug = _first_question(data_copy)["slug"]
    edited = _edit_terms_as_an_admin(slug)

    out = _load(data_copy)

    assert RubricCriterion.objects.get(pk=edited.pk).terms == edited.terms
    assert "0 created, 0 updated" in out
    assert "Kept 1 question(s) edited since the last load" in out and out.rstrip().endswith(slug)


def test_an_admin_edit_is_kept_even_when_the_file_changed_too(db, data_copy: Path) -> None:
    _load(data_copy)
    slug = _first_question(data_copy)["slug"]
    edited = _edit_terms_as_an_admin(slug)
    _edit(
        _first_question_file(data_copy),
        lambda c: c["questions"][0].update(prompt="文件里改过的题目：请解释。"),
    )

    report = bank_load(data_dir=data_copy)

    assert report.kept_edits == [slug] and not report.updated and not report.overwritten
    assert Question.objects.get(slug=slug).prompt != "文件里改过的题目：请解释。"
    assert RubricCriterion.objects.get(pk=edited.pk).terms == edited.terms


def test_force_overwrites_an_admin_edit_and_says_so(db, data_copy: Path) -> None:
    _load(data_copy)
    question = _first_question(data_copy)
    edited = _edit_terms_as_an_admin(question["slug"])

    out = _load(data_copy, force=True)

    assert RubricCriterion.objects.get(pk=edited.pk).terms == [str(t) for t in question["rubric"][0]["terms"]]
    assert f"Overwrote 1 edited question(s) with the files (--force): {question['slug']}" in out
    assert "Kept" not in out
    assert "unchanged" in _load(data_copy) and "Kept" not in _load(data_copy), "loaded as the files say"


def test_a_question_made_in_the_admin_with_a_slug_in_the_files_is_kept(db, data_copy: Path) -> None:
    slug = _first_question(data_copy)["slug"]
    own = QuestionFactory(slug=slug, prompt="管理员自己写的题目")
    assert own.loaded_fingerprint == ""

    out = _load(data_copy)

    kept = Question.objects.get(slug=slug)
    assert (kept.pk, kept.prompt) == (own.pk, "管理员自己写的题目")
    assert out.rstrip().endswith(slug) and "Kept 1 question(s)" in out


def test_exporting_then_loading_the_export_changes_nothing(db, data_copy: Path) -> None:
    first = _load(data_copy)
    before = _snapshot()
    total = Question.objects.count()

    call_command("export_question_bank", data_dir=data_copy, stdout=StringIO())
    out = _load(data_copy)

    assert f"0 created, 0 updated, {total} unchanged" in out and "Kept" not in out
    assert "0 created" not in first
    assert _snapshot() == before


def test_an_exported_admin_edit_then_loads_as_unchanged(db, data_copy: Path) -> None:
    _load(data_copy)
    slug = _first_question(data_copy)["slug"]
    edited = _edit_terms_as_an_admin(slug)

    call_command("export_question_bank", data_dir=data_copy, stdout=StringIO())
    report = bank_load(data_dir=data_copy)

    assert not report.changed and not report.kept_edits
    assert report.unchanged == Question.objects.count()
    assert "管理员加的术语" in _first_question(data_copy)["rubric"][0]["terms"]
    assert RubricCriterion.objects.get(pk=edited.pk).terms == edited.terms
    # The files now say what the row says: the next change to the files is loaded again.
    _edit(
        _first_question_file(data_copy),
        lambda c: c["questions"][0].update(prompt="导出后再改的题目：请解释。"),
    )
    assert bank_load(data_dir=data_copy).updated == [slug]


def test_misconceptions_load_with_the_rubric_point_they_contradict(db) -> None:
    bank_load()
    specs = read_bank().questions

    assert Misconception.objects.count() == sum(len(spec.misconceptions) for spec in specs) > 0
    for spec in specs:
        loaded = list(Misconception.objects.filter(question__slug=spec.slug).select_related("criterion"))
        assert [m.claim for m in loaded] == [m.claim for m in spec.misconceptions], spec.slug
        for misconception, wanted in zip(loaded, spec.misconceptions, strict=True):
            assert misconception.phrasings == wanted.phrasings
            assert misconception.criterion.order == wanted.contradicts - 1, spec.slug
            assert misconception.criterion.question.slug == spec.slug


def test_a_misconception_contradicting_a_point_the_rubric_lacks_loads_nothing(db, data_copy: Path) -> None:
    bank_load(data_dir=data_copy)
    before = _snapshot()
    files = sorted(p for p in data_copy.glob("*.yaml") if p.name != "topics.yaml")
    _edit(files[0], lambda content: content["questions"][0].update(prompt="这次修改不应生效"))
    _edit(files[-1], lambda content: content["questions"][0]["misconceptions"][0].update(contradicts=99))

    with pytest.raises(
        CommandError, match=r"(?s)Nothing was loaded: .*contradicts point 99, but the rubric has \d+ points"
    ):
        _load(data_copy)

    assert _snapshot() == before


def test_a_term_the_prompt_already_contains_is_refused_naming_the_point(db, data_copy: Path) -> None:
    path = _first_question_file(data_copy)
    prompt = _first_question(data_copy)["prompt"]
    words = prompt.strip()[:4]  # the prompt's first four characters

    _edit(path, lambda content: content["questions"][0]["rubric"][1]["terms"].append(words))

    with pytest.raises(CommandError, match=rf"rubric point 2: term '{words}' occurs in the prompt"):
        _load(data_copy)
    assert not Question.objects.exists()
