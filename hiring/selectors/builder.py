"""Reads for the session builder: questions an interviewer may add, the session's items with their times."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User
from interviews.models import Session, SessionItem
from questionbank.models import Question, Topic

SEARCH_LIMIT = 20


def questions_usable_by(*, user: User) -> QuerySet[Question]:
    """Published questions, and the user's own custom questions (drafts private to their sessions)."""
    return Question.objects.filter(
        Q(status=Question.Status.PUBLISHED) | Q(owner=user, status=Question.Status.DRAFT)
    )


def question_search(
    *, user: User, session: Session, search: str = "", topic: Topic | None = None, difficulty: str = ""
) -> list[Question]:
    """Questions matching every word (Chinese or English: prompt, topic names, slug) not in the session."""
    questions = questions_usable_by(user=user).exclude(session_items__session=session)
    question_topics = Question.topics.through.objects
    if topic is not None:
        questions = questions.filter(pk__in=question_topics.filter(topic=topic).values("question"))
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    for word in search.split():
        topic_match = question_topics.filter(
            Q(topic__name_zh__icontains=word) | Q(topic__name_en__icontains=word)
        ).values("question")
        questions = questions.filter(
            Q(prompt__icontains=word) | Q(slug__icontains=word) | Q(pk__in=topic_match)
        )
    return list(questions.prefetch_related("topics").order_by("slug")[:SEARCH_LIMIT])


@dataclass(frozen=True)
class BuilderItems:
    items: list[SessionItem]

    @property
    def questions(self) -> int:
        return sum(item.count for item in self.items)

    @property
    def seconds(self) -> int:
        """The sum of the items' times (a random item's time counts once per question drawn)."""
        return sum(item_seconds(item) * item.count for item in self.items)


def item_seconds(item: SessionItem) -> int:
    if item.time_seconds:
        return item.time_seconds
    return item.question.suggested_seconds if item.question else 300


def session_items(*, session: Session) -> BuilderItems:
    items = (
        session.items.select_related("question", "topic")
        .prefetch_related("question__topics")
        .order_by("order")
    )
    return BuilderItems(items=list(items))
