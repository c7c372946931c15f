"""Signals apps above the bank listen to, so that the bank imports none of them."""

from django.dispatch import Signal

# Sent after an import's transaction commits. Arguments: sender=Question, proposed_ids=list[int], the new
# drafts whose document gave no rubric (their rubric points were proposed from the answer).
questions_imported = Signal()
