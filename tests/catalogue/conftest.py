from __future__ import annotations

import pytest

from questionbank.models import Topic
from tests.questionbank.factories import TopicFactory


@pytest.fixture
def topics(db) -> dict[str, Topic]:
    """Two topics with real names, for searches by topic name."""
    return {
        "attention": TopicFactory(slug="attention", name_zh="注意力机制", name_en="Attention", order=1),
        "finetuning": TopicFactory(slug="finetuning", name_zh="微调", name_en="Fine-tuning", order=2),
    }
