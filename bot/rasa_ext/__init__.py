"""Everything that plugs into the Rasa server: NLU components, tracker and lock stores, speed-ups."""
