"""The one Rasa version guard: every place that reaches inside Rasa asks here first.

The code in bot/rasa_ext/ overrides or wraps parts of Rasa that are not a public API (private methods of
the SQL tracker store, the action endpoint's request, two validators). They were read and tested against
Rasa 3.6.21 only; on any other version each one keeps Rasa's own behaviour where it can, and the log says
so once. docs/architecture.md#upgrading-rasa lists what to re-read before moving the pin.
"""

from __future__ import annotations

import logging

import rasa

logger = logging.getLogger(__name__)

WRITTEN_FOR = "3.6.21"
_warned: set[str] = set()


def rasa_is_supported(what: str) -> bool:
    """True on the Rasa this was written for; otherwise False, with one warning per `what`."""
    if rasa.__version__ == WRITTEN_FOR:
        return True
    if what not in _warned:
        _warned.add(what)
        logger.warning("Rasa %s is not %s: %s keeps Rasa's own behaviour", rasa.__version__, WRITTEN_FOR, what)
    return False
