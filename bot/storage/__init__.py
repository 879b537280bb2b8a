"""What is kept and for how long: the database engine, redaction of personal data, retention, time limits."""
