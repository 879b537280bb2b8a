"""A Rasa NLU component that reads the facts in each message as entities, so slots fill themselves.

Each fact (school type, need, year group, age, health service, dates with their role, lengths of time
with their units, school days, plan or SEN support, whether it was put in writing, the council's
decision) is read by bot/understanding/facts.py with the one vocabulary in data/nlu/entities.yml, and set as an
entity named after the slot it fills. domain.yml maps each slot `from_entity`, so Rasa keeps them for
the whole conversation (a later message replaces an earlier one), the forms skip questions already
answered, and the actions read slots only (docs/nlu.md, "Entities").

Not trainable: the vocabulary is read when the component first runs, and its entries are looked up by
bot/understanding/entities.py, not learned.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.directory.entities import area_entities
from bot.law.parent_dates import england_today  # relative dates ("last week") are read against today in England
from bot.understanding import facts


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class FactEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FactEntityExtractor:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        today = england_today()
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):  # a button's payload carries its own entities
                continue
            found = self.add_extractor_name([*facts.message_entities(text, today), *area_entities(text)])
            message.set(ENTITIES, [*message.get(ENTITIES, []), *found], add_to_output=True)
        return messages
