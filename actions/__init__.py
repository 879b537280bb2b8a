"""Custom actions: thin wrappers that read the tracker, call `bot/` and send the replies."""
