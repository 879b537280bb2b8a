"""What the parent said: situations (intents), facts and entities, openers and signs of risk. No Rasa."""
