"""An LLM's JSON reply read into a pydantic model, with one plain error for bad JSON and schema breaks."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


def reply_as(model: type[Model], content: str) -> Model:
    """The reply as `model`; ValueError says what is wrong with it."""
    try:
        return model.model_validate(json.loads(content))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at character {exc.pos})") from exc
    except ValidationError as exc:
        raise ValueError(
            f"does not match the schema: {exc.errors(include_url=False, include_input=False)}"
        ) from exc
