from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from questionbank.models import Question, Topic


def new_invite_token() -> str:
    return secrets.token_urlsafe(16)


class ReviewTiming(models.TextChoices):
    """When a candidate may see something about an answer (coaching mode is practice with AFTER_ANSWER)."""

    AFTER_ANSWER = "after_answer", _("After each answer")
    AFTER_SESSION = "after_session", _("After the session")
    NEVER = "never", _("Never")


class Session(models.Model):
    """An ordered set of questions with a time limit, built by an interviewer or a candidate to practise."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        INTERVIEW = "interview", _("Interview")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        verbose_name=_("owner"),
        related_name="owned_sessions",
    )

    class PracticeKind(models.TextChoices):
        """What a practice was built from: its title is made from this in the viewer's language."""

        TOPICS = "topics", _("Chosen topics")
        MIX = "mix", _("Random mix")
        QUESTION = "question", _("One question")
        REVIEW = "review", _("Spaced review")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PRACTICE)
    title = models.CharField(_("title"), max_length=200, blank=True)
    practice_kind = models.CharField(
        _("practice built from"), max_length=10, choices=PracticeKind, blank=True
    )
    practice_topics = models.ManyToManyField(
        Topic, blank=True, related_name="+", verbose_name=_("practice topics")
    )
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"))
    # Review options, as in Moodle's quiz: when the candidate sees score and feedback, and the reference.
    review_feedback = models.CharField(
        _("show score and feedback"), max_length=16, choices=ReviewTiming, default=ReviewTiming.AFTER_SESSION
    )
    review_reference = models.CharField(
        _("show reference answer"), max_length=16, choices=ReviewTiming, default=ReviewTiming.AFTER_SESSION
    )
    invite_token = models.CharField(_("invite token"), max_length=32, unique=True, default=new_invite_token)
    is_open = models.BooleanField(_("open"), default=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed per candidate"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(time_limit_seconds__gt=0), name="session_time_limit_positive"),
            models.CheckConstraint(
                condition=Q(attempts_allowed__gt=0), name="session_attempts_allowed_positive"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="session_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        # A candidate's practice has no stored title (interviews.titles builds it): the admin still names it.
        return self.title or f"{self.get_practice_kind_display()} #{self.pk}"

    def invite_state(self, now: datetime | None = None) -> str:
        """Whether the invite link admits candidates now: "open"; "closed" (switched off), "not_yet" (before
        `opens_at`) or "expired" (from `closes_at`)."""
        now = now or timezone.now()
        if not self.is_open:
            return "closed"
        if self.opens_at and now < self.opens_at:
            return "not_yet"
        if self.closes_at and now >= self.closes_at:
            return "expired"
        return "open"

    @property
    def shows_feedback(self) -> bool:
        """Whether the results page (after the session) shows scores and feedback."""
        return self.review_feedback != ReviewTiming.NEVER

    @property
    def shows_reference(self) -> bool:
        return self.review_reference != ReviewTiming.NEVER


class SessionItem(models.Model):
    """A question of a session, or a random item: `count` published questions drawn per candidate at start
    from `topic` (any if empty) and `difficulty` (any if blank)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, verbose_name=_("session"), related_name="items"
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        verbose_name=_("question"),
        related_name="session_items",
        null=True,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"))
    time_seconds = models.PositiveIntegerField(_("time for this question (seconds)"), null=True, blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("topic")
    )
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Question.Difficulty, blank=True)
    count = models.PositiveSmallIntegerField(_("number of questions"), default=1)

    class Meta:
        ordering = ["session", "order"]
        verbose_name = _("session item")
        verbose_name_plural = _("session items")
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="session_item_order_unique"),
            # NULL questions (random items) are distinct from each other, so a session may hold several.
            models.UniqueConstraint(fields=["session", "question"], name="session_item_question_unique"),
            models.CheckConstraint(condition=Q(count__gt=0), name="session_item_count_positive"),
            models.CheckConstraint(
                condition=Q(question__isnull=True) | (Q(count=1) & Q(topic__isnull=True) & Q(difficulty="")),
                name="session_item_fixed_or_random",
            ),
        ]

    @property
    def is_random(self) -> bool:
        return self.question_id is None


class Attempt(models.Model):
    """One candidate's run through a session; its Answers, created at start, snapshot what it asks."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Grading")
        GRADED = "graded", _("Graded")

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        verbose_name=_("candidate"),
        related_name="attempts",
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, verbose_name=_("session"), related_name="attempts"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("started_at")), name="attempt_deadline_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(finished_at__isnull=False),
                name="attempt_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.candidate}"

    def seconds_left(self, now: datetime | None = None) -> int:
        now = now or timezone.now()
        return max(0, int((self.deadline - now).total_seconds()))

    def is_overdue(self, now: datetime | None = None, grace_seconds: int = 0) -> bool:
        now = now or timezone.now()
        return now > self.deadline + timedelta(seconds=grace_seconds)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class Answer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        GRADING = "grading", _("Grading")
        GRADED = "graded", _("Graded")
        FAILED = "failed", _("Grading failed")

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, verbose_name=_("attempt"), related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, verbose_name=_("question"), related_name="answers"
    )
    # The session item it answers (a random item gives several answers); kept for results per item.
    item = models.ForeignKey(
        SessionItem,
        on_delete=models.SET_NULL,
        verbose_name=_("session item"),
        null=True,
        blank=True,
        related_name="answers",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("answer text"), blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    saved_at = models.DateTimeField(_("saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(_("seconds spent"), default=0)
    # When a worker last claimed it for grading (or the sweep queued it again); older than
    # GRADING_STALE_MINUTES means abandoned. See interviews/services/grading.py.
    grading_started_at = models.DateTimeField(_("grading started"), null=True, blank=True)
    # Set when queueing its grading failed (the broker was unreachable): the next sweep queues it again.
    enqueue_failed_at = models.DateTimeField(_("queueing failed"), null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_attempt_question"),
            models.UniqueConstraint(fields=["attempt", "position"], name="answer_position_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="answer_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Grade(models.Model):
    """One grading of an answer. Earlier grades are kept; exactly one per answer is current."""

    class Judge(models.TextChoices):
        LLM = "llm", _("LLM judge")
        OFFLINE = "offline", _("Offline judge")
        HUMAN = "human", _("Human")

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, verbose_name=_("answer"), related_name="grades"
    )
    is_current = models.BooleanField(_("current"), default=True)
    judge = models.CharField(_("judge"), max_length=10, choices=Judge)
    model = models.CharField(_("model"), max_length=100, blank=True)
    prompt_version = models.CharField(_("prompt version"), max_length=20, blank=True)
    answer_hash = models.CharField(_("answer fingerprint"), max_length=64)
    rubric_hash = models.CharField(_("rubric fingerprint"), max_length=64)
    rubric_snapshot = models.JSONField(_("rubric as graded"), default=list)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2)
    criteria = models.JSONField(
        _("rubric points"), default=list, help_text=_("Per rubric point: verdict, points, evidence, comment.")
    )
    feedback = models.TextField(_("feedback"), blank=True)
    misconceptions = models.JSONField(_("wrong claims"), default=list, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    # How sure the judge was (0..1); an uncertain grade is shown as such and goes to a person.
    confidence = models.FloatField(_("confidence"), default=1.0)
    uncertain = models.BooleanField(_("uncertain"), default=False)
    judge_version = models.CharField(_("judge version"), max_length=40, blank=True)
    # Why this score: the exact messages sent to the LLM, its raw replies (one per sample), the samples'
    # agreement and the offline judge's cross-check. Empty for offline and human grades.
    audit = models.JSONField(_("audit"), default=dict, blank=True)
    tokens_in = models.PositiveIntegerField(_("tokens in"), default=0)
    tokens_out = models.PositiveIntegerField(_("tokens out"), default=0)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    cost_usd = models.DecimalField(_("cost (USD)"), max_digits=10, decimal_places=6, default=0)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        verbose_name=_("graded by"),
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["answer", "-created_at"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.UniqueConstraint(
                fields=["answer"], condition=Q(is_current=True), name="one_current_grade_per_answer"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=F("max_score")), name="grade_score_within_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}: {self.score}/{self.max_score}"

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0


class Appeal(models.Model):
    """A candidate contests one rubric point of a graded answer, once per point; a person answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        CHANGED = "changed", _("Grade changed")
        KEPT = "kept", _("Grade kept")

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, verbose_name=_("answer"), related_name="appeals"
    )
    criterion_id = models.CharField(_("rubric point"), max_length=64)
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    outcome_comment = models.TextField(_("reviewer's comment"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(fields=["answer", "criterion_id"], name="one_appeal_per_point"),
            models.CheckConstraint(condition=~Q(reason=""), name="appeal_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}/{self.criterion_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ExamplesDecision(models.Model):
    """Whether the LLM judge's prompt carries answers people graded, as `recalibrate_judge --examples`
    measured it. The latest decision holds; examples are used only when it adopted them."""

    examples = models.PositiveSmallIntegerField(_("examples per question"))
    held_aside_share = models.FloatField(_("share held aside"))
    adopted = models.BooleanField(_("adopted"))
    held_aside = models.PositiveIntegerField(_("grades held aside"))
    # Agreement with the people's scores on the held-aside answers (0..10): Pearson, QWK, MAE.
    without_examples = models.JSONField(_("agreement without examples"))
    with_examples = models.JSONField(_("agreement with examples"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        verbose_name = _("graded-examples decision")
        verbose_name_plural = _("graded-examples decisions")

    def __str__(self) -> str:
        return f"{self.examples} examples: {'adopted' if self.adopted else 'not adopted'}"
