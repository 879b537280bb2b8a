"""The replies: answers, guided replies and forms, follow-ups, emergency help, the summary. Used by actions/."""
