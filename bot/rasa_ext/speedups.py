"""Two measured speed-ups inside Rasa 3.6.21, each doing exactly what Rasa does, with work done once.

The profile in docs/benchmarks.md found two places where Rasa repeats the same work on every turn:

- It checks each reply from the action server with `jsonschema.validate`, which validates the fixed
  schema against its meta-schema and builds a fresh validator on every call: most of the time Rasa
  spends on a custom action call. Here one validator is built (and the schema checked) once; the check,
  the error and its message are the same.
- Loading a conversation turns every stored event back into an object, and for each event Rasa finds
  its class by walking all subclasses of `Event`. Here the class found for a type name is remembered;
  a type name not seen yet still goes through Rasa's own lookup, errors and defaults included.

Both are installed only on the Rasa version they were written for; on any other, Rasa's own code stays.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

from bot.rasa_ext.version import rasa_is_supported

logger = logging.getLogger(__name__)

# Rasa's own functions, kept so tests can compare them with ours on the same input.
RASAS_REPLY_CHECK = RemoteAction._validate_action_result
RASAS_EVENT_LOOKUP = Event.resolve_by_type

_event_classes: dict[str, type[Event]] = {}


@lru_cache(maxsize=1)
def reply_validator() -> Validator:
    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    cls.check_schema(spec)  # once, where jsonschema.validate does it on every call
    return cls(spec)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`, with the validator reused."""
    error = best_match(reply_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type`, remembering each class it finds by walking the subclasses."""
    known = _event_classes.get(type_name)
    if known is not None:
        return known
    found = RASAS_EVENT_LOOKUP(type_name, default)
    if found is not None and found.type_name == type_name:
        _event_classes[type_name] = found
    return found


def install() -> bool:
    """Use both in this process; True when installed (or already), False when Rasa is another version."""
    if not rasa_is_supported("the speed-ups"):
        return False
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign, assignment]
    return True
