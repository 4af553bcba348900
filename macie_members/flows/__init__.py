"""What each command does, over ``run`` and ``plan``: drop-ins, bulk actions, workflows, the member side, with one shared skeleton.

May import: ``run`` and everything below it; never ``cli``, and no flow module imports a sibling flow's helpers (shared steps live in ``steps``)."""
