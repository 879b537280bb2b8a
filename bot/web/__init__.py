"""The web chat: a Rasa input channel, its widget and demo page, and the rules that keep it safe.

Modules: `channel` (the Rasa input channel and its routes), `tokens` (signed conversation tokens),
`limits` (rate limits), `guard` (what a message may contain), `origins` (which websites may use the
chat), `feedback` (the anonymous "was this helpful?" table), `summary` (the downloadable summary),
`resilience` (turns where the action server or the database fails) and `hardening` (request size and
security headers for the whole server).
"""

# The channel's name in Rasa (the input channel of each message); actions read it without importing Rasa.
CHANNEL_NAME = "webchat"
