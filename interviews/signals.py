"""Signals other apps listen to, so that they can react to grading without interviews importing them."""

from django.dispatch import Signal

# Sent after the transaction that made `grade` the current grade of its answer commits
# (a judge's grade, a regrade or a person's override). Arguments: sender=Grade, grade=Grade.
grade_became_current = Signal()
