"""The staff console: a separate web process for staff and partner charities (docs/staff-console.md).

It reads what the assistant already stores (conversations, feedback, the knowledge files) and keeps
its own tables (accounts, sessions, audit log, decisions) in the same database.
"""
