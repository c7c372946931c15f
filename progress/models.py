"""A candidate's memory of each question they answered, scheduled with FSRS (see progress/scheduling.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviews.models import Answer, Grade
from questionbank.models import Question


class Card(models.Model):
    """One per candidate and question: FSRS state after replaying every graded answer, and when it is due."""

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(default=2)  # fsrs.State: 1 learning, 2 review, 3 relearning
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(_("due"))
    last_review = models.DateTimeField(null=True, blank=True)
    # The latest grade as a percentage, so that the weakest due questions come first.
    last_percent = models.PositiveSmallIntegerField(default=0)
    reviews = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due"]
        verbose_name = _("review card")
        verbose_name_plural = _("review cards")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "question"], name="one_card_per_candidate_question"),
        ]
        indexes = [models.Index(fields=["candidate", "due"])]

    def __str__(self) -> str:
        return f"{self.candidate_id}/{self.question_id} due {self.due:%Y-%m-%d}"


class Review(models.Model):
    """One graded answer as a review of its card; the rating follows the answer's current grade."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="review_log")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="review")
    grade = models.ForeignKey(Grade, on_delete=models.SET_NULL, null=True, related_name="+")
    rating = models.PositiveSmallIntegerField()  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
    percent = models.PositiveSmallIntegerField()
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["reviewed_at", "answer_id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.card_id}: {self.rating} at {self.reviewed_at:%Y-%m-%d %H:%M}"
