"""A Rasa component whose trained part is one Python object saved with joblib in the model archive.

Shared by the situation model (bot/rasa_ext/intent_classifier.py) and the risk detector (bot/rasa_ext/safety_net.py), so
creating, saving and loading work one way. A model archive without the saved object still loads: the
component then runs without its learned part, and says so once in the log.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)


class StoredModelComponent(GraphComponent):
    FILE_NAME = "model.joblib"

    def __init__(
        self,
        config: dict[str, Any] | None = None,
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        model: Any = None,
    ) -> None:
        self.config = {**self.get_default_config(), **(config or {})}
        self.model = model
        self._model_storage = model_storage
        self._resource = resource

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @staticmethod
    def code_fingerprint(*paths: Path) -> str:
        """sha256 of these files (a component's own code): a change to them retrains it, not only to the data."""
        digest = hashlib.sha256(Path(__file__).read_bytes())
        for path in paths:
            digest.update(path.read_bytes() if path.exists() else b"")
        return digest.hexdigest()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoredModelComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredModelComponent:
        try:
            with model_storage.read_from(resource) as directory:
                return cls(config, model_storage, resource, joblib.load(directory / cls.FILE_NAME))
        except (ValueError, FileNotFoundError):
            logger.warning("%s: nothing trained in the model archive; running without it", cls.__name__)
            return cls(config, model_storage, resource)

    def store(self, model: Any) -> Resource:
        """Keep `model` and write it into the model archive (when there is one, as in training)."""
        self.model = model
        if self._model_storage is not None and self._resource is not None:
            with self._model_storage.write_to(self._resource) as directory:
                joblib.dump(model, directory / self.FILE_NAME)
        return self._resource  # type: ignore[return-value]
