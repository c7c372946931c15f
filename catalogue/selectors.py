"""The catalogue's reads: the bank as each user may see it, marked with what they have answered.

This app sits above `interviews` because what a candidate may see of a question depends on their answers.
"""

from __future__ import annotations

from django.db.models import BooleanField, Count, Exists, Min, OuterRef, Q, QuerySet, Value

from accounts.roles import AnyUser, is_admin, is_interviewer
from interviews.selectors.attempts import answers_submitted_by
from interviews.selectors.references import ReferenceAccess, reference_access
from questionbank.glossary import search_groups
from questionbank.models import Question, Topic
from questionbank.selectors import private_questions

User = AnyUser


def question_reference_access(*, user: User, question: Question) -> ReferenceAccess:
    """Reference answer and rubric: open to interviewers and admins; to a candidate after an honest try
    (interviews.selectors.references), else hidden with the reason."""
    if is_interviewer(user):
        return ReferenceAccess.OPEN
    return reference_access(candidate=user, question_id=question.pk)


def question_reference_visible(*, user: User, question: Question) -> bool:
    return question_reference_access(user=user, question=question) == ReferenceAccess.OPEN


def question_viewable(*, user: User, question: Question) -> bool:
    """Candidates see published questions, and any question they have answered (it may be retired since)."""
    if question.status == Question.Status.PUBLISHED:
        return True
    if question.owner_id is not None and not is_admin(user) and question.owner_id != user.pk:
        return False  # another interviewer's private question
    if is_interviewer(user):
        return True
    return answers_submitted_by(candidate=user).filter(question=question).exists()


def question_list(
    *,
    user: User,
    search: str = "",
    topic: Topic | None = None,
    difficulty: str = "",
    status: str = "",
) -> QuerySet[Question]:
    """Questions for the catalogue, grouped by their first topic, each marked `answered` if this user has
    submitted an answer to it; search matches the prompt in either language, topic names and slug.

    Every search word must match; a concept of the glossary matches by any of its names (旋转位置编码 finds
    RoPE). `icontains` is a plain substring test, so it works on Chinese text without a
    tokenizer. Reference answers are not searched: a match there would leak them to candidates.
    """
    questions = Question.objects.all()
    if not is_admin(user):
        # Interviewers' private questions belong to their sessions, not to the catalogue.
        questions = questions.exclude(private_questions())
    if not is_interviewer(user):
        questions = questions.filter(status=Question.Status.PUBLISHED)
    elif status:
        questions = questions.filter(status=status)
    question_topics = Question.topics.through.objects
    if topic is not None:
        questions = questions.filter(pk__in=question_topics.filter(topic=topic).values("question"))
    if difficulty:
        questions = questions.filter(difficulty=difficulty)
    for names in search_groups(search):
        matches = Q()
        for name in names:
            topic_match = question_topics.filter(
                Q(topic__name_zh__icontains=name) | Q(topic__name_en__icontains=name)
            ).values("question")
            matches |= (
                Q(prompt__icontains=name)
                | Q(prompt_en__icontains=name)
                | Q(slug__icontains=name)
                | Q(pk__in=topic_match)
            )
        questions = questions.filter(matches)
    answered = (
        Exists(answers_submitted_by(candidate=user).filter(question=OuterRef("pk")))
        if user.is_authenticated
        else Value(False, output_field=BooleanField())
    )
    return (
        questions.annotate(first_topic=Min("topics__order"), answered=answered)
        .order_by("first_topic", "slug")
        .prefetch_related("topics")
    )


def topic_list_with_counts(*, user: User) -> QuerySet[Topic]:
    """All topics, each with `question_count`: how many questions this user may see under it."""
    visible = Q() if is_interviewer(user) else Q(questions__status=Question.Status.PUBLISHED)
    # GROUP BY queries ignore Meta.ordering: the display order is explicit.
    counted = Topic.objects.annotate(question_count=Count("questions", filter=visible, distinct=True))
    return counted.order_by("order", "slug")
