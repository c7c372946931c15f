"""Imports: each seed's questions, line-numbered errors with nothing written, round trips, the admin flow."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from questionbank.importers.bank_yaml import parse_bank_yaml
from questionbank.importers.dispatch import ImportRefused, parse_document
from questionbank.importers.qa_text import parse_qa_text
from questionbank.importers.tabular import parse_csv, write_csv
from questionbank.imports import CREATE, DUPLICATE, import_apply, import_preview, prompt_similarity
from questionbank.models import Question

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# Counted by reading each seed (headings at the start of a line, their answers until the next one):
# 000: questions 1.–9.;
# 001: "1. 介绍一下大模型" (answered by a table of contents) and sections 一、 to 六、
#      (the numbered lines inside 二、三、五、 are lists in the answers) = 7;
# 002: subsections 1.1–6.2 (13) and sections 七、 to 十、 (4), the headings 如何让大模型处理更长的文本,
#      如何训练自己的大模型, 训练中文大模型经验 (3) and the interview questions 1.–28. = 48
#      (MANIFEST.tsv has 45: it merges 2.x, 3.x, 5.x and 6.x, and takes two points out of 6.2 and
#      the cut-off hallucination paragraph);
# 003: 1.–4.; 004: 18 unnumbered questions under five "…篇" section titles.
SEED_COUNTS = {"000": 9, "001": 7, "002": 48, "003": 4, "004": 18}


@pytest.fixture(autouse=True)
def _english(settings) -> Iterator[None]:
    """Pages are asserted in English, the message ids; the admin defaults to Chinese."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize("prefix", sorted(SEED_COUNTS))
def test_each_seed_document_gives_its_questions(prefix: str) -> None:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    parsed = parse_qa_text(path.read_text(encoding="utf-8"))
    assert not parsed.errors
    assert len(parsed.drafts) == SEED_COUNTS[prefix]


def test_prompts_and_answers_are_split_and_noise_is_skipped() -> None:
    (path,) = SEEDS.glob("000_*.txt")
    drafts = parse_qa_text(path.read_text(encoding="utf-8")).drafts
    assert drafts[1].prompt == "Multi-query Attention 与 Grouped-query Attention 是否了解?区别是什么?"
    assert drafts[1].reference_answer.startswith("1. Multi-Head Attention (MHA):")
    assert all("References" not in d.reference_answer and "[1]:" not in d.reference_answer for d in drafts)
    assert "余额" not in drafts[-1].reference_answer  # the page's footer is not an answer
    (path,) = SEEDS.glob("004_*.txt")
    drafts = parse_qa_text(path.read_text(encoding="utf-8")).drafts
    assert drafts[4].prompt == "Bert 和 GPT 的区别:"
    assert "模型优化篇" not in drafts[-2].reference_answer  # a section title belongs to no answer


@pytest.mark.parametrize(
    "document",
    [
        "# 面试题\n\n## 1. 什么是 KV cache？\n\nKV cache 缓存已生成 token 的 K 和 V。\n",
        "## 什么是 KV cache？\n\nKV cache 缓存已生成 token 的 K 和 V。\n\n"
        "## 什么是 GQA？\n\n查询头分组共享 K/V。\n",
        "# 面试题\n\n## 1. 什么是 KV cache？\n\nKV cache 缓存已生成 token 的 K 和 V。\n\n"
        "## 2. 什么是 GQA？\n\n查询头分组共享 K/V。\n\n## 3. 什么是 MQA？\n\n所有查询头共享一组 K/V。\n",
    ],
)
def test_one_or_a_few_questions_under_markdown_headings_import_without_their_numbers_or_title(
    document: str,
) -> None:
    """An admin's small file: one or two questions under headings (too few numbers for the numbered
    reading) found nothing; a "## 1. …" heading kept its "1. "; the document's title was a question
    without an answer."""
    parsed = parse_qa_text(document)
    assert not parsed.errors
    assert parsed.drafts[0].prompt == "什么是 KV cache？"
    assert parsed.drafts[0].reference_answer == "KV cache 缓存已生成 token 的 K 和 V。"


@pytest.mark.parametrize(
    "document",
    [
        "问：什么是 KV cache？\n答：缓存已生成 token 的 K 和 V。\n\n"
        "问：什么是 GQA？\n答：查询头分组共享 K/V。\n",
        "Q1: 什么是 KV cache？\nA: 缓存已生成 token 的 K 和 V。\n"
        "Q2: 什么是 GQA？\nAnswer: 查询头分组共享 K/V。\nQ3: 什么是 MQA？\nA: 所有查询头共享一组 K/V。\n",
        "1. 什么是 KV cache？\n答：缓存已生成 token 的 K 和 V。\n2. 什么是 GQA？\n答：查询头分组共享 K/V。\n"
        "3. 什么是 MQA？\n答：所有查询头共享一组 K/V。\n",
    ],
)
def test_questions_and_answers_labelled_q_and_a_import_without_their_labels(document: str) -> None:
    """ "问：… / 答：…" and "Q: … / A: …" documents found nothing, and a numbered one kept "答：" in every
    reference answer."""
    parsed = parse_qa_text(document)
    assert not parsed.errors
    assert [d.prompt for d in parsed.drafts][:2] == ["什么是 KV cache？", "什么是 GQA？"]
    assert parsed.drafts[0].reference_answer == "缓存已生成 token 的 K 和 V。"
    assert parsed.drafts[1].reference_answer == "查询头分组共享 K/V。"


def test_near_duplicate_prompts_are_found_in_chinese() -> None:
    assert prompt_similarity("如何让大模型处理更长的文本", "如何让大模型处理更长的文本?") == 1.0
    assert (
        prompt_similarity("LLaMA模型输入句子理论上可以无限长吗?", "llama 输入句子长度理论上可以无限长吗?")
        >= 0.6
    )
    assert prompt_similarity("什么是 LLMs 复读机问题?", "为什么会出现 LLMs 复读机问题?") < 0.6


def test_the_index_finds_the_duplicates_that_comparing_every_pair_finds() -> None:
    from questionbank.imports import DUPLICATE_AT, _PromptIndex

    rng = random.Random(7)
    alphabet = "注意力缩放梯度方差模型训练推理显存"
    prompts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(3, 30))) for _ in range(150)]
    prompts += [p[: rng.randrange(len(p))] + p[rng.randrange(len(p)) :] for p in prompts[:60]]  # near copies
    index = _PromptIndex(prompts[:20], prompts[20:])
    found = 0
    for number, prompt in enumerate(prompts[20:], 20):
        scores = [prompt_similarity(prompt, earlier) for earlier in prompts[:number]]
        best = max(range(number), key=lambda i: (scores[i], -i))
        expected = (prompts[best], scores[best]) if scores[best] >= DUPLICATE_AT else ("", 0.0)
        assert index.duplicate_of(prompt) == expected, prompt
        found += bool(expected[0])
        index.add(prompt)
    assert found > 30  # the check met many duplicates, not only misses


@pytest.mark.django_db
def test_a_seed_imports_as_drafts_with_proposed_rubrics_and_a_second_import_finds_duplicates() -> None:
    (path,) = SEEDS.glob("003_*.txt")
    plan = import_preview(parse_document(path.name, path.read_bytes()))
    assert plan.count(CREATE) == 4 and Question.objects.count() == 0  # the preview writes nothing
    written = import_apply(plan)
    assert [q.status for q in written] == ["draft"] * 4
    for question in written:
        rubric = list(question.rubric.all())
        assert sum(c.points for c in rubric) == 10 and all(c.proposed for c in rubric)
    again = import_preview(parse_document(path.name, path.read_bytes()))
    assert again.count(DUPLICATE) == 4 and again.count(CREATE) == 0


@pytest.mark.django_db
def test_wrong_claims_the_answer_names_are_proposed_as_misconceptions() -> None:
    answer = (
        "- LayerNorm 不是对 batch 维归一化，而是对每个样本的特征维归一化。\n"
        "- 推理时不依赖 batch 大小。\n"
        "- 实现不是很难，错误率也低。\n"  # no contrast, no 误区: nothing wrong is named
        "- 常见误区：认为 LayerNorm 与 BatchNorm 在训练时行为一样。"
    )
    text = "prompt,reference_answer\n" + f'LayerNorm 和 BatchNorm 有什么区别?,"{answer}"\n'
    (question,) = import_apply(import_preview(parse_csv(text)))
    rubric = list(question.rubric.all())
    got = [(m.claim, m.phrasings, m.criterion, m.proposed) for m in question.misconceptions.all()]
    assert got == [
        (
            "LayerNorm 不是对 batch 维归一化，而是对每个样本的特征维归一化。",
            ["对 batch 维归一化"],
            rubric[0],
            True,
        ),
        (
            "常见误区：认为 LayerNorm 与 BatchNorm 在训练时行为一样。",
            ["LayerNorm 与 BatchNorm 在训练时行为一样"],
            rubric[3],
            True,
        ),
    ]


MALFORMED = {
    "bad.csv": ("prompt,reference_answer,difficulty\nQ1,A1,easy\nQ2,A2,impossible\n", 3),
    "bad.yaml": ("topic: attention\nquestions:\n  - slug: Bad Slug\n    prompt: x\n", 3),
    "broken.yaml": ("topic: attention\nquestions: [\n  - slug\n", 3),
    "empty.md": ("just some text without any question at all, a long sentence that goes on and on.\n", 1),
    "bad.xml": (
        '<?xml version="1.0"?>\n<quiz>\n  <question type="essay">\n    <name><text>x</text>\n</quiz>\n',
        5,
    ),
    "bad-type.xml": (
        '<quiz>\n<question type="multichoice">\n<name><text>m</text></name>\n</question>\n</quiz>',
        1,  # nothing to import: the multiple-choice question is skipped
    ),
    "bad.gift": ("::q1:: 为什么要 scale? {####防止梯度消失}\n\n// a comment\n::q2:: 没有答案块\n", 4),
    "unclosed.gift": ("::q1:: 为什么? {=答案\n", 1),
    "twice.csv": ("slug,prompt,reference_answer\nq-1,问题一?,答案一\nq-1,问题二?,答案二\n", 3),
    "bad-slug.csv": ("slug,prompt,reference_answer\nBad Slug,问题一?,答案一\n", 2),
    "zero-points.csv": (
        'prompt,reference_answer,rubric\n问题一?,答案一,"要点一 | 10 | a\n要点二 | 0 | b"\n',
        3,
    ),
    "zero-seconds.csv": ("prompt,reference_answer,suggested_seconds\n问题一?,答案一,0\n", 2),
    "bad-language.csv": ("prompt,reference_answer,language\n问题一?,答案一,klingon\n", 2),
    "huge-field.csv": ("prompt,reference_answer\n问题一?,答案一\n问题二?," + "长" * 140_000 + "\n", 3),
    "deep.yaml": ("[" * 5000 + "]" * 5000, 1),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_gives_line_numbered_errors_and_writes_nothing(
    name: str, client, admin_user
) -> None:
    text, line = MALFORMED[name]
    plan = import_preview(parse_document(name, text.encode()))
    assert plan.errors and plan.errors[0].line == line, plan.errors
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:questionbank_question_import"), {"name": name, "content": text, "confirm": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and f"line {line}:" in page
    assert ("import-preview" in page) == bool(plan.rows)  # no empty table of questions under the errors
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_questions_of_other_kinds_are_skipped_with_a_warning_and_the_rest_imports() -> None:
    moodle = (
        '<quiz>\n<question type="multichoice">\n<name><text>Question 1</text></name>\n</question>\n'
        '<question type="essay">\n<name><text>Question 2</text></name>\n'
        "<questiontext><text>为什么要缩放？</text></questiontext>\n"
        "<graderinfo><text>让方差为 1。</text></graderinfo>\n</question>\n</quiz>"
    )
    gift = (
        "::mc::下列哪个是位置编码？{=RoPE ~ReLU ~Adam}\n\n::tf::RoPE 是相对位置编码。{T}\n\n"
        "::q::为什么？{####方差}\n"
    )

    for name, text, skipped in (("mixed.xml", moodle, [2]), ("mixed.gift", gift, [1, 3])):
        plan = import_preview(parse_document(name, text.encode()))
        assert not plan.errors and [w.line for w in plan.warnings] == skipped, name
        assert "question skipped" in str(plan.warnings[0]) and len(plan.rows) == 1
    # A Moodle name is no slug: the import makes one.
    assert import_preview(parse_document("mixed.xml", moodle.encode())).rows[0].draft.slug == ""


@pytest.mark.django_db
def test_errors_are_listed_in_the_files_order() -> None:
    text = (
        "slug,prompt,reference_answer,difficulty\nBad Slug,问题一?,答案一,easy\n"
        "q-2,问题二?,答案二,impossible\n"
    )
    plan = import_preview(parse_document("two.csv", text.encode()))
    assert [e.line for e in plan.errors] == [2, 3]


def test_files_of_other_types_or_too_large_are_refused() -> None:
    with pytest.raises(ImportRefused):
        parse_document("questions.docx", b"PK")
    with pytest.raises(ImportRefused):
        parse_document("big.txt", b"x" * (2 * 1024 * 1024 + 1))


def test_csv_export_then_import_is_the_same() -> None:
    text = (
        "prompt,reference_answer,topics,difficulty,rubric\n"
        '"为什么要 scale?","防止 softmax 梯度消失",attention,hard,"方差变大 | 6 | 方差\n梯度变小 | 4 | "\n'
    )
    drafts = parse_csv(text).drafts
    again = parse_csv(write_csv(drafts)).drafts
    assert [(d.prompt, d.reference_answer, d.topics, d.difficulty, d.rubric) for d in again] == [
        (d.prompt, d.reference_answer, d.topics, d.difficulty, d.rubric) for d in drafts
    ]
    assert drafts[0].rubric[0].terms == ["方差"] and drafts[0].rubric[1].points == 4


ROUND_TRIP_FORMATS = ["yaml", "csv", "xml", "gift"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_import_export_import_changes_nothing(fmt: str) -> None:
    """A bank file imported, exported in each format and imported again: every question unchanged."""
    from questionbank.exports import questions_export
    from questionbank.imports import UNCHANGED
    from questionbank.models import Topic

    bank_file = Path(__file__).resolve().parents[2] / "questionbank" / "data" / "attention.yaml"
    Topic.objects.create(slug="attention", name_zh="注意力", name_en="Attention")
    parsed = parse_bank_yaml(bank_file.read_text(encoding="utf-8"))
    import_apply(import_preview(parsed))
    # The admin allows up to four hours per question: every format, the bank's own too, takes it back.
    Question.objects.filter(pk=Question.objects.first().pk).update(suggested_seconds=4 * 3600)
    before = {q.slug: (q.prompt, q.reference_answer, q.updated_at) for q in Question.objects.all()}
    export = questions_export(Question.objects.prefetch_related("topics", "rubric", "misconceptions"), fmt)
    assert not export.skipped
    plan = import_preview(parse_document(export.filename, export.content))
    assert not plan.errors
    assert {row.action for row in plan.rows} == {UNCHANGED} and len(plan.rows) == len(before)
    import_apply(plan)
    assert {q.slug: (q.prompt, q.reference_answer, q.updated_at) for q in Question.objects.all()} == before


@pytest.mark.django_db
def test_an_import_changes_content_but_never_publishes() -> None:
    from questionbank.imports import UNCHANGED, UPDATE
    from questionbank.models import Topic

    Topic.objects.create(slug="attention", name_zh="注意力", name_en="Attention")
    text = (
        "topic: attention\nquestions:\n  - slug: zero-one\n    sources: [S000-01]\n    difficulty: easy\n"
        "    suggested_seconds: 120\n    status: published\n    prompt: ZeRO-1 分片的是什么？\n"
        "    reference_answer: {answer}\n    rubric:\n"
        "      - {{description: 优化器状态分片, points: 3, terms: [优化器状态]}}\n"
        "      - {{description: 梯度不分片, points: 3, terms: [梯度]}}\n"
        "      - {{description: 参数不分片, points: 3, terms: [参数]}}\n"
        "    misconceptions:\n      - {{claim: ZeRO-1 分片参数, phrasings: [分片参数], contradicts: 3}}\n"
    )
    import_apply(import_preview(parse_bank_yaml(text.format(answer="优化器状态。"))))
    assert Question.objects.get(slug="zero-one").status == "draft"

    same = import_preview(parse_bank_yaml(text.format(answer="优化器状态。")))
    changed = import_preview(parse_bank_yaml(text.format(answer="只分片优化器状态。")))
    import_apply(changed)

    assert [r.action for r in same.rows] == [UNCHANGED] and [r.action for r in changed.rows] == [UPDATE]
    question = Question.objects.get(slug="zero-one")
    assert (question.status, question.reference_answer) == ("draft", "只分片优化器状态。")


def test_bank_yaml_problems_are_told_in_the_admins_language() -> None:
    text = (
        "topic: attention\nquestions:\n  - slug: Bad Slug\n    difficulty: extreme\n"
        "    suggested_seconds: ten\n"
        "    colour: red\n    prompt: ''\n    misconceptions: []\n"
    )
    with translation.override("zh-hans"):
        errors = [str(e) for e in parse_bank_yaml(text).errors]

    assert "line 3: questions.0.slug: 只能用小写字母、数字和单个连字符" in errors
    assert "line 4: questions.0.difficulty: 必须是 'easy', 'medium', 'hard' 之一" in errors
    assert "line 5: questions.0.suggested_seconds: 必须是整数" in errors
    assert "line 6: questions.0.colour: 不是此格式的字段" in errors
    assert "line 8: questions.0.misconceptions: 至少需要 1 项" in errors
    assert any(e.endswith("reference_answer: 必填") for e in errors)
    assert not any(re.search("[A-Z][a-z]+ (should|required)", e) for e in errors), errors


def test_bank_yaml_is_read_by_bank_files() -> None:
    bank_file = Path(__file__).resolve().parents[2] / "questionbank" / "data" / "attention.yaml"
    parsed = parse_bank_yaml(bank_file.read_text(encoding="utf-8"))
    assert not parsed.errors and parsed.drafts and all(d.spec is not None for d in parsed.drafts)


@pytest.mark.django_db
def test_the_command_previews_and_applies(capsys) -> None:
    (path,) = SEEDS.glob("000_*.txt")
    call_command("import_questions", str(path))
    assert "9 to create" in capsys.readouterr().out and Question.objects.count() == 0
    call_command("import_questions", str(path), "--apply")
    assert Question.objects.filter(status="draft").count() == 9


@pytest.mark.django_db
def test_the_admin_previews_then_imports_on_confirmation(client: Client, admin_user) -> None:
    (path,) = SEEDS.glob("003_*.txt")
    client.force_login(admin_user)
    url = reverse("admin:questionbank_question_import")
    with path.open("rb") as document:
        page = client.post(url, {"document": document}).content.decode()
    assert "4 to create (as drafts), 0 to update, 0 unchanged" in page and Question.objects.count() == 0
    response = client.post(
        url, {"name": path.name, "content": path.read_text(encoding="utf-8"), "confirm": "1"}
    )
    assert response.status_code == 302 and Question.objects.filter(status="draft").count() == 4


@pytest.mark.django_db
def test_a_file_that_passed_the_preview_is_not_refused_on_confirmation_for_its_line_breaks(
    client: Client, admin_user
) -> None:
    """The browser posts the confirmed text back with CRLF line breaks: 2.0 MB with LF must still pass."""
    (path,) = SEEDS.glob("003_*.txt")
    text = path.read_text(encoding="utf-8").rstrip("\n") + "是" * 530_000 + "\n" * 400_000
    assert len(text.encode()) < 2 * 1024 * 1024 < len(text.replace("\n", "\r\n").encode())
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:questionbank_question_import"),
        {"name": path.name, "content": text.replace("\n", "\r\n"), "confirm": "1"},
    )

    assert response.status_code == 302 and Question.objects.count() == 4


@pytest.mark.django_db
def test_the_admin_refuses_a_large_or_unknown_file_with_a_clear_message(client: Client, admin_user) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    url = reverse("admin:questionbank_question_import")
    big = SimpleUploadedFile("big.txt", b"1. q?\n" + b"a" * (2 * 1024 * 1024))
    page = client.post(url, {"document": big}).content.decode()
    assert "is larger than the 2048 KB allowed" in page
    page = client.post(url, {"document": SimpleUploadedFile("q.pdf", b"%PDF")}).content.decode()
    assert "files of type .pdf cannot be imported" in page
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_while_writing_leaves_nothing_half_written(monkeypatch) -> None:
    from questionbank import imports

    (path,) = SEEDS.glob("003_*.txt")
    plan = import_preview(parse_document(path.name, path.read_bytes()))
    real_create, calls = imports._create, []

    def fail_on_third(draft, topics):
        calls.append(draft)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real_create(draft, topics)

    monkeypatch.setattr(imports, "_create", fail_on_third)
    with pytest.raises(RuntimeError):
        import_apply(plan)
    assert Question.objects.count() == 0


@pytest.mark.django_db
def test_unknown_topics_are_named_but_do_not_block() -> None:
    plan = import_preview(parse_csv("prompt,reference_answer,topics\n问题一?,答案一,no-such-topic\n"))
    assert not plan.errors and plan.count(CREATE) == 1
    assert [str(w) for w in plan.warnings] == ["line 2: unknown topics left out: no-such-topic"]
