"""Pure planners: (inventory or member state, targets) -> a Plan of requests and records, for every command.

May import: ``domain``, ``records``, ``errors`` (no I/O, no botocore)."""
