from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.selectors import question_list, topic_list_with_counts
from catalogue.views import PAGE_SIZE
from interviews.models import Answer
from questionbank.bank_files import read_topics
from questionbank.models import Question
from questionbank.selectors import topics_with_published_questions
from tests.interviews.factories import AnswerFactory
from tests.questionbank.factories import QuestionFactory


def _slugs(response) -> list[str]:
    return [question.slug for question in response.context["page"].object_list]


def test_the_catalogue_needs_a_login(client: Client, db) -> None:
    response = client.get(reverse("catalogue"))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_catalogue_filters_by_topic_and_difficulty(client: Client, candidate, topics) -> None:
    QuestionFactory(slug="mqa", topics=[topics["attention"]], difficulty="easy")
    QuestionFactory(slug="flash", topics=[topics["attention"]], difficulty="hard")
    QuestionFactory(slug="lora", topics=[topics["finetuning"]], difficulty="easy")
    client.force_login(candidate)

    assert sorted(_slugs(client.get(reverse("catalogue"), {"topic": "attention"}))) == ["flash", "mqa"]
    assert sorted(_slugs(client.get(reverse("catalogue"), {"difficulty": "easy"}))) == ["lora", "mqa"]
    both = client.get(reverse("catalogue"), {"topic": "attention", "difficulty": "easy"})
    assert _slugs(both) == ["mqa"]
    assert b"1 question" in both.content or "1 道题".encode() in both.content


def test_an_unknown_filter_value_is_ignored(client: Client, candidate, topics) -> None:
    QuestionFactory(slug="mqa", topics=[topics["attention"]])
    client.force_login(candidate)

    response = client.get(reverse("catalogue"), {"topic": "no-such-topic", "difficulty": "impossible"})

    assert response.status_code == 200
    assert _slugs(response) == ["mqa"]


def test_chinese_search_matches_prompts_and_topic_names(client: Client, candidate, topics) -> None:
    QuestionFactory(slug="kv-cache", prompt="为什么推理时需要 KV Cache？")
    QuestionFactory(slug="scaling", prompt="缩放点积注意力为什么要除以 $\\sqrt{d_k}$？")
    QuestionFactory(slug="mqa", prompt="MQA 与 GQA 的区别是什么？", topics=[topics["attention"]])
    QuestionFactory(slug="lora", prompt="LoRA 的原理是什么？", topics=[topics["finetuning"]])
    client.force_login(candidate)

    assert sorted(_slugs(client.get(reverse("catalogue"), {"q": "注意力"}))) == ["mqa", "scaling"]
    assert _slugs(client.get(reverse("catalogue"), {"q": "推理"})) == ["kv-cache"]
    assert _slugs(client.get(reverse("catalogue"), {"q": "fine-tuning"})) == ["lora"]
    assert _slugs(client.get(reverse("catalogue"), {"q": "注意力 GQA"})) == ["mqa"]


def test_a_search_longer_than_the_box_allows_searches_by_its_start(client: Client, candidate) -> None:
    QuestionFactory(slug="kv-cache", prompt="为什么推理时需要 KV Cache？")
    QuestionFactory(slug="lora", prompt="LoRA 的原理是什么？")
    client.force_login(candidate)

    response = client.get(reverse("catalogue"), {"q": "推理" + " 推理" * 2500})

    assert _slugs(response) == ["kv-cache"]
    assert b'maxlength="100"' in response.content


def test_a_concept_is_found_by_any_of_its_names_in_either_language(candidate, topics) -> None:
    QuestionFactory(slug="rope", prompt="RoPE 是如何编码相对位置的？")
    QuestionFactory(
        slug="rope-zh",
        prompt="旋转位置编码的外推问题",
        prompt_en="Why does rotary position embedding extrapolate badly?",
    )
    QuestionFactory(slug="kv", prompt="推理时的 KV 缓存有多大？", prompt_en="How large is the KV cache?")
    QuestionFactory(slug="alibi", prompt="ALiBi 的原理")

    def found(search: str) -> list[str]:
        return sorted(question_list(user=candidate, search=search).values_list("slug", flat=True))

    assert found("旋转位置编码") == ["rope", "rope-zh"]
    assert found("rope") == ["rope", "rope-zh"]
    assert found("kv cache 多大") == ["kv"]
    assert found("How large") == ["kv"]
    assert found("外推") == ["rope-zh"]


def test_searching_the_real_bank_for_attention_finds_every_attention_question(bank, candidate) -> None:
    attention = set(
        Question.objects.filter(topics__slug="attention", status="published").values_list("slug", flat=True)
    )

    found = set(question_list(user=candidate, search="注意力").values_list("slug", flat=True))

    assert attention, "the bank has attention questions"
    assert attention <= found


def test_the_catalogue_is_paginated_and_keeps_the_filters(client: Client, candidate, topics):
    for number in range(PAGE_SIZE + 5):
        QuestionFactory(slug=f"q{number:02}", topics=[topics["attention"]], difficulty="easy")
    QuestionFactory(slug="other", topics=[topics["finetuning"]])
    client.force_login(candidate)

    first = client.get(reverse("catalogue"), {"topic": "attention"})
    second = client.get(reverse("catalogue"), {"topic": "attention", "page": 2})

    assert len(_slugs(first)) == PAGE_SIZE and len(_slugs(second)) == 5
    assert not set(_slugs(first)) & set(_slugs(second))
    assert b'href="?topic=attention&amp;page=2"' in first.content
    assert first.context["page"].paginator.count == PAGE_SIZE + 5


def test_the_catalogue_query_count_does_not_grow_with_the_page(client: Client, candidate, topics):
    client.force_login(candidate)
    QuestionFactory(slug="first", topics=[topics["attention"], topics["finetuning"]])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("catalogue"))
    for number in range(15):
        QuestionFactory(slug=f"q{number:02}", topics=[topics["attention"], topics["finetuning"]])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("catalogue"))

    assert len(many) == len(few)


def test_an_htmx_request_gets_only_the_results_fragment(client: Client, candidate, topics) -> None:
    QuestionFactory(slug="mqa", topics=[topics["attention"]])
    client.force_login(candidate)

    fragment = client.get(reverse("catalogue"), {"q": "mqa"}, headers={"HX-Request": "true"})
    restore = client.get(
        reverse("catalogue"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert fragment.content.lstrip().startswith(b'<section id="results"')
    assert b"<html" not in fragment.content
    assert b"<html" in restore.content
    assert "HX-Request" in fragment["Vary"]


def test_draft_and_retired_questions_are_hidden_from_candidates(client: Client, candidate):
    QuestionFactory(slug="live")
    draft = QuestionFactory(slug="draft", status=Question.Status.DRAFT)
    QuestionFactory(slug="retired", status=Question.Status.RETIRED)
    client.force_login(candidate)

    assert _slugs(client.get(reverse("catalogue"))) == ["live"]
    assert client.get(reverse("question_detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("question_detail", args=["retired"])).status_code == 404


def test_interviewers_see_every_status_and_can_filter_by_it(client: Client, interviewer) -> None:
    QuestionFactory(slug="live")
    QuestionFactory(slug="draft", status=Question.Status.DRAFT)
    client.force_login(interviewer)

    assert sorted(_slugs(client.get(reverse("catalogue")))) == ["draft", "live"]
    assert _slugs(client.get(reverse("catalogue"), {"status": "draft"})) == ["draft"]
    assert client.get(reverse("question_detail", args=["draft"])).status_code == 200


def test_a_candidate_who_answered_a_retired_question_can_still_open_it(client: Client, candidate) -> None:
    question = QuestionFactory(slug="old", status=Question.Status.RETIRED)
    AnswerFactory(attempt__candidate=candidate, question=question, status=Answer.Status.SUBMITTED)
    client.force_login(candidate)

    assert client.get(reverse("question_detail", args=["old"])).status_code == 200


def test_the_question_page_speaks_the_viewers_language_with_the_other_one_a_click_away(
    client: Client, candidate
) -> None:
    QuestionFactory(slug="mqa", prompt="什么是 MQA？", prompt_en="What is MQA?")
    QuestionFactory(slug="zh-only", prompt="什么是 GQA？")
    client.force_login(candidate)
    url = reverse("question_detail", args=["mqa"])

    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    chinese = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
    only = client.get(reverse("question_detail", args=["zh-only"]), headers={"accept-language": "en"})

    assert english.index("What is MQA?") < english.index("Chinese original") < english.index("什么是 MQA？")
    assert chinese.index("什么是 MQA？") < chinese.index("英文版") < chinese.index("What is MQA?")
    # Marked with its language, so that a screen reader reads it with the right voice.
    assert '<div class="prose" lang="zh-Hans"><p>什么是 MQA？' in english
    assert '<div class="prose" lang="en"><p>What is MQA?' in chinese
    assert "什么是 GQA？" in only.content.decode() and b"Chinese original" not in only.content


def test_the_start_page_pitches_to_visitors_and_lists_topics_for_users(client: Client, candidate, topics):
    visitor = client.get(reverse("home"))
    assert reverse("signup").encode() in visitor.content

    client.force_login(candidate)
    user_page = client.get(reverse("home"))
    assert f"{reverse('catalogue')}?topic=attention".encode() in user_page.content


def test_the_language_switch_changes_the_interface(client: Client, candidate) -> None:
    client.force_login(candidate)
    assert "题库".encode() in client.get(reverse("catalogue")).content

    client.post(reverse("set_language"), {"language": "en", "next": reverse("catalogue")})

    assert b"Question catalogue" in client.get(reverse("catalogue")).content


def test_topics_are_listed_in_the_banks_display_order(bank, candidate) -> None:
    wanted = [t.slug for t in read_topics()]
    assert [t.slug for t in topic_list_with_counts(user=candidate)] == wanted
    assert [t.slug for t in topics_with_published_questions()] == wanted


def test_the_catalogue_marks_the_questions_i_have_answered(candidate, other_candidate) -> None:
    mine, drafted, theirs = (QuestionFactory(slug=slug) for slug in ("mine", "drafted", "theirs"))
    AnswerFactory(attempt__candidate=candidate, question=mine, status=Answer.Status.SUBMITTED)
    AnswerFactory(attempt__candidate=candidate, question=drafted, status=Answer.Status.DRAFT)
    AnswerFactory(attempt__candidate=other_candidate, question=theirs, status=Answer.Status.SUBMITTED)

    marked = {q.slug: q.answered for q in question_list(user=candidate)}

    assert marked == {"mine": True, "drafted": False, "theirs": False}
