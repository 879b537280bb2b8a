"""The staff command line: `python -m bot ...` (knowledge check, review, conversations)."""
