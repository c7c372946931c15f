"""Reads of the bank that other apps build on: published questions matching a choice, topics that have any."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from questionbank.models import Question, Topic


def questions_published_matching(*, topic_slugs: Sequence[str], difficulty: str) -> QuerySet[Question]:
    """Published questions in any of the topics (none given: every topic) at the difficulty (blank: any)."""
    questions = Question.objects.filter(status=Question.Status.PUBLISHED)
    if topic_slugs:
        # A subquery rather than a join, so that a question in two chosen topics counts once.
        in_topics = Question.topics.through.objects.filter(topic__slug__in=topic_slugs).values("question")
        questions = questions.filter(pk__in=in_topics)
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    return questions


def private_questions() -> Q:
    """Interviewers' own questions not yet published: only their owner's sessions use them."""
    return Q(owner__isnull=False) & ~Q(status=Question.Status.PUBLISHED)


def topics_with_published_questions() -> QuerySet[Topic]:
    """Topics that have published questions, with their count as `published`."""
    published = Q(questions__status=Question.Status.PUBLISHED)
    # GROUP BY queries ignore Meta.ordering: the display order is explicit.
    topics = Topic.objects.annotate(published=Count("questions", filter=published)).filter(published__gt=0)
    return topics.order_by("order", "slug")
