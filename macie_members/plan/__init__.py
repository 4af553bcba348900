"""Pure planners: (inventory or member state, targets) -> a Plan of requests and records. ``model``: the plan's vocabulary (requests, jobs, 50-id batches); ``members``: the administrator's member commands, offboard and the invitation-quota check; ``onboarding``: onboard and sync (what ``--prune`` removes, the three phases); ``member_side``: the member account's side (accept, decline, delete, disassociate).

May import: ``domain``, ``records``, ``errors`` (no I/O, no botocore)."""
