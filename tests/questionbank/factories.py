"""Bank rows without the bank files: topics, questions with a rubric worth 10, misconceptions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import factory
from factory.django import DjangoModelFactory

from questionbank.models import Misconception, Question, RubricCriterion, Topic

# The default rubric: three points worth 4 + 3 + 3 = 10.
DEFAULT_POINTS = (4, 3, 3)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_zh = factory.LazyAttribute(lambda o: f"主题 {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Topic {o.slug}")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(DjangoModelFactory):
    """A published question. Post-generation arguments:

    - `topics`: the topics it is in (none by default);
    - `rubric`: its rubric points, each a mapping with `description`, `points` and `terms` (any may be left
      out), or a number of points; by default three points, "key point <order> of <slug>", worth 4, 3 and 3;
      an empty list gives no rubric;
    - `misconceptions`: mappings with `claim`, `phrasings` and `contradicts` (the 1-based rubric point).

    Rubric points and misconceptions take their English version as `description_en`/`terms_en` and
    `claim_en`/`phrasings_en`.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"question-{n}")
    prompt = factory.LazyAttribute(lambda o: f"Prompt of {o.slug}")
    reference_answer = factory.LazyAttribute(lambda o: f"Reference answer of {o.slug}")
    difficulty = Question.Difficulty.MEDIUM
    language = Question.Language.ZH
    status = Question.Status.PUBLISHED
    suggested_seconds = 300

    @factory.post_generation
    def topics(self, create: bool, extracted: Sequence[Topic] | None, **kwargs: object) -> None:
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def rubric(self, create: bool, extracted: Sequence[Mapping[str, Any] | int] | None, **kwargs: object):
        if not create:
            return
        points = DEFAULT_POINTS if extracted is None else extracted
        for order, point in enumerate(points):
            fields = {"points": point} if isinstance(point, int) else dict(point)
            RubricCriterion.objects.create(
                question=self,
                order=order,
                description=fields.get("description", f"key point {order} of {self.slug}"),
                points=fields.get("points", 1),
                terms=list(fields.get("terms", [])),
                description_en=fields.get("description_en", ""),
                terms_en=list(fields.get("terms_en", [])),
            )

    @factory.post_generation
    def misconceptions(self, create: bool, extracted: Sequence[Mapping[str, Any]] | None, **kwargs: object):
        if not create or not extracted:
            return
        criteria = list(self.rubric.order_by("order"))
        for order, misconception in enumerate(extracted):
            Misconception.objects.create(
                question=self,
                order=order,
                claim=misconception["claim"],
                phrasings=list(misconception.get("phrasings", [misconception["claim"]])),
                criterion=criteria[int(misconception.get("contradicts", 1)) - 1],
                claim_en=misconception.get("claim_en", ""),
                phrasings_en=list(misconception.get("phrasings_en", [])),
            )


class RubricCriterionFactory(DjangoModelFactory):
    """One more rubric point, after the question's last."""

    class Meta:
        model = RubricCriterion

    question = factory.SubFactory(QuestionFactory)
    order = factory.LazyAttribute(lambda o: o.question.rubric.count())
    description = factory.LazyAttribute(lambda o: f"key point {o.order} of {o.question.slug}")
    points = 1
    terms = factory.LazyFunction(list)


class MisconceptionFactory(DjangoModelFactory):
    """A wrong claim contradicting the question's first rubric point unless `criterion` is given."""

    class Meta:
        model = Misconception

    question = factory.SubFactory(QuestionFactory)
    order = factory.LazyAttribute(lambda o: o.question.misconceptions.count())
    claim = factory.Sequence(lambda n: f"wrong claim {n}")
    phrasings = factory.LazyAttribute(lambda o: [o.claim])
    criterion = factory.LazyAttribute(lambda o: o.question.rubric.order_by("order").first())
