"""The LLM's draft rubric for imported questions whose document gave none (the import proposes one from the
answer's bullet points; the LLM's, when there is one, replaces it)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from openai import OpenAI

from interviews.grading.rubric_proposal import rubric_propose
from questionbank.models import Misconception, Question, RubricCriterion

logger = logging.getLogger(__name__)


def proposals_wanted() -> bool:
    return bool(settings.OPENAI_API_KEY)


def question_rubric_propose(*, question_id: int) -> bool:
    """Replace a draft's proposed rubric with the LLM's; whether it did. A question that is no longer a draft,
    or whose rubric someone accepted or wrote in the meantime, is left alone."""
    question = Question.objects.filter(pk=question_id, status=Question.Status.DRAFT).first()
    if question is None or not _all_proposed(question):
        return False
    client = OpenAI(
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        timeout=settings.OPENAI_TIMEOUT,
        max_retries=0,
    )
    proposal = rubric_propose(
        client,
        model=settings.OPENAI_MODEL,
        prompt=question.prompt,
        reference_answer=question.reference_answer,
        response_format=settings.OPENAI_RESPONSE_FORMAT,
        temperature=settings.OPENAI_TEMPERATURE,
        max_tokens=settings.OPENAI_MAX_TOKENS,
    )
    if proposal is None:
        logger.info("question %s keeps the rubric proposed from its answer", question_id)
        return False
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question_id)
        if question.status != Question.Status.DRAFT or not _all_proposed(question):
            return False
        question.rubric.all().delete()  # their misconceptions go with them
        question.misconceptions.all().delete()
        criteria = [
            RubricCriterion.objects.create(
                question=question,
                order=order,
                description=p.description,
                points=p.points,
                terms=list(p.terms),
                proposed=True,
            )
            for order, p in enumerate(proposal.points)
        ]
        for order, m in enumerate(proposal.misconceptions):
            Misconception.objects.create(
                question=question,
                order=order,
                claim=m.claim,
                phrasings=list(m.phrasings),
                criterion=criteria[m.contradicts - 1],
                proposed=True,
            )
    return True


def _all_proposed(question: Question) -> bool:
    return (
        not question.rubric.filter(proposed=False).exists()
        and not question.misconceptions.filter(proposed=False).exists()
    )
