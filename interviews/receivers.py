"""What interviews does when the bank tells it something (connected in InterviewsConfig.ready)."""

from __future__ import annotations

import logging

from django.dispatch import receiver
from kombu.exceptions import OperationalError as BrokerError

from interviews.services.rubric_proposals import proposals_wanted
from interviews.tasks import propose_rubric
from questionbank.models import Question
from questionbank.signals import questions_imported

logger = logging.getLogger(__name__)


@receiver(questions_imported, sender=Question, dispatch_uid="interviews.propose_rubrics")
def propose_rubrics(sender: type[Question], proposed_ids: list[int], **kwargs: object) -> None:
    """With an LLM configured, ask it for the imported drafts' rubrics; the import has committed already, and
    a broker that is down only leaves them with the rubric proposed from their answers."""
    if not proposals_wanted():
        return
    for question_id in proposed_ids:
        try:
            propose_rubric.delay(question_id)
        except BrokerError:
            logger.warning("could not queue a rubric proposal for question %s", question_id, exc_info=True)
