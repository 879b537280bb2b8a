"""Staff content in knowledge/: articles, ladders, letters, triage, claims, partners; their checks and sign-off."""
