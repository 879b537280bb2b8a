"""Core library of the SEND rights assistant: knowledge, deadlines, storage, safety and the CLI."""
